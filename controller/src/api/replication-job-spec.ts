import { z } from 'zod';
import { duration, objectName, secretKeySelector } from './common.ts';

/**
 * ReplicationJob.spec — provider-agnostic. It covers what the providers' create, modify,
 * object-selection and policy calls need; each provider documents which fields it uses,
 * which it refuses, and what it reads from `providerOptions`.
 *
 * No field has a schema default: defaults are decided in code (see `effective-spec.ts`) so
 * the object Argo CD applied stays byte-identical and never shows as OutOfSync.
 */

const shortText = (max: number, description: string) => z.string().min(1).max(max).describe(description);

export const ProviderRef = z
  .object({
    kind: z
      .enum(['ProviderConfig', 'ClusterProviderConfig'])
      .describe('ProviderConfig (same namespace as the job) or ClusterProviderConfig (cluster-wide).'),
    name: objectName('Name of the ProviderConfig or ClusterProviderConfig.'),
  })
  .describe('Which provider account runs this job. Immutable: moving a job to another account means a new job.');

export const JobType = z
  .enum(['migration', 'sync', 'disasterRecovery'])
  .describe('What the job is for: migration (one-off move with optional catch-up), sync (continuous replication), disasterRecovery (active/standby DR). Immutable.');

export const JobMode = z
  .enum(['full', 'incremental', 'fullAndIncremental'])
  .describe('full copies existing data once and completes; incremental streams changes only; fullAndIncremental copies then streams. Default: fullAndIncremental. Immutable.');

export const Direction = z
  .enum(['up', 'down', 'non-dbs'])
  .describe('Huawei DRS job direction: up (into the cloud, or this cloud is the DR standby), down (out of the cloud, or this cloud is the DR active), non-dbs (self-built databases). Ignored by providers without the notion. Immutable.');

export const Network = z
  .object({
    type: z.enum(['eip', 'vpc', 'vpn']).describe('How the replication instance reaches the databases: eip (public IP), vpc, or vpn.'),
    vpcId: shortText(128, 'ID of the VPC the replication instance is placed in.').optional(),
    subnetId: shortText(128, 'ID of the subnet the replication instance is placed in (DRS customize_sut_net_id).').optional(),
    securityGroupId: shortText(128, 'ID of the security group applied to the replication instance.').optional(),
  })
  .describe('Network placement of the replication instance. Immutable.');

export const SslSettings = z
  .object({
    enabled: z.boolean().describe('Connect to this database over SSL/TLS.'),
    caSecretRef: secretKeySelector('Secret key holding the CA certificate (PEM) used to verify the server.').optional(),
    certSecretRef: secretKeySelector('Secret key holding the client certificate (PEM or .p12) for mutual TLS.').optional(),
    keySecretRef: secretKeySelector('Secret key holding the client private key (PEM) for mutual TLS.').optional(),
    certPasswordSecretRef: secretKeySelector('Secret key holding the password of a .p12 client certificate.').optional(),
  })
  .describe('SSL/TLS settings for the connection to this database. Certificates and keys come from Secrets only.');

export const KafkaSettings = z
  .object({
    topic: shortText(249, 'Topic the changes are written to (Kafka targets).').optional(),
    ddlTopic: shortText(249, 'Topic DDL statements are written to when syncPolicy.ddl is true.').optional(),
    securityProtocol: z.enum(['PLAINTEXT', 'SASL_PLAINTEXT', 'SSL', 'SASL_SSL']).describe('Kafka security.protocol.').optional(),
    saslMechanism: z.enum(['GSSAPI', 'PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']).describe('Kafka sasl.mechanism.').optional(),
    delegationTokens: z.boolean().describe('Use delegation-token authentication (SCRAM mechanisms only).').optional(),
    endpointIdentificationAlgorithm: shortText(64, 'Kafka ssl.endpoint.identification.algorithm; empty disables host name verification.').optional(),
    trustStoreSecretRef: secretKeySelector('Secret key holding the trust store (for SSL and SASL_SSL).').optional(),
    trustStorePasswordSecretRef: secretKeySelector('Secret key holding the trust store password.').optional(),
    keyStoreSecretRef: secretKeySelector('Secret key holding the key store, enabling two-way SSL.').optional(),
    keyStorePasswordSecretRef: secretKeySelector('Secret key holding the key store password.').optional(),
    keyPasswordSecretRef: secretKeySelector('Secret key holding the key store private key password (Kafka ssl.key.password).').optional(),
  })
  .describe('Kafka connection settings, for endpoints whose dbType is kafka.');

export const Endpoint = z
  .object({
    dbType: shortText(64, 'Database type of this endpoint, e.g. mysql, postgresql, mongodb, oracle, gaussdbv5, kafka. Defaults to the engine.').optional(),
    host: shortText(253, 'Host name or IP address of the database (self-built or on-premises databases).').optional(),
    port: z.number().int().min(1).max(65535).describe('TCP port of the database.').optional(),
    database: shortText(128, 'Database to connect to, where the engine needs one (PostgreSQL connects to one database).').optional(),
    instanceId: shortText(128, 'Cloud instance ID of the database (RDS, CDB, GaussDB ...), for cloud-hosted databases.').optional(),
    instanceName: shortText(128, 'Cloud instance name, where the provider wants one.').optional(),
    region: shortText(64, 'Region the database lives in, for cloud-hosted databases.').optional(),
    projectId: shortText(64, 'Project (or account) the database belongs to, where it differs from the ProviderConfig.').optional(),
    vpcId: shortText(128, 'VPC the database is in.').optional(),
    subnetId: shortText(128, 'Subnet the database is in.').optional(),
    securityGroupId: shortText(128, 'Security group of the database.').optional(),
    user: shortText(128, 'User the replication service logs in as.').optional(),
    passwordSecretRef: secretKeySelector(
      'Secret key holding the password of user. Rotating the Secret pushes the new password to the provider (where it supports that).',
    ).optional(),
    ssl: SslSettings.optional(),
    kafka: KafkaSettings.optional(),
  })
  .meta({
    'x-kubernetes-validations': [
      {
        rule: 'has(self.host) || has(self.instanceId)',
        message: 'an endpoint needs host (self-built database) or instanceId (cloud instance)',
      },
    ],
  });

export const DatabaseSelection = z.object({
  name: shortText(128, 'Database name on the source.'),
  alias: shortText(128, 'Name of the database on the target, when it differs (sync jobs only).').optional(),
  tables: z
    .array(z.string().min(1).max(257))
    .max(10000)
    .optional()
    .describe('Tables to replicate (schema.table where the engine has schemas). Omit to replicate the whole database.'),
  tableAliases: z
    .record(z.string(), z.string().min(1).max(257))
    .optional()
    .meta({ description: 'Map of source table name to target table name, for tables renamed on the target (sync jobs only).', maxProperties: 10000 }),
});

export const ObjectSelection = z
  .object({
    all: z.boolean().describe('Replicate every database the user can read. Mutually exclusive with databases.').optional(),
    databases: z.array(DatabaseSelection).max(1000).optional().describe('Databases (and optionally tables) to replicate.'),
  })
  .meta({
    description: 'What to replicate. Omitted means everything (all: true).',
    'x-kubernetes-validations': [
      {
        rule: '!(has(self.all) && self.all && has(self.databases) && size(self.databases) > 0)',
        message: 'set either objects.all: true or objects.databases, not both',
      },
    ],
  });

export const SyncPolicy = z
  .object({
    conflict: z
      .enum(['ignore', 'overwrite', 'stop'])
      .describe('What to do when a replicated row conflicts with target data: ignore it, overwrite the target, or stop with an error.')
      .optional(),
    ddl: z.boolean().describe('Replicate DDL statements during incremental sync.').optional(),
    indexes: z.boolean().describe('Replicate index changes during incremental sync.').optional(),
    filterDropDatabase: z.boolean().describe('Do not replicate DROP DATABASE statements.').optional(),
  })
  .describe('How changes are applied on the target (sync jobs). Immutable.');

const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

export const SpeedLimit = z.object({
  begin: z.string().regex(HHMM).describe('Start of the window, hh:mm UTC. DRS ignores the minutes.'),
  end: z.string().regex(HHMM).describe('End of the window, hh:mm UTC. DRS requires the minutes to be 59.'),
  speedMBps: z.number().int().min(1).max(9999).describe('Maximum transfer speed inside the window, in MB/s.'),
});

export const AlarmSubscription = z.object({
  protocol: z.enum(['sms', 'email']).describe('How notifications are delivered.'),
  endpoints: z.array(z.string().min(3).max(254)).min(1).max(10).describe('Phone numbers or e-mail addresses.'),
});

export const Alarms = z
  .object({
    notifyUser: z.boolean().describe('Send the provider alarm notifications to the subscriptions.').optional(),
    delaySeconds: z.number().int().min(1).max(3600).describe('Alert when replication delay exceeds this many seconds.').optional(),
    rpoSeconds: z.number().int().min(1).max(3600).describe('Alert when the DR recovery point objective exceeds this (disasterRecovery jobs).').optional(),
    rtoSeconds: z.number().int().min(1).max(3600).describe('Alert when the DR recovery time objective exceeds this (disasterRecovery jobs).').optional(),
    subscriptions: z.array(AlarmSubscription).max(2).optional().describe('Where notifications go (at most two).'),
  })
  .describe('Provider-side exception notifications. Changed in place.');

export const RetryPolicy = z
  .object({
    maxRetries: z
      .number()
      .int()
      .min(0)
      .max(100)
      .describe('How many times a failed job is re-checked and retried automatically before it is left Failed. Default: 3. 0 disables automatic retries.')
      .optional(),
    backoff: duration('Wait between automatic retries; doubles after each attempt. Default: 1m.').optional(),
  })
  .describe('Automatic recovery of jobs the provider reports as failed.');

/**
 * Fields fixed at creation: the providers cannot change them on an existing job, so a change
 * is refused at admission instead of silently drifting. `objects` is deliberately not here:
 * some providers can change it in place, and comparing a list that large in CEL would exceed
 * the API server's rule cost budget; the controller reports unsupported changes instead.
 */
export const IMMUTABLE_REQUIRED = ['providerRef', 'type', 'engine', 'source', 'target'] as const;
export const IMMUTABLE_OPTIONAL = ['direction', 'mode', 'nodeType', 'network', 'syncPolicy', 'tags'] as const;

export const ReplicationJobSpec = z
  .object({
    providerRef: ProviderRef,
    type: JobType,
    engine: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z0-9][a-z0-9.-]*$/)
      .describe('Database engine (provider-specific list): mysql, postgresql, mongodb, oracle-to-gaussdbv5, ... Checked against the provider when the job is reconciled. Immutable.'),
    direction: Direction.optional(),
    mode: JobMode.optional(),
    nodeType: shortText(32, 'Size of the replication instance, provider-specific (DRS: micro, small, medium, high, xlarge, 2xlarge). Immutable.').optional(),
    network: Network.optional(),
    source: Endpoint.describe('The database data is read from. Immutable (rotate its password through the Secret).'),
    target: Endpoint.describe('The database data is written to. Immutable (rotate its password through the Secret).'),
    objects: ObjectSelection.optional(),
    syncPolicy: SyncPolicy.optional(),
    speedLimits: z
      .array(SpeedLimit)
      .max(24)
      .optional()
      .describe('Flow-control windows (UTC). Changed in place; an empty list removes the limits. huawei-drs and local only: Tencent DTS limits by threads and rows/s (providerOptions.rateLimit), the other providers refuse it.'),
    alarms: Alarms.optional(),
    state: z
      .enum(['Running', 'Paused', 'Stopped'])
      .optional()
      .describe(
        'Desired state: Running (default), Paused, or Stopped. Stopped is final: the provider job is terminated and cannot be started again. ' +
          'Paused works on huawei-drs, local and tencent-dts; tencent-dts-legacy, tencent-cdb and huawei-clickhouse have no pause and refuse it. ' +
          'On tencent-dts migrations and tencent-dts-legacy, Stopped on a streaming job completes it (the cut-over); tencent-cdb and huawei-clickhouse release the job by deleting it.',
      ),
    precheck: z
      .object({
        tolerateAlarms: z.boolean().describe('Start even when pre-check items end in ALARM (FAILED items always block). Default: false.').optional(),
      })
      .optional()
      .describe('Pre-check behaviour.'),
    retryPolicy: RetryPolicy.optional(),
    deletionPolicy: z
      .enum(['Delete', 'Orphan'])
      .optional()
      .describe('What deleting this object does to the provider job: Delete (default) stops and deletes it; Orphan leaves it running.'),
    description: z
      .string()
      .max(256)
      .regex(/^[^!<>'&"\\]*$/)
      .optional()
      .describe('Description stored on the provider job (at most 256 characters, none of ! < > \' & " \\). Changed in place.'),
    tags: z
      .record(z.string().min(1).max(36).regex(/^[A-Za-z0-9_.-]+$/), z.string().max(43))
      .optional()
      .meta({ description: 'Tags put on the provider job at creation (at most 20). Immutable.', maxProperties: 20 }),
    providerOptions: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({
        description:
          'Provider-specific settings the common spec does not model (full reference: docs/providers/). Keys by provider — ' +
          'huawei-drs, local: isTargetReadonly, multiWrite, expiredDays, nodeNum, openFastClean, enterpriseProjectId, replaceDefiner, pauseMode, slotName, fileAndPosition, gtidSet, exportSnapshot, fillMaterializedView; ' +
          'tencent-dts (type sync): payMode, autoRenew, timeSpanMonths, jobMode, initType, dealOfExistSameTable, autoRetryTimeRangeMinutes, source, target, rateLimit (threads and rows/s, changed in place); ' +
          'tencent-dts (type migration): sourceAccessType, targetAccessType, expectRunTime, stopMode, migrateAccount, targetReadOnly, resumeOption; ' +
          'tencent-dts-legacy: srcAccessType, cvmInstanceId, dcgId, vpnGatewayId, structureOnly, consistencyCheck, consistencySample, overrideRoot, targetReadOnly, externParams, completeOnStop, completeMode; ' +
          'tencent-cdb: overrideRoot; huawei-clickhouse: sourceNodeId. Unknown keys and wrong types are refused by name in a Terminal condition.',
        'x-kubernetes-preserve-unknown-fields': true,
      }),
    pollInterval: duration('Override of the provider poll interval for this job (e.g. 30s).').optional(),
  })
  .meta({
    description: 'Desired replication job.',
    'x-kubernetes-validations': [
      ...IMMUTABLE_REQUIRED.map((field) => ({
        rule: `self.${field} == oldSelf.${field}`,
        message: `${field} is immutable: create a new ReplicationJob${field === 'source' || field === 'target' ? ' (rotate passwords through the Secret)' : ''}`,
      })),
      ...IMMUTABLE_OPTIONAL.map((field) => ({
        rule: `has(self.${field}) == has(oldSelf.${field}) && (!has(self.${field}) || self.${field} == oldSelf.${field})`,
        message: `${field} is immutable: create a new ReplicationJob`,
      })),
      {
        rule: "!has(oldSelf.state) || oldSelf.state != 'Stopped' || (has(self.state) && self.state == 'Stopped')",
        message: 'a Stopped job cannot be started again: create a new ReplicationJob',
      },
    ],
  });

export type ReplicationJobSpec = z.infer<typeof ReplicationJobSpec>;
export type Endpoint = z.infer<typeof Endpoint>;
export type DesiredState = NonNullable<ReplicationJobSpec['state']>;

import { createHash } from 'node:crypto';
import type { Endpoint as SpecEndpoint, ReplicationJobSpec } from '../../api/replication-job-spec.ts';
import type { JobContext } from '../../reconcile/provider.ts';
import type { DbType, EndPointType, EngineType, NodeType, TaskType } from './enums.ts';
import type { DrsProfile } from './profile.ts';
import { parseDrsProviderOptions, type DrsProviderOptions } from './provider-options.ts';
import type {
  AlarmNotify,
  ConnectionTestItem,
  CreateJobItem,
  Endpoint,
  ModifyJobItem,
  SelectObjectsItem,
  SelectedObject,
  SpeedLimitItem,
  SyncPolicyItem,
} from './schemas.ts';

/**
 * ReplicationJob spec → DRS v3 request items. Pure: the same spec and secrets always give the
 * same request, which is what makes every action idempotent to re-send after a crash.
 */

const USE_TYPE = { migration: 'migration', sync: 'sync', disasterRecovery: 'cloudDataGuard' } as const;
const TASK_TYPE: Record<string, TaskType> = { full: 'FULL_TRANS', incremental: 'INCR_TRANS', fullAndIncremental: 'FULL_INCR_TRANS' };
const MAX_SPEED_WINDOWS = 10;

/** Problems only a spec change fixes; empty when DRS can run this spec. */
export function validateForDrs(spec: ReplicationJobSpec, profile: DrsProfile): string[] {
  const problems: string[] = [];
  if (!profile.engines.includes(spec.engine)) problems.push(`engine ${spec.engine} is not offered (${profile.providerId} supports: ${profile.engines.join(', ')})`);
  if (spec.type === 'disasterRecovery' && spec.engine !== 'mysql') problems.push('disasterRecovery jobs are MySQL only (engine: mysql)');
  if (profile.requirePlacement) {
    if (!spec.direction) problems.push('spec.direction is required (up, down or non-dbs)');
    if (!spec.nodeType) problems.push('spec.nodeType is required (micro, small, medium, high, xlarge or 2xlarge)');
    else if (!['micro', 'small', 'medium', 'high', 'xlarge', '2xlarge'].includes(spec.nodeType)) problems.push(`spec.nodeType ${spec.nodeType} is not a DRS size (micro, small, medium, high, xlarge, 2xlarge)`);
    if (!spec.network?.subnetId) problems.push('spec.network.subnetId is required: the subnet the DRS instance is placed in');
    if (spec.type === 'disasterRecovery' && spec.network?.type === 'vpc') problems.push('disasterRecovery jobs cannot use network.type vpc');
  }
  const limits = spec.speedLimits ?? [];
  if (limits.length > MAX_SPEED_WINDOWS) problems.push(`DRS accepts at most ${MAX_SPEED_WINDOWS} speedLimits windows, got ${limits.length}`);
  limits.forEach((l, i) => {
    if (!l.end.endsWith(':59')) problems.push(`speedLimits[${i}].end must end in :59 for DRS (e.g. ${l.end.slice(0, 2)}:59)`);
  });
  if (Object.keys(spec.tags ?? {}).length > 20) problems.push('DRS accepts at most 20 tags');
  for (const [side, e] of [['source', spec.source], ['target', spec.target]] as const) {
    if (e.kafka && (e.dbType ?? '') !== 'kafka') problems.push(`spec.${side}.kafka is set but spec.${side}.dbType is not kafka`);
  }
  problems.push(...parseDrsProviderOptions(spec.providerOptions).problems);
  return problems;
}

export function options(spec: ReplicationJobSpec): DrsProviderOptions {
  return parseDrsProviderOptions(spec.providerOptions).options;
}

/** The DRS engine_type for a spec (MySQL DR uses its own engine type). */
export function engineType(spec: ReplicationJobSpec): EngineType {
  if (spec.type === 'disasterRecovery' && spec.engine === 'mysql') return 'cloudDataGuard-mysql';
  return spec.engine as EngineType;
}

/** The database type on each side of an engine (oracle-to-gaussdbv5: oracle → gaussdb ...). */
function dbTypeOf(spec: ReplicationJobSpec, side: 'source' | 'target'): DbType {
  const explicit = (side === 'source' ? spec.source : spec.target).dbType;
  if (explicit) return explicit as DbType;
  const [from, , to] = spec.engine.split('-');
  if (spec.engine.includes('-to-')) {
    const part = side === 'source' ? from : to;
    return (part === 'oracle' ? 'oracle' : part === 'kafka' ? 'kafka' : 'mysql') as DbType;
  }
  return spec.engine as DbType;
}

function endpoint(spec: ReplicationJobSpec, side: 'source' | 'target', job: JobContext, withPassword: boolean): Endpoint {
  const e: SpecEndpoint = side === 'source' ? spec.source : spec.target;
  const password = side === 'source' ? job.secrets.sourcePassword : job.secrets.targetPassword;
  return compact({
    db_type: dbTypeOf(spec, side),
    ip: e.host,
    db_port: e.port,
    db_name: e.database,
    inst_id: e.instanceId,
    inst_name: e.instanceName,
    region: e.region,
    project_id: e.projectId,
    vpc_id: e.vpcId,
    subnet_id: e.subnetId,
    security_group_id: e.securityGroupId,
    db_user: e.user,
    db_password: withPassword ? password : undefined,
    topic: e.kafka?.topic,
    ...ssl(e, job),
    ...(e.kafka ? { kafka_security_config: kafkaSecurity(e, job) } : {}),
  });
}

function ssl(e: SpecEndpoint, job: JobContext): Partial<Endpoint> {
  if (!e.ssl?.enabled) return {};
  const certRef = e.ssl.certSecretRef ?? e.ssl.caSecretRef;
  if (!certRef) return { ssl_link: true };
  const content = Buffer.from(job.secrets.get(certRef), 'utf8').toString('base64');
  return compact({
    ssl_link: true,
    ssl_cert_key: content,
    ssl_cert_name: certRef.key,
    ssl_cert_check_sum: createHash('sha256').update(content).digest('hex'),
    ssl_cert_password: e.ssl.certPasswordSecretRef ? job.secrets.get(e.ssl.certPasswordSecretRef) : undefined,
  });
}

function kafkaSecurity(e: SpecEndpoint, job: JobContext): NonNullable<Endpoint['kafka_security_config']> {
  const k = e.kafka!;
  const value = (ref: { name: string; key: string } | undefined) => (ref ? job.secrets.get(ref) : undefined);
  return compact({
    type: k.securityProtocol,
    sasl_mechanism: k.saslMechanism,
    delegation_tokens: k.delegationTokens,
    endpoint_algorithm: k.endpointIdentificationAlgorithm,
    trust_store_key_name: k.trustStoreSecretRef?.key,
    trust_store_key: value(k.trustStoreSecretRef),
    trust_store_password: value(k.trustStorePasswordSecretRef),
    enable_key_store: k.keyStoreSecretRef ? true : undefined,
    key_store_key_name: k.keyStoreSecretRef?.key,
    key_store_key: value(k.keyStoreSecretRef),
    key_store_password: value(k.keyStorePasswordSecretRef),
    set_private_key_password: k.keyPasswordSecretRef ? true : undefined,
    key_password: value(k.keyPasswordSecretRef),
  });
}

export function defaultDescription(job: JobContext): string {
  return `Managed by drs-operator: ReplicationJob ${job.key}`.slice(0, 256);
}

export function createItem(job: JobContext, profile: DrsProfile): CreateJobItem {
  const { spec } = job;
  const opts = options(spec);
  const netType = spec.network?.type ?? profile.defaults.netType;
  return compact({
    name: job.jobName,
    db_use_type: USE_TYPE[spec.type],
    engine_type: engineType(spec),
    job_direction: spec.direction ?? profile.defaults.direction,
    bind_eip: netType === 'eip' ? true : undefined,
    customize_sutnet_id: spec.network?.subnetId ?? profile.defaults.subnetId,
    is_target_readonly: opts.isTargetReadonly,
    net_type: netType,
    node_type: (spec.nodeType ?? profile.defaults.nodeType) as NodeType,
    node_num: opts.nodeNum,
    source_endpoint: endpoint(spec, 'source', job, true),
    target_endpoint: endpoint(spec, 'target', job, true),
    task_type: TASK_TYPE[spec.mode ?? 'fullAndIncremental']!,
    tags: spec.tags ? Object.entries(spec.tags).map(([key, value]) => ({ key, value })) : undefined,
    description: spec.description ?? defaultDescription(job),
    multi_write: opts.multiWrite,
    sys_tags: opts.enterpriseProjectId ? [{ key: '_sys_enterprise_project_id', value: opts.enterpriseProjectId }] : undefined,
    expired_days: opts.expiredDays !== undefined ? String(opts.expiredDays) : undefined,
    is_open_fast_clean: opts.openFastClean,
  }) as CreateJobItem;
}

/**
 * Connection tests for both ends. An endpoint given only as a cloud instance (no host) is not
 * tested here: DRS resolves and checks cloud instances itself during the pre-check.
 */
export function connectionItems(jobId: string, job: JobContext, profile: DrsProfile): ConnectionTestItem[] {
  const { spec } = job;
  const items: ConnectionTestItem[] = [];
  for (const [side, type] of [['source', 'so'], ['target', 'ta']] as const satisfies readonly (readonly ['source' | 'target', EndPointType])[]) {
    const e = endpoint(spec, side, job, true);
    if (!e.ip) continue;
    items.push(
      compact({
        id: jobId,
        net_type: spec.network?.type ?? profile.defaults.netType,
        db_type: e.db_type!,
        ip: e.ip,
        // MongoDB/DDS require 0; otherwise omit an unset port (huawei-drs-lifecycle.md).
        db_port: e.db_type === 'mongodb' ? 0 : e.db_port,
        inst_id: e.inst_id,
        db_user: e.db_user ?? '',
        db_password: e.db_password ?? '',
        ssl_link: e.ssl_link,
        ssl_cert_key: e.ssl_cert_key,
        ssl_cert_name: e.ssl_cert_name,
        ssl_cert_check_sum: e.ssl_cert_check_sum,
        ssl_cert_password: e.ssl_cert_password,
        vpc_id: e.vpc_id,
        subnet_id: e.subnet_id,
        end_point_type: type,
        region: e.region,
        project_id: e.project_id,
        db_name: e.db_name,
        kafka_security_config: e.kafka_security_config,
      }) as ConnectionTestItem,
    );
  }
  return items;
}

/** The full modification DRS wants after a connection test: the whole job, both endpoints with passwords. */
export function fullModifyItem(jobId: string, job: JobContext, profile: DrsProfile): ModifyJobItem {
  const create = createItem(job, profile);
  const opts = options(job.spec);
  return compact({
    job_id: jobId,
    name: create.name,
    description: create.description,
    alarm_notify: alarmNotify(job.spec),
    task_type: create.task_type,
    source_endpoint: create.source_endpoint,
    target_endpoint: create.target_endpoint,
    node_type: create.node_type,
    engine_type: create.engine_type,
    net_type: create.net_type,
    store_db_info: true,
    is_recreate: false,
    job_direction: create.job_direction,
    is_target_readonly: create.is_target_readonly,
    replace_definer: job.spec.engine === 'mysql' ? (opts.replaceDefiner ?? false) : undefined,
    tags: create.tags,
    db_use_type: create.db_use_type,
  }) as ModifyJobItem;
}

/** Only what changes in place on a running job: description and alarms. */
export function settingsItem(jobId: string, job: JobContext): ModifyJobItem {
  return compact({ job_id: jobId, description: job.spec.description ?? defaultDescription(job), alarm_notify: alarmNotify(job.spec) ?? {} }) as ModifyJobItem;
}

function alarmNotify(spec: ReplicationJobSpec): AlarmNotify | undefined {
  const a = spec.alarms;
  if (!a) return undefined;
  return compact({
    alarm_to_user: a.notifyUser,
    delay_time: a.delaySeconds,
    rpo_delay: a.rpoSeconds,
    rto_delay: a.rtoSeconds,
    subscriptions: a.subscriptions?.map((s) => ({ protocol: s.protocol, endpoints: s.endpoints })),
  });
}

export function selectObjectsItem(jobId: string, spec: ReplicationJobSpec): SelectObjectsItem {
  const databases = spec.objects?.databases ?? [];
  if (spec.objects?.all || databases.length === 0) return { job_id: jobId, selected: false, job: [] };
  const objects: SelectedObject[] = [];
  for (const db of databases) {
    const tables = db.tables ?? [];
    objects.push({ id: db.name, parent_id: null, object_name: db.name, object_type: 'database', select: tables.length > 0 ? 'partial' : 'true', object_alias_name: db.alias ?? null });
    for (const table of tables) {
      objects.push({
        id: `${db.name}-*-*-${table}`,
        parent_id: db.name,
        object_name: table,
        object_type: 'table',
        select: 'true',
        object_alias_name: db.tableAliases?.[table] ?? null,
      });
    }
  }
  return { job_id: jobId, selected: true, job: objects };
}

/** Sync policy applies to sync jobs only. */
export function syncPolicyItem(jobId: string, spec: ReplicationJobSpec): SyncPolicyItem | undefined {
  if (spec.type !== 'sync') return undefined;
  const p = spec.syncPolicy ?? {};
  const opts = options(spec);
  return compact({
    job_id: jobId,
    conflict_policy: p.conflict,
    ddl_trans: p.ddl,
    index_trans: p.indexes,
    filter_ddl_policy: p.filterDropDatabase ? 'drop_database' : undefined,
    slot_name: opts.slotName,
    file_and_position: opts.fileAndPosition,
    gtid_set: opts.gtidSet,
    export_snapshot: opts.exportSnapshot,
    is_fill_materialized_view: opts.fillMaterializedView,
    ddl_topic: spec.target.kafka?.ddlTopic,
  }) as SyncPolicyItem;
}

export function speedLimitItem(jobId: string, spec: ReplicationJobSpec): SpeedLimitItem {
  return {
    job_id: jobId,
    speed_limit: (spec.speedLimits ?? []).map((l) => ({ begin: l.begin, end: l.end, speed: String(l.speedMBps), is_utc: true })),
  };
}

/** Drop undefined fields so requests carry only what the user (or DRS) needs. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

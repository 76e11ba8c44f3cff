import type { Endpoint as SpecEndpoint, ReplicationJobSpec } from '../../../api/replication-job-spec.ts';
import type { JobContext } from '../../../reconcile/provider.ts';
import {
  INSTANCE_CLASSES,
  type AccessType,
  type CreateMigrationServiceRequest,
  type DBEndpointInfo,
  type DBInfo,
  type DBItem,
  type DatabaseTableObject,
  type MigrateType,
  type ModifyMigrationJobRequest,
  type TagFilter,
  type TagItem,
} from './api-types.ts';
import { parseDtsMigrationOptions, type DtsMigrationOptions } from './provider-options.ts';

/**
 * ReplicationJob spec → DTS 2021-12-06 migration requests. Pure: the same spec and secrets always
 * give the same request, which is what makes re-sending an action after a crash safe.
 */

/** Every job this operator creates carries this tag: the batched observation lists by it. */
export const MANAGED_TAG: Required<TagItem> = { TagKey: 'managed-by', TagValue: 'drs-operator' };
export const MANAGED_FILTER: TagFilter = { TagKey: MANAGED_TAG.TagKey, TagValue: [MANAGED_TAG.TagValue] };

/** spec.engine (and endpoint dbType) values DTS migrations offer (CreateMigrationService SrcDatabaseType). */
export const MIGRATION_ENGINES = ['mysql', 'mariadb', 'percona', 'cynosdbmysql', 'tdsqlmysql', 'tdsqlpercona', 'postgresql', 'mongodb', 'sqlserver', 'redis'] as const;

const DEFAULT_INSTANCE_CLASS = 'medium';
/** Access types that reach the database through a VPC the user names. */
const VPC_ACCESS: ReadonlySet<AccessType> = new Set(['vpc']);

type Side = 'source' | 'target';

/** Problems only a spec change fixes; empty when a DTS migration can run this spec. */
export function validateMigrationSpec(spec: ReplicationJobSpec, region: string): string[] {
  const problems: string[] = [];
  const { options, problems: optionProblems } = parseDtsMigrationOptions(spec.providerOptions);
  if (spec.type !== 'migration') problems.push(`spec.type ${spec.type} is not a migration: the DTS migration API runs type: migration only`);
  const engines: readonly string[] = MIGRATION_ENGINES;
  if (!engines.includes(spec.engine)) problems.push(`engine ${spec.engine} is not offered by DTS migrations (supported: ${MIGRATION_ENGINES.join(', ')})`);
  for (const side of ['source', 'target'] as const) {
    const dbType = endpointOf(spec, side).dbType;
    if (dbType && !engines.includes(dbType)) problems.push(`spec.${side}.dbType ${dbType} is not a DTS database type (supported: ${MIGRATION_ENGINES.join(', ')})`);
  }
  if (spec.mode === 'incremental') problems.push('spec.mode incremental is not offered by DTS migrations (they copy first): use full or fullAndIncremental');
  const classes: readonly string[] = INSTANCE_CLASSES;
  if (spec.nodeType && !classes.includes(spec.nodeType)) problems.push(`spec.nodeType ${spec.nodeType} is not a DTS instance class (${INSTANCE_CLASSES.join(', ')})`);
  if (spec.network) problems.push('spec.network is not used by DTS migrations: remove it and say how DTS reaches each database with providerOptions.sourceAccessType / targetAccessType');
  if ((spec.speedLimits ?? []).length > 0) problems.push('spec.speedLimits is not supported by DTS migrations: remove it');
  if (spec.alarms) problems.push('spec.alarms is not supported by DTS migrations: remove it (use Cloud Monitor alarms instead)');
  if (spec.syncPolicy) problems.push('spec.syncPolicy applies to sync jobs; a DTS migration has none: remove it');
  if (spec.description) problems.push('DTS migration jobs have no description: remove spec.description');
  if (spec.tags && MANAGED_TAG.TagKey in spec.tags) problems.push(`spec.tags.${MANAGED_TAG.TagKey} is reserved: the operator tags its jobs ${MANAGED_TAG.TagKey}=${MANAGED_TAG.TagValue}`);
  if (spec.target.region && spec.target.region !== region) {
    problems.push(`spec.target.region ${spec.target.region} differs from the ProviderConfig region ${region}: DTS migrates into the region the API is called in, so use a ProviderConfig of region ${spec.target.region}`);
  }
  for (const side of ['source', 'target'] as const) problems.push(...endpointProblems(spec, side, options));
  for (const db of spec.objects?.databases ?? []) {
    const listed = new Set(db.tables ?? []);
    const stray = Object.keys(db.tableAliases ?? {}).filter((t) => !listed.has(t));
    if (stray.length > 0) problems.push(`objects.databases[${db.name}].tableAliases names tables not in its tables list (${stray.join(', ')}): DTS renames only listed tables`);
  }
  if (options.stopMode && spec.mode === 'full') problems.push('providerOptions.stopMode applies to fullAndIncremental migrations only: remove it');
  problems.push(...optionProblems);
  return problems;
}

function endpointProblems(spec: ReplicationJobSpec, side: Side, options: DtsMigrationOptions): string[] {
  const e = endpointOf(spec, side);
  const access = accessType(spec, side, options);
  const problems: string[] = [];
  const where = `spec.${side}`;
  if (!e.user) problems.push(`${where}.user is required: DTS logs in to both databases`);
  if (!e.passwordSecretRef) problems.push(`${where}.passwordSecretRef is required: DTS logs in to both databases`);
  if (access === 'cdb' && !e.instanceId) problems.push(`${where}.instanceId is required with access type cdb (a TencentDB instance ID such as cdb-c1nl9rpv)`);
  if (access === 'cvm' && !e.instanceId) problems.push(`${where}.instanceId is required with access type cvm (the CVM instance ID, such as ins-olgl39y8)`);
  if (access !== 'cdb' && (!e.host || !e.port)) problems.push(`${where}.host and ${where}.port are required with access type ${access}`);
  if (VPC_ACCESS.has(access) && (!e.vpcId || !e.subnetId)) problems.push(`${where}.vpcId and ${where}.subnetId are required with access type ${access}`);
  if (e.ssl?.enabled) problems.push(`${where}.ssl is not supported by the DTS migration API: remove it`);
  if (e.kafka) problems.push(`${where}.kafka is not supported by DTS migrations: remove it`);
  return problems;
}

export function options(spec: ReplicationJobSpec): DtsMigrationOptions {
  return parseDtsMigrationOptions(spec.providerOptions).options;
}

export function migrateType(spec: ReplicationJobSpec): MigrateType {
  return spec.mode === 'full' ? 'full' : 'fullAndIncrement';
}

function endpointOf(spec: ReplicationJobSpec, side: Side): SpecEndpoint {
  return side === 'source' ? spec.source : spec.target;
}

export function databaseType(spec: ReplicationJobSpec, side: Side): string {
  return endpointOf(spec, side).dbType ?? spec.engine;
}

export function accessType(spec: ReplicationJobSpec, side: Side, opts: DtsMigrationOptions = options(spec)): AccessType {
  const explicit = side === 'source' ? opts.sourceAccessType : opts.targetAccessType;
  if (explicit) return explicit;
  return endpointOf(spec, side).instanceId ? 'cdb' : 'extranet';
}

function tags(spec: ReplicationJobSpec): TagItem[] {
  return [...Object.entries(spec.tags ?? {}).map(([TagKey, TagValue]) => ({ TagKey, TagValue })), MANAGED_TAG];
}

export function createServiceRequest(job: JobContext, region: string): CreateMigrationServiceRequest {
  const { spec } = job;
  return {
    SrcDatabaseType: databaseType(spec, 'source'),
    DstDatabaseType: databaseType(spec, 'target'),
    SrcRegion: spec.source.region ?? region,
    DstRegion: region,
    InstanceClass: spec.nodeType ?? DEFAULT_INSTANCE_CLASS,
    Count: 1,
    JobName: job.jobName,
    Tags: tags(spec),
  };
}

export function endpointInfo(job: JobContext, side: Side, region: string): DBEndpointInfo {
  const { spec } = job;
  const e = endpointOf(spec, side);
  const access = accessType(spec, side);
  const password = side === 'source' ? job.secrets.sourcePassword : job.secrets.targetPassword;
  const info: DBInfo = compact({
    Host: e.host,
    Port: e.port,
    User: e.user,
    Password: password,
    InstanceId: access === 'cdb' ? e.instanceId : undefined,
    CvmInstanceId: access === 'cvm' ? e.instanceId : undefined,
    VpcId: e.vpcId,
    SubnetId: e.subnetId,
  });
  return { Region: e.region ?? region, AccessType: access, DatabaseType: databaseType(spec, side), NodeType: 'simple', Info: [info] };
}

export function databaseTable(spec: ReplicationJobSpec): DatabaseTableObject {
  const databases = spec.objects?.databases ?? [];
  if (spec.objects?.all || databases.length === 0) return { ObjectMode: 'all' };
  return {
    ObjectMode: 'partial',
    Databases: databases.map((db): DBItem => {
      const tables = db.tables ?? [];
      if (tables.length === 0) return compact({ DbName: db.name, NewDbName: db.alias, DBMode: 'all' as const });
      return compact({
        DbName: db.name,
        NewDbName: db.alias,
        DBMode: 'partial' as const,
        TableMode: 'partial' as const,
        Tables: tables.map((table) => {
          const renamed = db.tableAliases?.[table];
          return renamed ? { TableName: table, NewTableName: renamed, TableEditMode: 'rename' as const } : { TableName: table };
        }),
      });
    }),
  };
}

/** ModifyMigrationJob: the whole configuration, both endpoints with their passwords. */
export function modifyJobRequest(jobId: string, job: JobContext, region: string): ModifyMigrationJobRequest {
  const { spec } = job;
  const opts = options(spec);
  return {
    JobId: jobId,
    RunMode: opts.expectRunTime ? 'timed' : 'immediate',
    ...(opts.expectRunTime ? { ExpectRunTime: opts.expectRunTime } : {}),
    MigrateOption: compact({
      DatabaseTable: databaseTable(spec),
      MigrateType: migrateType(spec),
      IsMigrateAccount: opts.migrateAccount,
      IsDstReadOnly: opts.targetReadOnly,
    }),
    SrcInfo: endpointInfo(job, 'source', region),
    DstInfo: endpointInfo(job, 'target', region),
    JobName: job.jobName,
    Tags: tags(spec),
  };
}

/** Drop undefined fields so requests carry only what the user (or DTS) needs. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

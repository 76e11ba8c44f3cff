import type { Endpoint as SpecEndpoint, ReplicationJobSpec } from '../../../api/replication-job-spec.ts';
import type { JobContext } from '../../../reconcile/provider.ts';
import type {
  ConfigureSyncJobRequest,
  CreateSyncJobRequest,
  Database,
  DdlOption,
  Endpoint,
  ModifySyncRateLimitRequest,
  Objects,
  OpType,
  Options,
} from './api-types.ts';
import { INSTANCE_CLASSES, MYSQL_FAMILY, SUPPORTED_DATABASE_TYPES, type AccessType } from './enums.ts';
import { parseDtsSyncProviderOptions, type DtsEndpointOptions, type DtsSyncProviderOptions } from './provider-options.ts';

/**
 * ReplicationJob spec → DTS 2021-12-06 sync-job requests. Pure: the same spec and secrets always
 * give the same request, which is what makes every action safe to re-send after a crash.
 *
 * Speed limits: DTS limits a sync job by threads and rows per second (ModifySyncRateLimit
 * DumpThread/DumpRps/LoadThread/LoadRps/SinkerThread), always on, never by MB/s or time of day.
 * spec.speedLimits (MB/s windows) therefore cannot be expressed and is refused; the DTS limits
 * come from providerOptions.rateLimit instead.
 */

type Side = 'source' | 'target';

const FULL_DDL: readonly DdlOption[] = [
  { DdlObject: 'Database', DdlValue: ['Create', 'Drop', 'Alter'] },
  { DdlObject: 'Table', DdlValue: ['Create', 'Drop', 'Alter', 'Truncate', 'Rename'] },
  { DdlObject: 'View', DdlValue: ['Create', 'Drop'] },
  { DdlObject: 'Index', DdlValue: ['Create', 'Drop'] },
];
const DML: readonly OpType[] = ['Insert', 'Update', 'Delete'];
const CONFLICT = { ignore: 'Ignore', overwrite: 'Cover', stop: 'ReportError' } as const;

export function options(spec: ReplicationJobSpec): DtsSyncProviderOptions {
  return parseDtsSyncProviderOptions(spec.providerOptions).options;
}

/** The DTS database type of one side: endpoint dbType, else the engine. */
export function databaseType(spec: ReplicationJobSpec, side: Side): string {
  return (side === 'source' ? spec.source : spec.target).dbType ?? spec.engine;
}

const endpointOf = (spec: ReplicationJobSpec, side: Side): SpecEndpoint => (side === 'source' ? spec.source : spec.target);
const endpointOptions = (spec: ReplicationJobSpec, side: Side): DtsEndpointOptions => options(spec)[side] ?? {};

/** How DTS reaches one side: providerOptions, else cdb for a cloud instance, else from spec.network. */
export function accessType(spec: ReplicationJobSpec, side: Side): AccessType {
  const explicit = endpointOptions(spec, side).accessType;
  if (explicit) return explicit;
  if (endpointOf(spec, side).instanceId) return 'cdb';
  if (spec.network?.type === 'vpc') return 'vpc';
  if (spec.network?.type === 'vpn') return 'vpncloud';
  return 'extranet';
}

/** Problems only a spec change fixes; empty when DTS can run this spec. */
export function validateForDtsSync(spec: ReplicationJobSpec, account: { region?: string | undefined }): string[] {
  const problems: string[] = [];
  const parsed = parseDtsSyncProviderOptions(spec.providerOptions);
  problems.push(...parsed.problems);
  if (spec.type !== 'sync') problems.push(`spec.type ${spec.type} is not a sync job: the Tencent DTS sync provider runs spec.type sync only`);
  const supported = SUPPORTED_DATABASE_TYPES as readonly string[];
  if (!supported.includes(spec.engine)) problems.push(`engine ${spec.engine} is not offered by Tencent DTS sync here (supported: ${supported.join(', ')})`);
  for (const side of ['source', 'target'] as const) {
    const type = databaseType(spec, side);
    if (type !== spec.engine && !supported.includes(type)) problems.push(`spec.${side}.dbType ${type} is not supported (supported: ${supported.join(', ')})`);
    else if (type !== spec.engine && family(type) !== family(spec.engine)) problems.push(`spec.${side}.dbType ${type} cannot be synced with engine ${spec.engine}`);
  }
  if (spec.mode === 'full') problems.push('spec.mode full: a DTS sync job always continues with incremental sync; use mode fullAndIncremental or incremental (or a migration job for a one-off copy)');
  if (spec.nodeType && !(INSTANCE_CLASSES as readonly string[]).includes(spec.nodeType)) {
    problems.push(`spec.nodeType ${spec.nodeType} is not a DTS sync link size (${INSTANCE_CLASSES.join(', ')})`);
  }
  if (spec.network?.securityGroupId) problems.push('spec.network.securityGroupId: DTS places its own sync link; remove it');
  if ((spec.speedLimits ?? []).length > 0) {
    problems.push('spec.speedLimits: DTS sync jobs are limited by threads and rows per second, not MB/s per time window; remove spec.speedLimits and set providerOptions.rateLimit (dumpThread, dumpRps, loadThread, loadRps, sinkerThread)');
  }
  if (spec.alarms) problems.push('spec.alarms: DTS sync alarms are configured in Tencent Cloud Observability, not on the job; remove spec.alarms');
  if (spec.description !== undefined) problems.push('spec.description: DTS sync jobs have no description (the job is named after this object); remove spec.description');
  const opts = parsed.options;
  if ((opts.payMode ?? 'PostPay') === 'PostPay' && (opts.autoRenew !== undefined || opts.timeSpanMonths !== undefined)) {
    problems.push('providerOptions.autoRenew and timeSpanMonths apply to payMode PrePay only');
  }
  for (const side of ['source', 'target'] as const) problems.push(...endpointProblems(spec, side, account.region, parsed.problems.length === 0));
  problems.push(...objectProblems(spec));
  return problems;
}

function family(type: string): string {
  return (MYSQL_FAMILY as readonly string[]).includes(type) ? 'mysql' : type;
}

function endpointProblems(spec: ReplicationJobSpec, side: Side, region: string | undefined, optionsValid: boolean): string[] {
  const e = endpointOf(spec, side);
  const at = `spec.${side}`;
  const problems: string[] = [];
  if (!e.region && !region) problems.push(`${at}.region is required when the ProviderConfig sets no region`);
  if (e.instanceName) problems.push(`${at}.instanceName: DTS identifies cloud databases by instanceId; remove instanceName`);
  if (e.projectId) problems.push(`${at}.projectId: cross-account sync is not supported by this provider; remove projectId`);
  if (e.securityGroupId) problems.push(`${at}.securityGroupId: DTS does not take a security group per endpoint; remove it`);
  if (e.kafka) problems.push(`${at}.kafka: Kafka endpoints are not supported by the Tencent DTS sync provider yet`);
  if (e.ssl && (e.ssl.caSecretRef || e.ssl.certSecretRef || e.ssl.keySecretRef || e.ssl.certPasswordSecretRef)) {
    problems.push(`${at}.ssl: DTS only switches encryption on (EncryptConn); remove the certificate references`);
  }
  if (e.ssl?.enabled && family(databaseType(spec, side)) !== 'mysql') problems.push(`${at}.ssl: DTS encrypts connections to MySQL-family databases only`);
  if (!e.user) problems.push(`${at}.user is required`);
  if (!e.passwordSecretRef) problems.push(`${at}.passwordSecretRef is required`);
  if (!optionsValid) return problems;
  const type = accessType(spec, side);
  const extra = endpointOptions(spec, side);
  const need = (ok: unknown, what: string) => {
    if (!ok) problems.push(`${at}: access type ${type} needs ${what}`);
  };
  if (type === 'cdb') need(e.instanceId, `${at}.instanceId`);
  else {
    need(e.host, `${at}.host`);
    need(e.port, `${at}.port`);
  }
  if (['vpc', 'vpncloud', 'dcg', 'ccn'].includes(type)) {
    need(e.vpcId ?? spec.network?.vpcId, `${at}.vpcId (or spec.network.vpcId)`);
    need(e.subnetId ?? spec.network?.subnetId, `${at}.subnetId (or spec.network.subnetId)`);
  }
  if (type === 'cvm') need(extra.cvmInstanceId, `providerOptions.${side}.cvmInstanceId`);
  if (type === 'vpncloud') need(extra.uniqVpnGwId, `providerOptions.${side}.uniqVpnGwId`);
  if (type === 'dcg') need(extra.uniqDcgId, `providerOptions.${side}.uniqDcgId`);
  if (type === 'ccn') {
    need(extra.ccnId, `providerOptions.${side}.ccnId`);
    need(extra.databaseNetEnv, `providerOptions.${side}.databaseNetEnv`);
  }
  return problems;
}

function objectProblems(spec: ReplicationJobSpec): string[] {
  if (spec.engine !== 'postgresql') return [];
  const problems: string[] = [];
  for (const db of spec.objects?.databases ?? []) {
    for (const table of db.tables ?? []) {
      if (table.split('.').length > 2) problems.push(`spec.objects.databases[${db.name}].tables ${table}: use schema.table`);
      const alias = db.tableAliases?.[table];
      if (alias && splitTable(alias).schema !== splitTable(table).schema) {
        problems.push(`spec.objects.databases[${db.name}].tableAliases ${table}: DTS cannot move a table to another schema`);
      }
    }
  }
  return problems;
}

/** PostgreSQL table names are schema.table; a bare name is in public. */
function splitTable(name: string): { schema: string; table: string } {
  const dot = name.indexOf('.');
  return dot < 0 ? { schema: 'public', table: name } : { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}

function regionOf(spec: ReplicationJobSpec, side: Side, region: string): string {
  return endpointOf(spec, side).region ?? region;
}

export function createSyncJobRequest(job: JobContext, region: string): CreateSyncJobRequest {
  const { spec } = job;
  const opts = options(spec);
  const payMode = opts.payMode ?? 'PostPay';
  return compact({
    PayMode: payMode,
    SrcDatabaseType: databaseType(spec, 'source'),
    SrcRegion: regionOf(spec, 'source', region),
    DstDatabaseType: databaseType(spec, 'target'),
    DstRegion: regionOf(spec, 'target', region),
    Count: 1,
    InstanceClass: spec.nodeType,
    JobName: job.jobName,
    Tags: spec.tags ? Object.entries(spec.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) : undefined,
    AutoRenew: payMode === 'PrePay' && opts.autoRenew !== undefined ? (opts.autoRenew ? 1 : 0) : undefined,
    TimeSpan: payMode === 'PrePay' ? opts.timeSpanMonths : undefined,
  }) as CreateSyncJobRequest;
}

/** The whole configuration, both endpoints with their passwords. */
export function configureSyncJobRequest(jobId: string, job: JobContext, region: string): ConfigureSyncJobRequest {
  const { spec } = job;
  const opts = options(spec);
  return compact({
    JobId: jobId,
    SrcAccessType: accessType(spec, 'source'),
    DstAccessType: accessType(spec, 'target'),
    Objects: syncObjects(spec),
    // Re-sent so a console rename cannot break the lookup by name.
    JobName: job.jobName,
    JobMode: opts.jobMode,
    // The operator starts the job itself (StartSyncJob) once the check passed.
    RunMode: 'Immediate',
    SrcInfo: endpoint(spec, 'source', job.secrets.sourcePassword, region),
    SrcNodeType: 'single',
    DstInfo: endpoint(spec, 'target', job.secrets.targetPassword, region),
    DstNodeType: 'single',
    Options: syncOptions(spec),
    AutoRetryTimeRangeMinutes: opts.autoRetryTimeRangeMinutes,
  }) as ConfigureSyncJobRequest;
}

export function endpoint(spec: ReplicationJobSpec, side: Side, password: string | undefined, region: string): Endpoint {
  const e = endpointOf(spec, side);
  const extra = endpointOptions(spec, side);
  const type = accessType(spec, side);
  const inVpc = ['vpc', 'vpncloud', 'dcg', 'ccn'].includes(type);
  return compact({
    Region: regionOf(spec, side, region),
    InstanceId: e.instanceId,
    Ip: e.host,
    Port: e.port,
    User: e.user,
    Password: password,
    DbName: e.database,
    VpcId: e.vpcId ?? (inVpc ? spec.network?.vpcId : undefined),
    SubnetId: e.subnetId ?? (inVpc ? spec.network?.subnetId : undefined),
    CvmInstanceId: extra.cvmInstanceId,
    UniqVpnGwId: extra.uniqVpnGwId,
    UniqDcgId: extra.uniqDcgId,
    CcnId: extra.ccnId,
    DatabaseNetEnv: extra.databaseNetEnv,
    EngineVersion: extra.engineVersion,
    Supplier: extra.supplier,
    EncryptConn: e.ssl ? (e.ssl.enabled ? 'Encrypted' : 'UnEncrypted') : undefined,
  }) as Endpoint;
}

/** spec.objects → Objects: everything (Mode All), or databases and their tables (Mode Partial). */
export function syncObjects(spec: ReplicationJobSpec): Objects {
  const databases = spec.objects?.databases ?? [];
  if (spec.objects?.all || databases.length === 0) return { Mode: 'All' };
  const postgres = spec.engine === 'postgresql';
  const out: Database[] = [];
  for (const db of databases) {
    const tables = db.tables ?? [];
    const base = compact({ DbName: db.name, NewDbName: db.alias });
    if (tables.length === 0) {
      // A whole database: every object kind is All (DTS wants them spelled out for whole databases).
      out.push({ ...base, DbMode: 'All', TableMode: 'All', ViewMode: 'All', FunctionMode: 'All', ProcedureMode: 'All' });
      continue;
    }
    if (!postgres) {
      out.push({ ...base, DbMode: 'Partial', TableMode: 'Partial', Tables: tables.map((t) => compact({ TableName: t, NewTableName: db.tableAliases?.[t] })) });
      continue;
    }
    // PostgreSQL: one entry per schema.
    const bySchema = new Map<string, { TableName: string; NewTableName?: string }[]>();
    for (const t of tables) {
      const { schema, table } = splitTable(t);
      const alias = db.tableAliases?.[t];
      const list = bySchema.get(schema) ?? [];
      list.push(compact({ TableName: table, NewTableName: alias ? splitTable(alias).table : undefined }));
      bySchema.set(schema, list);
    }
    for (const [schema, list] of bySchema) out.push({ ...base, DbMode: 'Partial', SchemaName: schema, TableMode: 'Partial', Tables: list });
  }
  return { Mode: 'Partial', Databases: out };
}

export function syncOptions(spec: ReplicationJobSpec): Options {
  const opts = options(spec);
  const initType = spec.mode === 'incremental' ? 'None' : (opts.initType ?? 'Full');
  const conflict = spec.syncPolicy?.conflict;
  return compact({
    InitType: initType,
    DealOfExistSameTable: opts.dealOfExistSameTable,
    ConflictHandleType: conflict ? CONFLICT[conflict] : undefined,
    ...operations(spec.syncPolicy),
  }) as Options;
}

/**
 * syncPolicy.ddl / indexes / filterDropDatabase → OpTypes and DdlOptions. Unset: DTS defaults.
 * All DDL → OpTypes DDL; none → DML only; anything in between → PartialDDL with the DDL list.
 */
export function operations(policy: ReplicationJobSpec['syncPolicy']): { OpTypes?: OpType[]; DdlOptions?: DdlOption[] } {
  const p = policy ?? {};
  if (p.ddl === undefined && p.indexes === undefined && p.filterDropDatabase === undefined) return {};
  const ddl = p.ddl ?? true;
  const wanted: DdlOption[] = [];
  for (const option of FULL_DDL) {
    if (option.DdlObject === 'Index' ? !(p.indexes ?? ddl) : !ddl) continue;
    const values = option.DdlObject === 'Database' && p.filterDropDatabase ? option.DdlValue.filter((v) => v !== 'Drop') : option.DdlValue;
    wanted.push({ DdlObject: option.DdlObject, DdlValue: [...values] });
  }
  const total = (list: readonly DdlOption[]) => list.reduce((n, o) => n + o.DdlValue.length, 0);
  if (wanted.length === 0) return { OpTypes: [...DML] };
  if (total(wanted) === total(FULL_DDL)) return { OpTypes: [...DML, 'DDL'] };
  return { OpTypes: [...DML, 'PartialDDL'], DdlOptions: wanted };
}

/** providerOptions.rateLimit → ModifySyncRateLimit; undefined when none is set. */
export function rateLimitRequest(jobId: string, spec: ReplicationJobSpec): ModifySyncRateLimitRequest | undefined {
  const limit = options(spec).rateLimit;
  if (!limit) return undefined;
  return compact({
    JobId: jobId,
    DumpThread: limit.dumpThread,
    DumpRps: limit.dumpRps,
    LoadThread: limit.loadThread,
    LoadRps: limit.loadRps,
    SinkerThread: limit.sinkerThread,
  }) as ModifySyncRateLimitRequest;
}

/** Drop undefined fields so requests carry only what is set. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

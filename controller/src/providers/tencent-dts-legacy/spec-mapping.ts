import type { Endpoint, ReplicationJobSpec } from '../../api/replication-job-spec.ts';
import type { JobContext } from '../../reconcile/provider.ts';
import type { CreateMigrateJobRequest, DstInfo, MigrateOption, ModifyMigrateJobRequest, SrcInfo } from './api-types.ts';
import { parseDtsLegacyProviderOptions, type DtsLegacyProviderOptions } from './provider-options.ts';

/**
 * ReplicationJob spec → CreateMigrateJob / ModifyMigrateJob requests, and the spec problems this
 * API cannot run. Pure: the same spec and secrets always give the same request.
 */

export const LEGACY_ENGINES = ['mysql', 'redis', 'mongodb'] as const;

const CONSISTENCY_TYPE = { full: 2, sample: 3, inconsistentTablesOnly: 4, none: 5 } as const;
/** ConsistencyType 1: "not configured" (the seed's own example sends it). */
const CONSISTENCY_NOT_CONFIGURED = 1;

type SrcAccessType = NonNullable<DtsLegacyProviderOptions['srcAccessType']>;

/** Problems only a spec change fixes; each names the field and what to do. Empty when the API can run the spec. */
export function validateForLegacy(spec: ReplicationJobSpec): string[] {
  const problems: string[] = [];
  const { options, problems: optionProblems } = parseDtsLegacyProviderOptions(spec.providerOptions);
  problems.push(...optionProblems);

  if (!(LEGACY_ENGINES as readonly string[]).includes(spec.engine)) {
    problems.push(`spec.engine ${spec.engine} is not offered by the 2018-03-30 migrate API: use mysql, redis or mongodb`);
  }
  for (const side of ['source', 'target'] as const) {
    const dbType = spec[side].dbType;
    if (dbType && dbType !== spec.engine) problems.push(`spec.${side}.dbType ${dbType} differs from spec.engine ${spec.engine}: migrate jobs copy between databases of the same type; remove spec.${side}.dbType`);
  }
  if (spec.type !== 'migration') {
    problems.push(`spec.type ${spec.type} is not supported: the 2018-03-30 API runs migration jobs only; set spec.type to migration (or use provider tencent-dts for sync jobs)`);
  }
  if (spec.mode === 'incremental') {
    problems.push('spec.mode incremental is not supported: MigrateType offers full or fullAndIncremental only; set spec.mode to one of them');
  }
  if (spec.state === 'Paused') {
    problems.push('spec.state Paused is not supported: the 2018-03-30 migrate API cannot pause a job; set spec.state to Running or Stopped');
  }
  const refused: [keyof ReplicationJobSpec, string][] = [
    ['speedLimits', 'the migrate API has no speed limits'],
    ['alarms', 'the migrate API has no alarm settings'],
    ['syncPolicy', 'migrate jobs have no conflict or DDL policy'],
    ['tags', 'CreateMigrateJob takes no tags'],
    ['description', 'migrate jobs have no description field'],
    ['nodeType', 'migrate jobs have no instance size'],
    ['network', 'choose how DTS reaches the source with spec.providerOptions.srcAccessType and spec.source.vpcId/subnetId'],
  ];
  for (const [field, why] of refused) {
    const value = spec[field];
    const set = Array.isArray(value) ? value.length > 0 : value !== undefined;
    if (set) problems.push(`spec.${field} is not supported by the 2018-03-30 migrate API (${why}); remove it`);
  }

  problems.push(...sourceProblems(spec, options), ...targetProblems(spec, options));
  problems.push(...objectProblems(spec));

  const wholeInstance = !spec.objects?.databases?.length;
  if (options.structureOnly && spec.mode !== 'full') problems.push('spec.providerOptions.structureOnly needs spec.mode full (a schema-only copy cannot stream changes)');
  if (options.consistencyCheck === 'sample' && !options.consistencySample) {
    problems.push('spec.providerOptions.consistencyCheck sample needs spec.providerOptions.consistencySample {rowsPercent, tablesPercent, countTablesPercent}');
  }
  if (options.consistencySample && options.consistencyCheck !== 'sample') {
    problems.push('spec.providerOptions.consistencySample is only used with consistencyCheck: sample; remove it or set consistencyCheck to sample');
  }
  if (options.overrideRoot && (!wholeInstance || options.structureOnly)) {
    problems.push('spec.providerOptions.overrideRoot is only allowed for whole-instance data migrations: remove it, or remove spec.objects.databases and structureOnly');
  }
  if (options.targetReadOnly !== undefined && (spec.engine !== 'mysql' || !wholeInstance)) {
    problems.push('spec.providerOptions.targetReadOnly applies to MySQL whole-instance migrations only; remove it');
  }
  if (options.externParams && spec.engine === 'mysql') problems.push('spec.providerOptions.externParams is for Redis and MongoDB; MySQL takes none, remove it');
  return problems;
}

function sourceProblems(spec: ReplicationJobSpec, options: DtsLegacyProviderOptions): string[] {
  const problems: string[] = [];
  const s = spec.source;
  const access = srcAccessType(spec, options);
  const need = (ok: unknown, field: string) => {
    if (!ok) problems.push(`${field} is required when the source is reached as ${access} (spec.providerOptions.srcAccessType)`);
  };
  if (!s.user) problems.push('spec.source.user is required: the account DTS reads the source with');
  if (access === 'cdb') need(s.instanceId, 'spec.source.instanceId');
  else need(s.port, 'spec.source.port');
  if (['extranet', 'vpnselfbuild', 'dcg', 'vpncloud'].includes(access)) need(s.host, 'spec.source.host');
  if (access === 'cvm') need(options.cvmInstanceId, 'spec.providerOptions.cvmInstanceId');
  if (access === 'dcg') need(options.dcgId, 'spec.providerOptions.dcgId');
  if (access === 'vpncloud') need(options.vpnGatewayId, 'spec.providerOptions.vpnGatewayId');
  if (access === 'dcg' || access === 'vpncloud') {
    need(s.vpcId, 'spec.source.vpcId');
    need(s.subnetId, 'spec.source.subnetId');
  }
  problems.push(...unsupportedEndpointFields('source', s));
  return problems;
}

function targetProblems(spec: ReplicationJobSpec, _options: DtsLegacyProviderOptions): string[] {
  const problems: string[] = [];
  const t = spec.target;
  if (!t.instanceId) problems.push('spec.target.instanceId is required: DstAccessType is cdb only, so the target is a Tencent Cloud instance (e.g. cdb-jd92ijd8)');
  if (t.host || t.port) problems.push('spec.target.host and spec.target.port are not used: DTS reaches the target instance by spec.target.instanceId; remove them');
  problems.push(...unsupportedEndpointFields('target', t));
  return problems;
}

function unsupportedEndpointFields(side: 'source' | 'target', e: Endpoint): string[] {
  const problems: string[] = [];
  if (e.ssl) problems.push(`spec.${side}.ssl is not supported by the 2018-03-30 migrate API; remove it`);
  if (e.kafka) problems.push(`spec.${side}.kafka is not supported by the 2018-03-30 migrate API; remove it`);
  if (e.database) problems.push(`spec.${side}.database is not used by migrate jobs: select databases with spec.objects.databases instead`);
  return problems;
}

function objectProblems(spec: ReplicationJobSpec): string[] {
  const problems: string[] = [];
  const databases = spec.objects?.databases;
  if (databases && databases.length === 0 && !spec.objects?.all) problems.push('spec.objects.databases is empty: list the databases to migrate, or set spec.objects.all: true');
  (databases ?? []).forEach((d, i) => {
    if (d.alias) problems.push(`spec.objects.databases[${i}].alias is not supported: migrate jobs keep database names; remove it`);
    if (d.tableAliases && Object.keys(d.tableAliases).length > 0) problems.push(`spec.objects.databases[${i}].tableAliases is not supported: migrate jobs keep table names; remove it`);
  });
  return problems;
}

export function options(spec: ReplicationJobSpec): DtsLegacyProviderOptions {
  return parseDtsLegacyProviderOptions(spec.providerOptions).options;
}

export function srcAccessType(spec: ReplicationJobSpec, opts: DtsLegacyProviderOptions = options(spec)): SrcAccessType {
  if (opts.srcAccessType) return opts.srcAccessType;
  return spec.source.instanceId && !spec.source.host ? 'cdb' : 'extranet';
}

/** spec.mode (+ structureOnly) → MigrateType: 1 structure, 2 full, 3 full + incremental. */
export function migrateType(spec: ReplicationJobSpec): number {
  if (options(spec).structureOnly) return 1;
  return spec.mode === 'full' ? 2 : 3;
}

/** spec.objects.databases → the DatabaseInfo JSON string; undefined for a whole-instance migration. */
export function databaseInfo(spec: ReplicationJobSpec): string | undefined {
  const databases = spec.objects?.databases;
  if (!databases?.length) return undefined;
  return JSON.stringify(databases.map((d) => ({ Database: d.name, ...(d.tables?.length ? { Table: d.tables } : {}) })));
}

export function migrateOption(spec: ReplicationJobSpec): MigrateOption {
  const opts = options(spec);
  const wholeInstance = databaseInfo(spec) === undefined;
  const sample = opts.consistencyCheck === 'sample' ? opts.consistencySample : undefined;
  return {
    // Timed runs are not offered: the operator starts the job as soon as its check passes.
    RunMode: 1,
    MigrateType: migrateType(spec),
    MigrateObject: wholeInstance ? 1 : 2,
    ConsistencyType: opts.consistencyCheck ? CONSISTENCY_TYPE[opts.consistencyCheck] : CONSISTENCY_NOT_CONFIGURED,
    IsOverrideRoot: opts.overrideRoot ? 1 : 0,
    ...(opts.externParams ? { ExternParams: JSON.stringify(opts.externParams) } : {}),
    ...(sample ? { ConsistencyParams: { SelectRowsPerTable: sample.rowsPercent, TablesSelectAll: sample.tablesPercent, TablesSelectCount: sample.countTablesPercent } } : {}),
  };
}

export function srcInfo(job: JobContext, accountRegion: string): SrcInfo {
  const { spec } = job;
  const s = spec.source;
  const opts = options(spec);
  const access = srcAccessType(spec, opts);
  return compact({
    Ip: s.host,
    Port: s.port,
    User: s.user,
    Password: job.secrets.sourcePassword,
    InstanceId: access === 'cdb' ? s.instanceId : undefined,
    CvmInstanceId: access === 'cvm' ? opts.cvmInstanceId : undefined,
    UniqDcgId: access === 'dcg' ? opts.dcgId : undefined,
    UniqVpnGwId: access === 'vpncloud' ? opts.vpnGatewayId : undefined,
    VpcId: s.vpcId,
    SubnetId: s.subnetId,
    Region: s.region ?? accountRegion,
    // Alibaba Cloud RDS sources (Supplier aliyun) would need an AccessKey: not offered.
    Supplier: 'others',
  });
}

export function dstInfo(job: JobContext, accountRegion: string): DstInfo {
  const t = job.spec.target;
  const readOnly = options(job.spec).targetReadOnly;
  return {
    Region: t.region ?? accountRegion,
    ...compact({
      InstanceId: t.instanceId,
      User: t.user,
      Password: job.secrets.targetPassword,
      ReadOnly: readOnly === undefined ? undefined : readOnly ? 1 : 0,
    }),
  };
}

/** The whole job in one CreateMigrateJob: this API has no separate configure step. */
export function createRequest(job: JobContext, accountRegion: string): CreateMigrateJobRequest {
  const info = databaseInfo(job.spec);
  return {
    JobName: job.jobName,
    MigrateOption: migrateOption(job.spec),
    SrcDatabaseType: job.spec.engine,
    SrcAccessType: srcAccessType(job.spec),
    SrcInfo: srcInfo(job, accountRegion),
    DstDatabaseType: job.spec.engine,
    DstAccessType: 'cdb',
    DstInfo: dstInfo(job, accountRegion),
    ...(info ? { DatabaseInfo: info } : {}),
  };
}

/**
 * The same configuration for ModifyMigrateJob, re-applied before a re-check so the check runs
 * against the current spec and Secrets (a fixed password, a corrected host). The name stays.
 */
export function modifyRequest(jobId: string, job: JobContext, accountRegion: string): ModifyMigrateJobRequest {
  const { JobName: _name, SrcDatabaseType: _s, DstDatabaseType: _d, ...rest } = createRequest(job, accountRegion);
  return { JobId: jobId, ...rest };
}

function compact<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

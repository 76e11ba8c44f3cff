import { Api3Error } from '../../tencent-api3/server.ts';
import type { RateLimit, SyncConfig, SyncJobPurchase } from './model.ts';

/**
 * Request checks as DTS answers them: MissingParameter for an absent required field,
 * InvalidParameterValue.InvalidParameterValueError for a wrong type or value. Each message
 * names the field.
 */
type Params = Record<string, unknown>;

const INVALID = 'InvalidParameterValue.InvalidParameterValueError';

export const invalid = (message: string) => new Api3Error(INVALID, message);
export const missing = (field: string) => new Api3Error('MissingParameter', `The request is missing a required parameter ${field}`);

export function str(params: Params, key: string, opts: { required?: boolean; oneOf?: readonly string[]; at?: string } = {}): string | undefined {
  const name = opts.at ? `${opts.at}.${key}` : key;
  const value = params[key];
  if (value === undefined || value === null || value === '') {
    if (opts.required) throw missing(name);
    return undefined;
  }
  if (typeof value !== 'string') throw invalid(`${name} must be a string`);
  if (opts.oneOf && !opts.oneOf.includes(value)) throw invalid(`${name} ${value} is not one of ${opts.oneOf.join(', ')}`);
  return value;
}

export function int(params: Params, key: string, opts: { required?: boolean; min?: number; max?: number; at?: string } = {}): number | undefined {
  const name = opts.at ? `${opts.at}.${key}` : key;
  const value = params[key];
  if (value === undefined || value === null) {
    if (opts.required) throw missing(name);
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(`${name} must be an integer`);
  if ((opts.min !== undefined && value < opts.min) || (opts.max !== undefined && value > opts.max)) {
    throw invalid(`${name} ${value} is out of range [${opts.min ?? '-∞'}, ${opts.max ?? '∞'}]`);
  }
  return value;
}

function obj(params: Params, key: string, opts: { required?: boolean; at?: string } = {}): Params | undefined {
  const name = opts.at ? `${opts.at}.${key}` : key;
  const value = params[key];
  if (value === undefined || value === null) {
    if (opts.required) throw missing(name);
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`${name} must be an object`);
  return value as Params;
}

function list(params: Params, key: string, at?: string): unknown[] | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid(`${at ? `${at}.` : ''}${key} must be an array`);
  return value;
}

export const PAY_MODES = ['PrePay', 'PostPay'] as const;
export const DATABASE_TYPES = ['mysql', 'mariadb', 'percona', 'cynosdbmysql', 'tdsqlmysql', 'tdstore', 'postgresql', 'tdpg', 'mongodb', 'kafka'] as const;
export const INSTANCE_CLASSES = ['micro', 'small', 'medium', 'large'] as const;
const ACCESS_TYPES = ['cdb', 'cvm', 'vpc', 'extranet', 'intranet', 'vpncloud', 'dcg', 'ccn', 'ckafka'] as const;

/** A CreateSyncJob request: `Count` jobs of one purchase. */
export interface CreateInput extends SyncJobPurchase {
  Count: number;
}

export function parseCreate(p: Params): CreateInput {
  const tags = (list(p, 'Tags') ?? []).map((t, i) => {
    if (typeof t !== 'object' || t === null) throw invalid(`Tags.${i} must be an object`);
    return { TagKey: str(t as Params, 'TagKey', { required: true, at: `Tags.${i}` })!, TagValue: str(t as Params, 'TagValue', { at: `Tags.${i}` }) ?? '' };
  });
  return {
    PayMode: str(p, 'PayMode', { required: true, oneOf: PAY_MODES }) as CreateInput['PayMode'],
    SrcDatabaseType: str(p, 'SrcDatabaseType', { required: true, oneOf: DATABASE_TYPES })!,
    SrcRegion: str(p, 'SrcRegion', { required: true })!,
    DstDatabaseType: str(p, 'DstDatabaseType', { required: true, oneOf: DATABASE_TYPES })!,
    DstRegion: str(p, 'DstRegion', { required: true })!,
    Specification: str(p, 'Specification', { oneOf: ['Standard'] }) ?? 'Standard',
    Count: int(p, 'Count', { min: 1, max: 10 }) ?? 1,
    AutoRenew: int(p, 'AutoRenew', { min: 0, max: 1 }) ?? 0,
    InstanceClass: str(p, 'InstanceClass', { oneOf: INSTANCE_CLASSES }) ?? 'medium',
    JobName: str(p, 'JobName') ?? '',
    Tags: tags,
  };
}

/** SrcInfo / DstInfo: what each access type needs (SDK Endpoint field docs). */
function parseEndpoint(p: Params, key: 'SrcInfo' | 'DstInfo', accessType: string): Params {
  const e = obj(p, key, { required: true })!;
  str(e, 'Region', { required: true, at: key });
  if (accessType === 'cdb') str(e, 'InstanceId', { required: true, at: key });
  else {
    str(e, 'Ip', { required: true, at: key });
    int(e, 'Port', { required: true, min: 1, max: 65535, at: key });
  }
  if (['vpc', 'vpncloud', 'dcg', 'ccn'].includes(accessType)) {
    str(e, 'VpcId', { required: true, at: key });
    str(e, 'SubnetId', { required: true, at: key });
  }
  if (accessType === 'cvm') str(e, 'CvmInstanceId', { required: true, at: key });
  if (accessType === 'vpncloud') str(e, 'UniqVpnGwId', { required: true, at: key });
  if (accessType === 'dcg') str(e, 'UniqDcgId', { required: true, at: key });
  if (accessType === 'ccn') {
    str(e, 'CcnId', { required: true, at: key });
    str(e, 'DatabaseNetEnv', { required: true, oneOf: ['UserIDC', 'TencentVPC'], at: key });
  }
  str(e, 'User', { required: true, at: key });
  str(e, 'Password', { required: true, at: key });
  str(e, 'EncryptConn', { oneOf: ['Encrypted', 'UnEncrypted'], at: key });
  return e;
}

function parseObjects(p: Params): Params {
  const o = obj(p, 'Objects', { required: true })!;
  const mode = str(o, 'Mode', { required: true, oneOf: ['All', 'Partial'], at: 'Objects' });
  if (mode === 'All') return o;
  const databases = list(o, 'Databases', 'Objects') ?? [];
  if (databases.length === 0) throw invalid('Objects.Databases must not be empty when Objects.Mode is Partial');
  databases.forEach((d, i) => {
    const at = `Objects.Databases.${i}`;
    if (typeof d !== 'object' || d === null) throw invalid(`${at} must be an object`);
    const db = d as Params;
    str(db, 'DbName', { required: true, at });
    const dbMode = str(db, 'DbMode', { required: true, oneOf: ['All', 'Partial'], at });
    const tableMode = str(db, 'TableMode', { required: dbMode === 'Partial', oneOf: ['All', 'Partial'], at });
    if (tableMode === 'Partial') {
      const tables = list(db, 'Tables', at) ?? [];
      if (tables.length === 0) throw invalid(`${at}.Tables must not be empty when TableMode is Partial`);
      tables.forEach((t, j) => {
        if (typeof t !== 'object' || t === null) throw invalid(`${at}.Tables.${j} must be an object`);
        str(t as Params, 'TableName', { required: true, at: `${at}.Tables.${j}` });
      });
    }
  });
  return o;
}

const DDL_VALUES: Readonly<Record<string, readonly string[]>> = {
  Database: ['Create', 'Drop', 'Alter'],
  Table: ['Create', 'Drop', 'Alter', 'Truncate', 'Rename'],
  View: ['Create', 'Drop'],
  Index: ['Create', 'Drop'],
};

function parseOptions(p: Params): SyncConfig['Options'] {
  const o = obj(p, 'Options') ?? {};
  const initType = str(o, 'InitType', { oneOf: ['Data', 'Structure', 'Full', 'None'], at: 'Options' }) ?? 'Full';
  str(o, 'DealOfExistSameTable', { oneOf: ['ReportErrorAfterCheck', 'ExecuteAfterIgnore'], at: 'Options' });
  str(o, 'ConflictHandleType', { oneOf: ['ReportError', 'Ignore', 'Cover', 'ConditionCover'], at: 'Options' });
  const opTypes = list(o, 'OpTypes', 'Options');
  if (opTypes) {
    for (const t of opTypes) if (!['Insert', 'Update', 'Delete', 'DDL', 'PartialDDL'].includes(String(t))) throw invalid(`Options.OpTypes ${String(t)} is not one of Insert, Update, Delete, DDL, PartialDDL`);
    if (!opTypes.some((t) => ['Insert', 'Update', 'Delete'].includes(String(t)))) throw invalid('Options.OpTypes must contain at least one of Insert, Update, Delete');
    const ddl = list(o, 'DdlOptions', 'Options') ?? [];
    if (opTypes.includes('PartialDDL') && ddl.length === 0) throw invalid('Options.DdlOptions must not be empty when Options.OpTypes contains PartialDDL');
    ddl.forEach((d, i) => {
      const at = `Options.DdlOptions.${i}`;
      const object = str((d ?? {}) as Params, 'DdlObject', { required: true, oneOf: Object.keys(DDL_VALUES), at })!;
      for (const v of list((d ?? {}) as Params, 'DdlValue', at) ?? []) {
        if (!DDL_VALUES[object]!.includes(String(v))) throw invalid(`${at}.DdlValue ${String(v)} is not valid for ${object} (${DDL_VALUES[object]!.join(', ')})`);
      }
    });
  }
  return { ...o, InitType: initType };
}

export function parseConfigure(p: Params, job: { SrcDatabaseType: string; DstDatabaseType: string }): SyncConfig {
  const srcAccess = str(p, 'SrcAccessType', { required: true, oneOf: ACCESS_TYPES })!;
  const dstAccess = str(p, 'DstAccessType', { required: true, oneOf: ACCESS_TYPES })!;
  for (const key of ['SrcNodeType', 'DstNodeType']) {
    if (str(p, key, { oneOf: ['single', 'cluster'] }) === 'cluster') throw invalid(`${key} cluster needs ${key === 'SrcNodeType' ? 'SrcInfos' : 'DstInfos'}, which this simulator does not model`);
  }
  if (job.DstDatabaseType === 'kafka' || job.SrcDatabaseType === 'mongodb') throw invalid('this simulator models single-node SQL endpoints only');
  const runMode = str(p, 'RunMode', { oneOf: ['Immediate', 'Timed'] }) ?? 'Immediate';
  const expect = str(p, 'ExpectRunTime', { required: runMode === 'Timed' });
  const retry = int(p, 'AutoRetryTimeRangeMinutes', { min: 0, max: 720 }) ?? 0;
  if (retry > 0 && retry < 5) throw invalid('AutoRetryTimeRangeMinutes must be 0 or 5-720');
  return {
    SrcAccessType: srcAccess,
    DstAccessType: dstAccess,
    Objects: parseObjects(p),
    JobMode: str(p, 'JobMode', { oneOf: ['fullMode', 'liteMode'] }) ?? 'fullMode',
    RunMode: runMode,
    ...(expect ? { ExpectRunTime: expect } : {}),
    SrcInfo: parseEndpoint(p, 'SrcInfo', srcAccess),
    DstInfo: parseEndpoint(p, 'DstInfo', dstAccess),
    SrcNodeType: 'single',
    DstNodeType: 'single',
    Options: parseOptions(p),
    AutoRetryTimeRangeMinutes: retry,
  };
}

/** ModifySyncRateLimit: 0 (or absent) keeps the current value, as the API's own example sends. */
export function parseRateLimit(p: Params): Partial<Omit<RateLimit, 'userSet'>> {
  const value = (key: keyof Omit<RateLimit, 'userSet'>, max: number) => {
    const v = int(p, key, { min: 0, max });
    return v ? { [key]: v } : {};
  };
  return {
    ...value('DumpThread', 16),
    ...value('DumpRps', 50_000_000),
    ...value('LoadThread', 16),
    ...value('LoadRps', 50_000_000),
    ...value('SinkerThread', 128),
  };
}

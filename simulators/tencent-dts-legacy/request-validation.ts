import type { CreateMigrateJobRequest, DstInfo, MigrateOption, SrcInfo } from '../../controller/src/providers/tencent-dts-legacy/api-types.ts';
import { Api3Error } from '../tencent-api3/server.ts';

/**
 * Parameter checks of CreateMigrateJob / ModifyMigrateJob as the seed describes them: the enums,
 * the access-type dependent SrcInfo fields, DstAccessType cdb only, DatabaseInfo for "specified
 * objects" migrations. A failure is InvalidParameter (UnknownParameter for a key the API does
 * not have, as API 3.0 answers), naming the parameter.
 */

export const DATABASE_TYPES = ['mysql', 'redis', 'mongodb'];
export const SRC_ACCESS_TYPES = ['extranet', 'cvm', 'dcg', 'vpncloud', 'vpnselfbuild', 'cdb'];
const CREATE_KEYS = ['JobName', 'MigrateOption', 'SrcDatabaseType', 'SrcAccessType', 'SrcInfo', 'DstDatabaseType', 'DstAccessType', 'DstInfo', 'DatabaseInfo'];
const MODIFY_KEYS = ['JobId', 'JobName', 'MigrateOption', 'SrcAccessType', 'SrcInfo', 'DstAccessType', 'DstInfo', 'DatabaseInfo'];
const OPTION_KEYS = ['RunMode', 'ExpectTime', 'MigrateType', 'MigrateObject', 'ConsistencyType', 'IsOverrideRoot', 'ExternParams', 'ConsistencyParams'];
const SRC_KEYS = ['AccessKey', 'Ip', 'Port', 'User', 'Password', 'RdsInstanceId', 'CvmInstanceId', 'UniqDcgId', 'VpcId', 'SubnetId', 'UniqVpnGwId', 'InstanceId', 'Region', 'Supplier', 'CcnId', 'EngineVersion'];
const DST_KEYS = ['InstanceId', 'Region', 'Ip', 'Port', 'ReadOnly', 'User', 'Password'];
const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

const invalid = (message: string) => new Api3Error('InvalidParameter', message);

export function checkKnownKeys(params: Record<string, unknown>, action: 'CreateMigrateJob' | 'ModifyMigrateJob'): void {
  const known = action === 'CreateMigrateJob' ? CREATE_KEYS : MODIFY_KEYS;
  const unknown = Object.keys(params).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new Api3Error('UnknownParameter', `The parameter ${unknown[0]} is not recognized by ${action}`);
}

export function requireJobId(params: Record<string, unknown>): string {
  const id = params.JobId;
  if (typeof id !== 'string' || id === '') throw invalid('JobId is required: the ID of the data migration task (dts-xxxxxxxx)');
  return id;
}

export function jobName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 64) throw invalid('JobName must be a non-empty string of at most 64 characters');
  return value;
}

/** A whole, valid configuration (after a Modify merged its changes in). */
export function checkConfiguration(c: CreateMigrateJobRequest): void {
  checkOption(c.MigrateOption);
  if (!DATABASE_TYPES.includes(c.SrcDatabaseType)) throw invalid(`SrcDatabaseType ${String(c.SrcDatabaseType)} is not supported: mysql, redis or mongodb`);
  if (!DATABASE_TYPES.includes(c.DstDatabaseType)) throw invalid(`DstDatabaseType ${String(c.DstDatabaseType)} is not supported: mysql, redis or mongodb`);
  if (c.SrcDatabaseType !== c.DstDatabaseType) throw invalid(`SrcDatabaseType ${c.SrcDatabaseType} and DstDatabaseType ${c.DstDatabaseType} differ: migration between different database types is not supported`);
  if (!SRC_ACCESS_TYPES.includes(c.SrcAccessType)) throw invalid(`SrcAccessType ${String(c.SrcAccessType)} is not supported: ${SRC_ACCESS_TYPES.join(', ')}`);
  if (c.DstAccessType !== 'cdb') throw invalid(`DstAccessType ${String(c.DstAccessType)} is not supported: only cdb`);
  checkSrcInfo(c.SrcInfo, c.SrcAccessType);
  checkDstInfo(c.DstInfo);
  if (c.SrcDatabaseType === 'mysql' && c.MigrateOption.ExternParams && !['', '[]', '{}'].includes(c.MigrateOption.ExternParams)) {
    throw invalid('MigrateOption.ExternParams is not supported for mysql');
  }
  checkDatabaseInfo(c.DatabaseInfo, c.MigrateOption.MigrateObject ?? 1);
}

function checkOption(o: MigrateOption): void {
  if (!isObject(o as unknown)) throw invalid('MigrateOption is required');
  onlyKeys(o, OPTION_KEYS, 'MigrateOption');
  oneOf(o.RunMode, [1, 2], 'MigrateOption.RunMode');
  if (o.RunMode === 2 && (typeof o.ExpectTime !== 'string' || !TIME.test(o.ExpectTime))) {
    throw invalid('MigrateOption.ExpectTime is required when RunMode is 2, formatted yyyy-mm-dd hh:mm:ss');
  }
  oneOf(o.MigrateType, [1, 2, 3], 'MigrateOption.MigrateType');
  oneOf(o.MigrateObject, [1, 2], 'MigrateOption.MigrateObject');
  if (o.ConsistencyType !== undefined) oneOf(o.ConsistencyType, [1, 2, 3, 4, 5], 'MigrateOption.ConsistencyType');
  if (o.IsOverrideRoot !== undefined) oneOf(o.IsOverrideRoot, [0, 1], 'MigrateOption.IsOverrideRoot');
  if (o.IsOverrideRoot === 1 && (o.MigrateObject === 2 || o.MigrateType === 1)) {
    throw invalid('MigrateOption.IsOverrideRoot must be 0 for a database/table selection or a structure migration');
  }
  if (o.ConsistencyType === 3) {
    const p = o.ConsistencyParams;
    if (!p || !isObject(p as unknown)) throw invalid('MigrateOption.ConsistencyParams is required when ConsistencyType is 3 (sampling check)');
    for (const key of ['SelectRowsPerTable', 'TablesSelectAll', 'TablesSelectCount'] as const) {
      const v = p[key];
      if (!Number.isInteger(v) || v < 1 || v > 100) throw invalid(`MigrateOption.ConsistencyParams.${key} must be an integer from 1 to 100`);
    }
  }
  if (o.ExternParams !== undefined) {
    if (typeof o.ExternParams !== 'string') throw invalid('MigrateOption.ExternParams must be a JSON string');
    try {
      JSON.parse(o.ExternParams);
    } catch {
      throw invalid('MigrateOption.ExternParams is not valid JSON');
    }
  }
}

/** Which SrcInfo fields each access type needs (the SDK's field notes). */
const SRC_REQUIRED: Record<string, (keyof SrcInfo)[]> = {
  extranet: ['Ip', 'Port', 'User'],
  vpnselfbuild: ['Ip', 'Port', 'User'],
  cvm: ['CvmInstanceId', 'Port', 'User'],
  dcg: ['UniqDcgId', 'VpcId', 'SubnetId', 'Ip', 'Port', 'User'],
  vpncloud: ['UniqVpnGwId', 'VpcId', 'SubnetId', 'Ip', 'Port', 'User'],
  cdb: ['InstanceId', 'User'],
};

function checkSrcInfo(s: SrcInfo, access: string): void {
  if (!isObject(s as unknown)) throw invalid('SrcInfo is required');
  onlyKeys(s, SRC_KEYS, 'SrcInfo');
  for (const field of SRC_REQUIRED[access] ?? []) {
    if (s[field] === undefined || s[field] === '') throw invalid(`SrcInfo.${field} is required when SrcAccessType is ${access}`);
  }
  if (typeof s.Region !== 'string' || s.Region === '') throw invalid('SrcInfo.Region is required (e.g. ap-guangzhou)');
  if (s.Port !== undefined && (!Number.isInteger(s.Port) || s.Port < 1 || s.Port > 65535)) throw invalid('SrcInfo.Port must be an integer from 1 to 65535');
  if (s.Supplier !== undefined && !['aliyun', 'others'].includes(s.Supplier)) throw invalid('SrcInfo.Supplier must be aliyun or others');
}

function checkDstInfo(d: DstInfo): void {
  if (!isObject(d as unknown)) throw invalid('DstInfo is required');
  onlyKeys(d, DST_KEYS, 'DstInfo');
  if (typeof d.InstanceId !== 'string' || d.InstanceId === '') throw invalid('DstInfo.InstanceId is required (e.g. cdb-jd92ijd8)');
  if (typeof d.Region !== 'string' || d.Region === '') throw invalid('DstInfo.Region is required (e.g. ap-guangzhou)');
  if (d.ReadOnly !== undefined) oneOf(d.ReadOnly, [0, 1], 'DstInfo.ReadOnly');
}

/** Required for MigrateObject 2: a JSON array of {Database, Schema?, Table?[]}. */
function checkDatabaseInfo(info: string | undefined, migrateObject: number): void {
  if (migrateObject === 1) {
    if (info !== undefined && info !== '' && info !== '[]') throw invalid('DatabaseInfo must be empty when MigrateObject is 1 (the whole instance)');
    return;
  }
  if (typeof info !== 'string' || info === '') throw invalid('DatabaseInfo is required when MigrateObject is 2 (specified databases and tables)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(info);
  } catch {
    throw invalid('DatabaseInfo is not a JSON array');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw invalid('DatabaseInfo must be a non-empty JSON array');
  for (const entry of parsed) {
    const ok =
      isObject(entry) &&
      typeof entry.Database === 'string' &&
      entry.Database !== '' &&
      (entry.Schema === undefined || typeof entry.Schema === 'string') &&
      (entry.Table === undefined || (Array.isArray(entry.Table) && entry.Table.every((t) => typeof t === 'string' && t !== '')));
    if (!ok) throw invalid('DatabaseInfo entries must look like {"Database":"db1","Table":["table1","table2"]}');
  }
}

function oneOf(value: unknown, allowed: number[], name: string): void {
  if (typeof value !== 'number' || !allowed.includes(value)) throw invalid(`${name} must be one of ${allowed.join(', ')}`);
}

function onlyKeys(value: object, known: string[], name: string): void {
  const unknown = Object.keys(value).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new Api3Error('UnknownParameter', `The parameter ${name}.${unknown[0]} is not recognized`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

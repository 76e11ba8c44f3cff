import {
  ACCESS_TYPES,
  INSTANCE_CLASSES,
  type DBEndpointInfo,
  type DBInfo,
  type MigrateOption,
  type ModifyMigrationJobRequest,
  type TagFilter,
  type TagItem,
} from '../../../controller/src/providers/tencent-dts/migration/api-types.ts';
import { Api3Error } from '../../tencent-api3/server.ts';

/**
 * Request checking as the DTS API gateway and service do it: unknown parameters, missing ones,
 * wrong types and values out of range are refused with the API's error codes, naming the field.
 */
type Params = Record<string, unknown>;

/** Parameters each action accepts (tencentcloud-sdk-go dts/v20211206 request structs). */
export const ACTION_PARAMS: Readonly<Record<string, readonly string[]>> = {
  CreateMigrationService: ['SrcDatabaseType', 'DstDatabaseType', 'SrcRegion', 'DstRegion', 'InstanceClass', 'Count', 'JobName', 'Tags'],
  ModifyMigrationJob: ['JobId', 'RunMode', 'MigrateOption', 'SrcInfo', 'DstInfo', 'JobName', 'ExpectRunTime', 'Tags'],
  CreateMigrateCheckJob: ['JobId'],
  DescribeMigrationCheckJob: ['JobId'],
  DescribeMigrationDetail: ['JobId'],
  DescribeMigrationJobs: ['JobId', 'JobName', 'Status', 'SrcInstanceId', 'SrcRegion', 'SrcDatabaseType', 'SrcAccessType', 'DstInstanceId', 'DstRegion', 'DstDatabaseType', 'DstAccessType', 'RunMode', 'OrderSeq', 'Limit', 'Offset', 'TagFilters'],
  StartMigrateJob: ['JobId'],
  PauseMigrateJob: ['JobId'],
  ContinueMigrateJob: ['JobId'],
  StopMigrateJob: ['JobId'],
  CompleteMigrateJob: ['JobId', 'CompleteMode'],
  ResumeMigrateJob: ['JobId', 'ResumeOption'],
  IsolateMigrateJob: ['JobId'],
  DestroyMigrateJob: ['JobId'],
  RecoverMigrateJob: ['JobId'],
};

export const DATABASE_TYPES = ['mysql', 'mariadb', 'percona', 'cynosdbmysql', 'tdsqlmysql', 'tdsqlpercona', 'postgresql', 'mongodb', 'sqlserver', 'redis', 'tendis', 'keewidb', 'clickhouse'];

export function checkKnown(action: string, params: Params): void {
  const known = ACTION_PARAMS[action] ?? [];
  const unknown = Object.keys(params).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new Api3Error('UnknownParameter', `The parameter ${unknown[0]} is not recognized by ${action}`);
}

export function requiredString(params: Params, name: string, path = name): string {
  const value = params[name];
  if (value === undefined || value === null || value === '') throw new Api3Error('MissingParameter', `The request is missing the required parameter ${path}`);
  if (typeof value !== 'string') throw new Api3Error('InvalidParameter', `The parameter ${path} must be a string`);
  return value;
}

export function optionalString(params: Params, name: string, path = name): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Api3Error('InvalidParameter', `The parameter ${path} must be a string`);
  return value;
}

export function optionalInteger(params: Params, name: string, min: number, max: number): number | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new Api3Error('InvalidParameter', `The parameter ${name} must be an integer`);
  if (value < min || value > max) throw new Api3Error('InvalidParameterValue', `The parameter ${name} must be in [${min}, ${max}], got ${value}`);
  return value;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], path: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Api3Error('InvalidParameterValue', `The value ${value} of ${path} is not one of ${allowed.join(', ')}`);
  return value as T;
}

function object(value: unknown, path: string): Params {
  if (value === undefined || value === null) throw new Api3Error('MissingParameter', `The request is missing the required parameter ${path}`);
  if (typeof value !== 'object' || Array.isArray(value)) throw new Api3Error('InvalidParameter', `The parameter ${path} must be an object`);
  return value as Params;
}

function array(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Api3Error('InvalidParameter', `The parameter ${path} must be an array`);
  return value;
}

export function tags(value: unknown, path = 'Tags'): TagItem[] {
  return array(value, path).map((t, i) => {
    const tag = object(t, `${path}.${i}`);
    return { TagKey: requiredString(tag, 'TagKey', `${path}.${i}.TagKey`), TagValue: optionalString(tag, 'TagValue', `${path}.${i}.TagValue`) ?? '' };
  });
}

export function tagFilters(value: unknown): TagFilter[] {
  return array(value, 'TagFilters').map((t, i) => {
    const filter = object(t, `TagFilters.${i}`);
    const values = array(filter.TagValue, `TagFilters.${i}.TagValue`).map((v, j) => {
      if (typeof v !== 'string') throw new Api3Error('InvalidParameter', `The parameter TagFilters.${i}.TagValue.${j} must be a string`);
      return v;
    });
    return { TagKey: requiredString(filter, 'TagKey', `TagFilters.${i}.TagKey`), TagValue: values };
  });
}

export function stringList(value: unknown, path: string): string[] {
  return array(value, path).map((v, i) => {
    if (typeof v !== 'string') throw new Api3Error('InvalidParameter', `The parameter ${path}.${i} must be a string`);
    return v;
  });
}

export function databaseType(params: Params, name: string): string {
  return oneOf(requiredString(params, name), DATABASE_TYPES, name);
}

export function instanceClass(params: Params): string {
  return oneOf(requiredString(params, 'InstanceClass'), INSTANCE_CLASSES, 'InstanceClass');
}

const EXPECT_RUN_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** ModifyMigrationJob, checked against the migration service it configures. */
export function modifyRequest(params: Params, service: { srcDatabaseType: string; dstDatabaseType: string; srcRegion: string; dstRegion: string }): ModifyMigrationJobRequest {
  const runMode = oneOf(requiredString(params, 'RunMode'), ['immediate', 'timed'] as const, 'RunMode');
  const expectRunTime = optionalString(params, 'ExpectRunTime');
  if (runMode === 'timed' && !expectRunTime) throw new Api3Error('MissingParameter', 'ExpectRunTime is required when RunMode is timed');
  if (expectRunTime && !EXPECT_RUN_TIME.test(expectRunTime)) throw new Api3Error('InvalidParameterValue', `ExpectRunTime ${expectRunTime} is not of the form 2006-01-02 15:04:05`);
  const jobName = optionalString(params, 'JobName');
  if (jobName && jobName.length > 128) throw new Api3Error('InvalidParameterValue', 'JobName is longer than 128 characters');
  return {
    JobId: requiredString(params, 'JobId'),
    RunMode: runMode,
    ...(expectRunTime ? { ExpectRunTime: expectRunTime } : {}),
    MigrateOption: migrateOption(object(params.MigrateOption, 'MigrateOption')),
    SrcInfo: endpoint(object(params.SrcInfo, 'SrcInfo'), 'SrcInfo', service.srcDatabaseType, service.srcRegion),
    DstInfo: endpoint(object(params.DstInfo, 'DstInfo'), 'DstInfo', service.dstDatabaseType, service.dstRegion),
    ...(jobName ? { JobName: jobName } : {}),
    ...(params.Tags !== undefined ? { Tags: tags(params.Tags) } : {}),
  };
}

function migrateOption(o: Params): MigrateOption {
  const table = object(o.DatabaseTable, 'MigrateOption.DatabaseTable');
  const mode = oneOf(requiredString(table, 'ObjectMode', 'MigrateOption.DatabaseTable.ObjectMode'), ['all', 'partial'] as const, 'MigrateOption.DatabaseTable.ObjectMode');
  const databases = array(table.Databases, 'MigrateOption.DatabaseTable.Databases').map((d, i) => {
    const path = `MigrateOption.DatabaseTable.Databases.${i}`;
    const db = object(d, path);
    const dbMode = oneOf(requiredString(db, 'DBMode', `${path}.DBMode`), ['all', 'partial'] as const, `${path}.DBMode`);
    const tableMode = dbMode === 'partial' ? oneOf(requiredString(db, 'TableMode', `${path}.TableMode`), ['all', 'partial'] as const, `${path}.TableMode`) : undefined;
    const tables = array(db.Tables, `${path}.Tables`).map((t, j) => {
      const table = object(t, `${path}.Tables.${j}`);
      const editMode = optionalString(table, 'TableEditMode', `${path}.Tables.${j}.TableEditMode`);
      const newName = optionalString(table, 'NewTableName', `${path}.Tables.${j}.NewTableName`);
      if (editMode === 'rename' && !newName) throw new Api3Error('MissingParameter', `${path}.Tables.${j}.NewTableName is required when TableEditMode is rename`);
      return { TableName: requiredString(table, 'TableName', `${path}.Tables.${j}.TableName`), ...(newName ? { NewTableName: newName } : {}), ...(editMode ? { TableEditMode: oneOf(editMode, ['rename', 'pt'] as const, `${path}.Tables.${j}.TableEditMode`) } : {}) };
    });
    if (tableMode === 'partial' && tables.length === 0) throw new Api3Error('MissingParameter', `${path}.Tables is required when TableMode is partial`);
    const newDbName = optionalString(db, 'NewDbName', `${path}.NewDbName`);
    return { DbName: requiredString(db, 'DbName', `${path}.DbName`), ...(newDbName ? { NewDbName: newDbName } : {}), DBMode: dbMode, ...(tableMode ? { TableMode: tableMode } : {}), ...(tables.length > 0 ? { Tables: tables } : {}) };
  });
  if (mode === 'partial' && databases.length === 0) throw new Api3Error('MissingParameter', 'MigrateOption.DatabaseTable.Databases is required when ObjectMode is partial');
  const migrateType = oneOf(optionalString(o, 'MigrateType', 'MigrateOption.MigrateType') ?? 'fullAndIncrement', ['full', 'structure', 'fullAndIncrement'] as const, 'MigrateOption.MigrateType');
  for (const flag of ['IsMigrateAccount', 'IsDstReadOnly', 'IsOverrideRoot'] as const) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean') throw new Api3Error('InvalidParameter', `The parameter MigrateOption.${flag} must be a boolean`);
  }
  return {
    DatabaseTable: { ObjectMode: mode, ...(databases.length > 0 ? { Databases: databases } : {}) },
    MigrateType: migrateType,
    ...(o.IsMigrateAccount !== undefined ? { IsMigrateAccount: o.IsMigrateAccount as boolean } : {}),
    ...(o.IsDstReadOnly !== undefined ? { IsDstReadOnly: o.IsDstReadOnly as boolean } : {}),
  };
}

function endpoint(e: Params, path: string, databaseType: string, region: string): DBEndpointInfo {
  const regionGiven = requiredString(e, 'Region', `${path}.Region`);
  if (regionGiven !== region) throw new Api3Error('InvalidParameterValue', `${path}.Region ${regionGiven} differs from the migration service's region ${region}`);
  const access = oneOf(requiredString(e, 'AccessType', `${path}.AccessType`), ACCESS_TYPES, `${path}.AccessType`);
  const dbType = requiredString(e, 'DatabaseType', `${path}.DatabaseType`);
  if (dbType !== databaseType) throw new Api3Error('InvalidParameterValue', `${path}.DatabaseType ${dbType} differs from the migration service's ${databaseType}`);
  const nodeType = oneOf(optionalString(e, 'NodeType', `${path}.NodeType`) ?? 'simple', ['simple', 'cluster'] as const, `${path}.NodeType`);
  const infos = array(e.Info, `${path}.Info`);
  if (infos.length === 0) throw new Api3Error('MissingParameter', `The request is missing the required parameter ${path}.Info`);
  if (nodeType === 'simple' && infos.length !== 1) throw new Api3Error('InvalidParameterValue', `${path}.Info must hold exactly one node when NodeType is simple`);
  const info = infos.map((i, n) => dbInfo(object(i, `${path}.Info.${n}`), `${path}.Info.${n}`, access));
  return { Region: regionGiven, AccessType: access, DatabaseType: dbType, NodeType: nodeType, Info: info };
}

function dbInfo(i: Params, path: string, access: string): DBInfo {
  const need = (name: string) => requiredString(i, name, `${path}.${name}`);
  const port = optionalInteger(i, 'Port', 1, 65535);
  const info: DBInfo = { User: need('User'), Password: need('Password') };
  if (access === 'cdb') info.InstanceId = need('InstanceId');
  if (access === 'cvm') {
    info.CvmInstanceId = need('CvmInstanceId');
    if (port === undefined) throw new Api3Error('MissingParameter', `${path}.Port is required for access type cvm`);
  }
  if (['extranet', 'ipv6', 'vpc', 'vpncloud', 'dcg', 'ccn', 'intranet'].includes(access)) {
    info.Host = need('Host');
    if (port === undefined) throw new Api3Error('MissingParameter', `${path}.Port is required for access type ${access}`);
  }
  if (['vpc', 'vpncloud', 'dcg', 'ccn'].includes(access)) {
    info.VpcId = need('VpcId');
    info.SubnetId = need('SubnetId');
  }
  if (access === 'vpncloud') info.UniqVpnGwId = need('UniqVpnGwId');
  if (access === 'dcg') info.UniqDcgId = need('UniqDcgId');
  if (access === 'ccn') info.CcnGwId = need('CcnGwId');
  const host = optionalString(i, 'Host', `${path}.Host`);
  if (host) info.Host = host;
  if (port !== undefined) info.Port = port;
  return info;
}

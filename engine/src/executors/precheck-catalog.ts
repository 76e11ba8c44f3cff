import type { PrecheckItemResult } from '../job.ts';

/**
 * Pre-check items DRS reports, by engine. MySQL and MongoDB lists are the ones in the seed's
 * batch-precheck-result examples (4.1.7); the PostgreSQL list follows the same naming and
 * grouping for the checks logical replication needs (wal_level, slots, senders, primary keys).
 */
type CatalogEntry = [item: string, group: string];

const MYSQL: CatalogEntry[] = [
  ['dstDbDiskSize', 'db_disk_size'],
  ['checkIncreSrcDbExistedInDstDb', 'db_params'],
  ['dbCharacterSetConsistency', 'db_params'],
  ['dbClockConsistency', 'db_params'],
  ['dbCollationServerConsistency', 'db_params'],
  ['dbIsolationLevelConsistency', 'db_params'],
  ['dbParamConsistency', 'db_params'],
  ['dbServerUuidConsistency', 'db_params'],
  ['dstMaxAllowedPacketCheck', 'db_params'],
  ['hasForeignKeyOnUnselectedTable', 'db_params'],
  ['innodbStrictModeConsistency', 'db_params'],
  ['isUserRequireSslLink', 'db_params'],
  ['sqlModeConsistency', 'db_params'],
  ['srcBinlogFormatCheck', 'db_params'],
  ['srcBinlogRowImageCheck', 'db_params'],
  ['srcDbBinlogExpireLogsDays', 'db_params'],
  ['srcDbBinlogIsOff', 'db_params'],
  ['srcDbExistUnsupportEngineTable', 'db_params'],
  ['srcDbIndexKeyLength', 'db_params'],
  ['srcDbNameContainsUnsupportedSymbols', 'db_params'],
  ['srcDbServerIdCheck', 'db_params'],
  ['srcDstTableNameCaseSensitiveCheck', 'db_params'],
  ['srcTriggerAndEventCheck', 'db_params'],
  ['userSelectObjectsCheck', 'db_params'],
  ['dstStatusCheck', 'db_target_status'],
  ['dstDbPrivilegesIsEnough', 'db_user_privilege'],
  ['srcDbPrivilegesIsEnoughForIncre', 'db_user_privilege'],
  ['dbVersionMeetRequirement', 'db_version'],
  ['dstDbVersionSupport', 'db_version'],
  ['srcDbVersionSupport', 'db_version'],
  ['dstDbConnection', 'network'],
  ['srcDbConnection', 'network'],
];

const MONGODB: CatalogEntry[] = [
  ['dstDbDiskSize', 'db_disk_size'],
  ['srcAndDstCappedCollConsistency', 'db_object_conflict_check'],
  ['srcCollAlreadyExistedInDstColl', 'db_object_conflict_check'],
  ['srcViewAlreadyExistedInDstView', 'db_object_conflict_check'],
  ['rolesDependentCheck', 'db_object_dependency_check'],
  ['usersDependentCheck', 'db_object_dependency_check'],
  ['dbSslConsistency', 'db_params'],
  ['mongoTypeFitTransferMode', 'db_params'],
  ['srcCollIndexNumCheck', 'db_params'],
  ['srcIdIndexCheck', 'db_params'],
  ['userSelectObjectsCheck', 'db_params'],
  ['dstStatusCheck', 'db_target_status'],
  ['dstDbPrivilegesEnough', 'db_user_privilege'],
  ['srcDbPrivilegesEnough', 'db_user_privilege'],
  ['dbVersionMeetRequirement', 'db_version'],
  ['dstDbVersionSupport', 'db_version'],
  ['srcDbVersionSupport', 'db_version'],
  ['dstDbConnection', 'network'],
  ['srcDbConnection', 'network'],
];

const POSTGRESQL: CatalogEntry[] = [
  ['dstDbDiskSize', 'db_disk_size'],
  ['dbCharacterSetConsistency', 'db_params'],
  ['srcWalLevelCheck', 'db_params'],
  ['srcMaxReplicationSlotsCheck', 'db_params'],
  ['srcMaxWalSendersCheck', 'db_params'],
  ['dstMaxLogicalReplicationWorkersCheck', 'db_params'],
  ['srcTableWithoutPrimaryKeyCheck', 'db_params'],
  ['srcDbNameContainsUnsupportedSymbols', 'db_params'],
  ['userSelectObjectsCheck', 'db_params'],
  ['srcDstTableAlreadyExistCheck', 'db_object_conflict_check'],
  ['dstStatusCheck', 'db_target_status'],
  ['dstDbPrivilegesIsEnough', 'db_user_privilege'],
  ['srcDbPrivilegesIsEnoughForIncre', 'db_user_privilege'],
  ['dbVersionMeetRequirement', 'db_version'],
  ['dstDbVersionSupport', 'db_version'],
  ['srcDbVersionSupport', 'db_version'],
  ['dstDbConnection', 'network'],
  ['srcDbConnection', 'network'],
];

const GENERIC: CatalogEntry[] = [
  ['dstDbDiskSize', 'db_disk_size'],
  ['userSelectObjectsCheck', 'db_params'],
  ['dstStatusCheck', 'db_target_status'],
  ['dstDbPrivilegesIsEnough', 'db_user_privilege'],
  ['srcDbPrivilegesIsEnough', 'db_user_privilege'],
  ['dbVersionMeetRequirement', 'db_version'],
  ['dstDbConnection', 'network'],
  ['srcDbConnection', 'network'],
];

function catalogFor(engineType: string): CatalogEntry[] {
  if (engineType === 'mysql' || engineType === 'cloudDataGuard-mysql') return MYSQL;
  if (engineType === 'mongodb') return MONGODB;
  if (engineType === 'postgresql') return POSTGRESQL;
  return GENERIC;
}

/** An item the caller wants to come out differently (ALARM / FAILED). */
export interface PrecheckOverride {
  item: string;
  result: 'PASSED' | 'ALARM' | 'FAILED';
  failed_reason?: string;
  group?: string;
}

/** All items PASSED, then overrides applied (an override naming an unknown item is appended). */
export function precheckItems(engineType: string, overrides: readonly PrecheckOverride[] = []): PrecheckItemResult[] {
  const items: PrecheckItemResult[] = catalogFor(engineType).map(([item, group]) => ({ item, result: 'PASSED', group }));
  for (const override of overrides) {
    const existing = items.find((entry) => entry.item === override.item);
    const target = existing ?? { item: override.item, result: 'PASSED' as const, group: override.group ?? 'db_params' };
    target.result = override.result;
    if (override.group) target.group = override.group;
    if (override.result !== 'PASSED') target.failed_reason = override.failed_reason ?? defaultReason(override.item);
    if (!existing) items.push(target);
  }
  return items;
}

function defaultReason(item: string): string {
  return `${item.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}_CHECK_FAILED`;
}

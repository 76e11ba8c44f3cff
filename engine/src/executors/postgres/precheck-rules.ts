import type { PrecheckItemResult } from '../../job.ts';
import type { TaskType } from '../../statuses.ts';
import { describeTables, type ResolvedTables, type ServerFacts, type TargetTableState } from './catalog.ts';
import type { SelectionResult } from './selection.ts';

/**
 * The PostgreSQL pre-check, as pure rules over facts gathered from both servers (prechecks.ts
 * gathers them). Item names and groups follow DRS's PostgreSQL pre-check (precheck-catalog.ts);
 * every ALARM or FAILED item says what to change. FAILED blocks the start, ALARM does not.
 *
 * | item                                 | group                    | FAILED when / ALARM when                                        |
 * |--------------------------------------|--------------------------|------------------------------------------------------------------|
 * | srcDbConnection / dstDbConnection    | network                  | the database cannot be reached with the given credentials        |
 * | srcDbVersionSupport                  | db_version               | source < 10, or newer than the engine's pg_dump                  |
 * | dstDbVersionSupport                  | db_version               | target < 10                                                      |
 * | dbVersionMeetRequirement             | db_version               | target major < source major                                      |
 * | srcDbPrivilegesIsEnoughForIncre      | db_user_privilege        | source user lacks REPLICATION, CREATE on the database, table ownership or SELECT |
 * | dstDbPrivilegesIsEnough              | db_user_privilege        | target user may not create subscriptions (superuser; 16+: pg_create_subscription) or tables |
 * | srcWalLevelCheck                     | db_params                | wal_level is not logical                                          |
 * | srcMaxReplicationSlotsCheck          | db_params                | no free slot / ALARM: fewer than the parallel table syncs need    |
 * | srcMaxWalSendersCheck                | db_params                | no free WAL sender / ALARM: as above                              |
 * | dstMaxLogicalReplicationWorkersCheck | db_params                | no free logical replication worker on the target / ALARM: as above |
 * | srcTableWithoutPrimaryKeyCheck       | db_params                | a selected table has neither primary key nor replica identity     |
 * | userSelectObjectsCheck               | db_params                | the selection names no table, a missing one, or something unsupported (aliases, views, several databases) |
 * | dbCharacterSetConsistency            | db_params                | encodings differ and the target is not UTF8 / ALARM: differ, target UTF8 |
 * | srcDstTableAlreadyExistCheck         | db_object_conflict_check | (full modes) a target table holds rows / ALARM: exists, empty     |
 * | dstStatusCheck                       | db_target_status         | the target is a read-only standby                                 |
 */
export interface EndpointFacts {
  /** Why the connection failed (DRS.KE code and message). */
  error?: { errorCode: string; errorMsg: string };
  facts?: ServerFacts;
}

export interface PrecheckFacts {
  taskType: TaskType;
  selection: SelectionResult;
  source: EndpointFacts;
  target: EndpointFacts;
  /** Source tables of the selection (when the source could be read). */
  tables?: ResolvedTables;
  targetTables?: TargetTableState[];
  /** Major version of the pg_dump the engine copies definitions with (undefined: not found). */
  pgDumpMajor?: number;
  sourceUser: string;
  targetUser: string;
  /**
   * The task already replicates (pre-check forRetryJob, or after a start): its own slot, WAL
   * sender, worker and copied rows are expected, not conflicts.
   */
  alreadyReplicating?: boolean;
}

export const MIN_SERVER_MAJOR = 10;

type Item = PrecheckItemResult;

export function evaluatePrechecks(facts: PrecheckFacts): Item[] {
  const src = facts.source.facts;
  const dst = facts.target.facts;
  const items: Item[] = [];
  const add = (item: string, group: string, verdict: Verdict): void => {
    items.push(verdict.result === 'PASSED' ? { item, group, result: 'PASSED' } : { item, group, result: verdict.result, failed_reason: verdict.reason });
  };
  const needSource = notChecked('source', 'srcDbConnection');
  const needTarget = notChecked('target', 'dstDbConnection');
  const needTables = failed('not checked: the selected tables could not be resolved (see userSelectObjectsCheck)');

  add('srcDbConnection', 'network', facts.source.error ? failed(`${facts.source.error.errorCode}: ${facts.source.error.errorMsg}`) : passed);
  add('dstDbConnection', 'network', facts.target.error ? failed(`${facts.target.error.errorCode}: ${facts.target.error.errorMsg}`) : passed);
  add('srcDbVersionSupport', 'db_version', src ? sourceVersion(src, facts.pgDumpMajor) : needSource);
  add('dstDbVersionSupport', 'db_version', dst ? atLeast(dst, MIN_SERVER_MAJOR, 'target') : needTarget);
  add(
    'dbVersionMeetRequirement',
    'db_version',
    src && dst
      ? dst.major >= src.major
        ? passed
        : failed(`the target (PostgreSQL ${dst.major}) is older than the source (PostgreSQL ${src.major}): use a target of version ${src.major} or later`)
      : src
        ? needTarget
        : needSource,
  );
  add('srcDbPrivilegesIsEnoughForIncre', 'db_user_privilege', src ? (facts.tables ? sourcePrivileges(src, facts.tables, facts.sourceUser) : needTables) : needSource);
  add('dstDbPrivilegesIsEnough', 'db_user_privilege', dst ? targetPrivileges(dst, facts.targetUser) : needTarget);
  add(
    'srcWalLevelCheck',
    'db_params',
    src
      ? src.walLevel === 'logical'
        ? passed
        : failed(`wal_level is ${src.walLevel} on the source; logical replication needs wal_level = logical: set it (ALTER SYSTEM SET wal_level = logical) and restart the source`)
      : needSource,
  );
  const syncWorkers = parallelSyncs(facts);
  const capacity = (what: string, setting: string, free: number, side: string): Verdict =>
    facts.alreadyReplicating ? passed : spareCapacity(what, setting, free, syncWorkers, side);
  add('srcMaxReplicationSlotsCheck', 'db_params', src ? capacity('replication slots', 'max_replication_slots', src.maxReplicationSlots - src.usedReplicationSlots, 'source') : needSource);
  add('srcMaxWalSendersCheck', 'db_params', src ? capacity('WAL senders', 'max_wal_senders', src.maxWalSenders - src.usedWalSenders, 'source') : needSource);
  add(
    'dstMaxLogicalReplicationWorkersCheck',
    'db_params',
    dst ? capacity('logical replication workers', 'max_logical_replication_workers', dst.maxLogicalReplicationWorkers - dst.usedLogicalReplicationWorkers, 'target') : needTarget,
  );
  add('srcTableWithoutPrimaryKeyCheck', 'db_params', facts.tables ? replicaIdentity(facts.tables) : src ? needTables : needSource);
  add('userSelectObjectsCheck', 'db_params', selectedObjects(facts));
  add('dbCharacterSetConsistency', 'db_params', src && dst ? encodings(src, dst) : src ? needTarget : needSource);
  add('srcDstTableAlreadyExistCheck', 'db_object_conflict_check', facts.targetTables ? targetTables(facts.targetTables, facts.taskType, facts.alreadyReplicating === true) : dst ? needTables : needTarget);
  add('dstStatusCheck', 'db_target_status', dst ? (dst.inRecovery ? failed('the target is a read-only standby (in recovery): replicate into a primary') : passed) : needTarget);
  return items;
}

type Verdict = { result: 'PASSED' } | { result: 'ALARM' | 'FAILED'; reason: string };
const passed: Verdict = { result: 'PASSED' };
const failed = (reason: string): Verdict => ({ result: 'FAILED', reason });
const alarm = (reason: string): Verdict => ({ result: 'ALARM', reason });
const notChecked = (side: string, item: string): Verdict => failed(`not checked: the ${side} database could not be reached (see ${item})`);

function sourceVersion(src: ServerFacts, pgDumpMajor: number | undefined): Verdict {
  const base = atLeast(src, MIN_SERVER_MAJOR, 'source');
  if (base.result !== 'PASSED') return base;
  if (pgDumpMajor === undefined) return failed('pg_dump was not found on the engine host (it copies the table definitions): install the PostgreSQL client programs or set ENGINE_PG_BINDIR');
  if (pgDumpMajor < src.major) return failed(`the engine's pg_dump is version ${pgDumpMajor} but the source is PostgreSQL ${src.major}: install pg_dump ${src.major} or later on the engine host`);
  return passed;
}

function atLeast(facts: ServerFacts, major: number, side: string): Verdict {
  return facts.major >= major ? passed : failed(`the ${side} runs PostgreSQL ${facts.version}; logical replication needs PostgreSQL ${major} or later: upgrade the ${side}`);
}

function sourcePrivileges(src: ServerFacts, tables: ResolvedTables, user: string): Verdict {
  if (src.superuser) return passed;
  const fixes: string[] = [];
  if (!src.replication) fixes.push(`grant the REPLICATION attribute (ALTER ROLE ${user} REPLICATION)`);
  if (!src.canCreateInDatabase) fixes.push(`grant CREATE on the database, needed to create the publication (GRANT CREATE ON DATABASE ... TO ${user})`);
  const notOwned = tables.tables.filter((table) => !table.owned);
  if (notOwned.length > 0) fixes.push(`make ${user} the owner of ${describeTables(notOwned)} (adding a table to a publication needs its owner)`);
  const unreadable = tables.tables.filter((table) => !table.canSelect);
  if (unreadable.length > 0) fixes.push(`grant SELECT on ${describeTables(unreadable)} (the initial copy reads them)`);
  return fixes.length === 0 ? passed : failed(`the source user ${user} cannot replicate: ${fixes.join('; ')}`);
}

function targetPrivileges(dst: ServerFacts, user: string): Verdict {
  if (dst.superuser) return passed;
  const fixes: string[] = [];
  if (dst.major < 16) fixes.push(`creating a subscription on PostgreSQL ${dst.major} needs a superuser: use one, or a PostgreSQL 16+ target with pg_create_subscription`);
  else if (!dst.createSubscriptionRole) fixes.push(`grant pg_create_subscription (GRANT pg_create_subscription TO ${user})`);
  if (!dst.canCreateInDatabase) fixes.push(`grant CREATE on the target database (GRANT CREATE ON DATABASE ... TO ${user})`);
  return fixes.length === 0 ? passed : failed(`the target user ${user} cannot receive the replication: ${fixes.join('; ')}`);
}

/** Parallel table syncs the initial copy will want (0 when there is no copy). */
function parallelSyncs(facts: PrecheckFacts): number {
  if (facts.taskType === 'INCR_TRANS') return 0;
  const tables = facts.tables?.tables.length ?? 1;
  return Math.min(tables, facts.target.facts?.maxSyncWorkersPerSubscription ?? 2);
}

function spareCapacity(what: string, setting: string, free: number, parallelSyncs: number, side: string): Verdict {
  const need = 1 + parallelSyncs;
  if (free < 1) return failed(`no free ${what} on the ${side} (${setting} is exhausted): raise ${setting} on the ${side} (restart needed) or free some`);
  if (free < need) return alarm(`only ${free} free ${what} on the ${side}; the initial copy wants ${need} (1 + ${parallelSyncs} parallel table syncs) and will be slower: raise ${setting}`);
  return passed;
}

function replicaIdentity(tables: ResolvedTables): Verdict {
  const without = tables.tables.filter((table) => !table.hasPrimaryKey && (table.replicaIdentity === 'd' || table.replicaIdentity === 'n'));
  if (without.length === 0) return passed;
  return failed(
    `tables without a primary key or replica identity: ${describeTables(without)}. Their UPDATEs and DELETEs cannot be replicated (and would fail on the source once published): add a primary key, or ALTER TABLE ... REPLICA IDENTITY FULL`,
  );
}

function selectedObjects(facts: PrecheckFacts): Verdict {
  if (!facts.selection.ok) return failed(facts.selection.problems.join('; '));
  if (!facts.tables) return facts.source.facts ? failed('the selected tables could not be read from the source') : notChecked('source', 'srcDbConnection');
  if (facts.tables.missing.length > 0) return failed(`selected tables not found in the source database: ${describeTables(facts.tables.missing)}; fix the selection`);
  if (facts.tables.emptySchemas.length > 0) return failed(`selected schemas without tables: ${facts.tables.emptySchemas.join(', ')}; fix the selection`);
  if (facts.tables.tables.length === 0) return failed(`the source database ${facts.selection.selection.sourceDatabase} has no tables to replicate`);
  return passed;
}

function encodings(src: ServerFacts, dst: ServerFacts): Verdict {
  if (src.encoding === dst.encoding) return passed;
  if (dst.encoding === 'UTF8') return alarm(`the source database is ${src.encoding}, the target UTF8: text is converted on the way`);
  return failed(`the source database is ${src.encoding}, the target ${dst.encoding}: characters may not convert; create the target database with ENCODING '${src.encoding}' or UTF8`);
}

function targetTables(states: readonly TargetTableState[], taskType: TaskType, alreadyReplicating: boolean): Verdict {
  // Incremental only: the target is expected to hold the data already; a retry: the rows are ours.
  if (taskType === 'INCR_TRANS' || alreadyReplicating) return passed;
  const withRows = states.filter((state) => state.hasRows);
  if (withRows.length > 0) return failed(`target tables already hold rows: ${describeTables(withRows)}; the initial copy would duplicate them: empty (TRUNCATE) or drop them on the target`);
  const existing = states.filter((state) => state.exists);
  if (existing.length > 0) return alarm(`target tables exist (empty) and are used as they are: ${describeTables(existing)}; their columns must match the source`);
  return passed;
}

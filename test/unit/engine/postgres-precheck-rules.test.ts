import { describe, expect, it } from 'vitest';
import type { ServerFacts, SourceTable } from '../../../engine/src/executors/postgres/catalog.ts';
import { evaluatePrechecks, type PrecheckFacts } from '../../../engine/src/executors/postgres/precheck-rules.ts';

const server = (overrides: Partial<ServerFacts> = {}): ServerFacts => ({
  versionNum: 150004,
  major: 15,
  version: '15.4',
  walLevel: 'logical',
  maxReplicationSlots: 10,
  usedReplicationSlots: 0,
  maxWalSenders: 10,
  usedWalSenders: 0,
  maxLogicalReplicationWorkers: 4,
  usedLogicalReplicationWorkers: 0,
  maxSyncWorkersPerSubscription: 2,
  superuser: false,
  replication: true,
  canCreateInDatabase: true,
  createSubscriptionRole: false,
  encoding: 'UTF8',
  inRecovery: false,
  ...overrides,
});
const table = (name: string, overrides: Partial<SourceTable> = {}): SourceTable => ({
  schema: 'public',
  name,
  bytes: 8192,
  estimatedRows: 10,
  hasPrimaryKey: true,
  replicaIdentity: 'd',
  owned: true,
  canSelect: true,
  ...overrides,
});
const facts = (overrides: Partial<PrecheckFacts> = {}): PrecheckFacts => ({
  taskType: 'FULL_INCR_TRANS',
  selection: { ok: true, selection: { sourceDatabase: 'shop', targetDatabase: 'shop', allTables: true, schemas: [], tables: [] } },
  source: { facts: server() },
  target: { facts: server({ superuser: true }) },
  tables: { tables: [table('orders'), table('customers')], missing: [], emptySchemas: [] },
  targetTables: [
    { schema: 'public', name: 'orders', exists: false, hasRows: false },
    { schema: 'public', name: 'customers', exists: false, hasRows: false },
  ],
  pgDumpMajor: 15,
  sourceUser: 'repl',
  targetUser: 'postgres',
  ...overrides,
});
const byItem = (items: ReturnType<typeof evaluatePrechecks>) => Object.fromEntries(items.map((item) => [item.item, item]));

describe('PostgreSQL pre-check rules', () => {
  it('passes a ready pair of servers, with DRS item names and groups', () => {
    const items = evaluatePrechecks(facts());
    expect(items.every((item) => item.result === 'PASSED')).toBe(true);
    expect(items.map((item) => `${item.group}/${item.item}`)).toEqual([
      'network/srcDbConnection',
      'network/dstDbConnection',
      'db_version/srcDbVersionSupport',
      'db_version/dstDbVersionSupport',
      'db_version/dbVersionMeetRequirement',
      'db_user_privilege/srcDbPrivilegesIsEnoughForIncre',
      'db_user_privilege/dstDbPrivilegesIsEnough',
      'db_params/srcWalLevelCheck',
      'db_params/srcMaxReplicationSlotsCheck',
      'db_params/srcMaxWalSendersCheck',
      'db_params/dstMaxLogicalReplicationWorkersCheck',
      'db_params/srcTableWithoutPrimaryKeyCheck',
      'db_params/userSelectObjectsCheck',
      'db_params/dbCharacterSetConsistency',
      'db_object_conflict_check/srcDstTableAlreadyExistCheck',
      'db_target_status/dstStatusCheck',
    ]);
  });

  it('fails what blocks logical replication, each with what to fix', () => {
    const items = byItem(
      evaluatePrechecks(
        facts({
          source: { facts: server({ walLevel: 'replica', replication: false, usedReplicationSlots: 10, major: 16, version: '16.1' }) },
          target: { facts: server({ superuser: false, major: 14, version: '14.9', encoding: 'LATIN1', inRecovery: true }) },
          tables: { tables: [table('orders', { owned: false }), table('logs', { hasPrimaryKey: false })], missing: [], emptySchemas: [] },
          targetTables: [{ schema: 'public', name: 'orders', exists: true, hasRows: true }],
        }),
      ),
    );
    expect(items.srcWalLevelCheck).toMatchObject({ result: 'FAILED', failed_reason: expect.stringContaining('wal_level = logical') });
    expect(items.srcMaxReplicationSlotsCheck).toMatchObject({ result: 'FAILED', failed_reason: expect.stringContaining('raise max_replication_slots') });
    expect(items.srcDbPrivilegesIsEnoughForIncre!.failed_reason).toMatch(/ALTER ROLE repl REPLICATION.*owner of public\.orders/);
    expect(items.dstDbPrivilegesIsEnough!.failed_reason).toContain('needs a superuser');
    expect(items.srcDbVersionSupport!.failed_reason).toContain('install pg_dump 16 or later');
    expect(items.dbVersionMeetRequirement!.failed_reason).toContain('older than the source');
    expect(items.srcTableWithoutPrimaryKeyCheck!.failed_reason).toMatch(/public\.logs.*REPLICA IDENTITY FULL/);
    expect(items.dbCharacterSetConsistency).toMatchObject({ result: 'FAILED' });
    expect(items.srcDstTableAlreadyExistCheck!.failed_reason).toMatch(/public\.orders.*TRUNCATE/);
    expect(items.dstStatusCheck).toMatchObject({ result: 'FAILED' });
  });

  it('raises alarms that do not block: few spare slots, empty existing target tables, conversion to UTF8', () => {
    const items = byItem(
      evaluatePrechecks(
        facts({
          source: { facts: server({ usedReplicationSlots: 8, encoding: 'LATIN1' }) },
          targetTables: [{ schema: 'public', name: 'orders', exists: true, hasRows: false }],
        }),
      ),
    );
    expect(items.srcMaxReplicationSlotsCheck).toMatchObject({ result: 'ALARM', failed_reason: expect.stringContaining('only 2 free replication slots') });
    expect(items.srcDstTableAlreadyExistCheck).toMatchObject({ result: 'ALARM' });
    expect(items.dbCharacterSetConsistency).toMatchObject({ result: 'ALARM' });
  });

  it('incremental only: target rows are expected, and no table-sync slots are needed', () => {
    const items = byItem(
      evaluatePrechecks(
        facts({
          taskType: 'INCR_TRANS',
          source: { facts: server({ usedReplicationSlots: 9 }) },
          targetTables: [{ schema: 'public', name: 'orders', exists: true, hasRows: true }],
        }),
      ),
    );
    expect(items.srcDstTableAlreadyExistCheck!.result).toBe('PASSED');
    expect(items.srcMaxReplicationSlotsCheck!.result).toBe('PASSED');
  });

  it('an unreachable source fails its connection item and marks what could not be checked', () => {
    const items = byItem(
      evaluatePrechecks(facts({ source: { error: { errorCode: 'DRS.KE002', errorMsg: 'The username or password is incorrect.' } }, tables: undefined, targetTables: undefined })),
    );
    expect(items.srcDbConnection).toMatchObject({ result: 'FAILED', failed_reason: 'DRS.KE002: The username or password is incorrect.' });
    expect(items.srcWalLevelCheck!.failed_reason).toBe('not checked: the source database could not be reached (see srcDbConnection)');
    expect(items.dstDbConnection!.result).toBe('PASSED');
  });

  it('reports selection problems and missing tables under userSelectObjectsCheck', () => {
    expect(byItem(evaluatePrechecks(facts({ selection: { ok: false, problems: ['table public.t has alias u: ...'] } }))).userSelectObjectsCheck).toMatchObject({
      result: 'FAILED',
      failed_reason: 'table public.t has alias u: ...',
    });
    const missing = byItem(evaluatePrechecks(facts({ tables: { tables: [], missing: [{ schema: 'public', name: 'gone' }], emptySchemas: [] } })));
    expect(missing.userSelectObjectsCheck!.failed_reason).toContain('public.gone');
  });
});

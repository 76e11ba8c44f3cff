import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../engine/src/clock.ts';
import { startEngine, type Engine } from '../../engine/src/engine.ts';
import { replicationNames } from '../../engine/src/executors/postgres/names.ts';
import {
  configureTask,
  connectionItem,
  countRows,
  createTask,
  eventually,
  precheckTask,
  progressOf,
  startPostgresClusters,
  startTask,
  SUPERUSER,
  SUPERUSER_PASSWORD,
  postgresTestsEnabled,
  waitForRows,
  waitForStatus,
  type PgCluster,
  type PgEndpointSpec,
  type PgTaskSpec,
} from '../support/postgres.ts';
import { CREDENTIALS, DrsTestClient, tempDir } from '../unit/engine/helpers.ts';

/**
 * The built-in engine with its PostgreSQL executor against real servers, through the signed
 * DRS API: two clusters with wal_level=logical (source, target) and one with wal_level=replica.
 * Each test uses its own databases (and, where it changes passwords, its own role).
 */
const SOURCE_USER = 'drs_src';
const SOURCE_PASSWORD = 'Src-Passw0rd-1';

describe.skipIf(!postgresTestsEnabled())('PostgreSQL executor: logical replication through the DRS API', () => {
  let source: PgCluster;
  let target: PgCluster;
  let replicaOnly: PgCluster;
  let engine: Engine;
  let drs: DrsTestClient;
  /** The engine's --data directory, made when the suite runs (not when it is skipped). */
  let temp = { dir: '', remove: (): void => {} };

  beforeAll(async () => {
    temp = tempDir('drs-engine-pg-');
    const clusters = await startPostgresClusters([{}, {}, { settings: { wal_level: 'replica' } }]);
    [source, target, replicaOnly] = clusters as [PgCluster, PgCluster, PgCluster];
    await source.createRole(SOURCE_USER, SOURCE_PASSWORD, 'REPLICATION');
    await replicaOnly.createRole(SOURCE_USER, SOURCE_PASSWORD, 'REPLICATION');
    engine = await startEngine({ dataDir: temp.dir, credentials: CREDENTIALS, executor: 'postgres', postgres: { pollMs: 100 } });
    drs = new DrsTestClient(engine.url, systemClock);
  });

  afterAll(async () => {
    await engine?.close();
    await Promise.all([source, target, replicaOnly].map((cluster) => cluster?.stop()));
    temp.remove();
  });

  /** A source database owned by `owner` with `ddl` run as that owner, and an empty target database. */
  async function databases(name: string, ddl: string, options: { on?: PgCluster; owner?: string } = {}): Promise<{ from: PgEndpointSpec; to: PgEndpointSpec }> {
    const on = options.on ?? source;
    const owner = options.owner ?? SOURCE_USER;
    await on.createDatabase(name, owner);
    await on.query(`BEGIN; SET LOCAL ROLE ${owner}; ${ddl}; COMMIT`, [], name);
    await target.createDatabase(name);
    return {
      from: { cluster: on, user: owner, password: SOURCE_PASSWORD, database: name },
      to: { cluster: target, user: SUPERUSER, password: SUPERUSER_PASSWORD, database: name },
    };
  }

  async function slotsOf(jobId: string): Promise<string[]> {
    const { rows } = await source.query('SELECT slot_name FROM pg_replication_slots WHERE slot_name = $1 OR slot_name LIKE $2', [replicationNames(jobId).slot, 'pg\\_%\\_sync\\_%']);
    return rows.map((row) => row.slot_name);
  }

  async function subscriptionOf(jobId: string, database: string): Promise<{ subenabled: boolean; subconninfo: string } | undefined> {
    const { rows } = await target.query('SELECT subenabled, subconninfo FROM pg_subscription WHERE subname = $1', [replicationNames(jobId).subscription], database);
    return rows[0];
  }

  async function pauseAndWait(id: string): Promise<void> {
    expect((await drs.post('/batch-pause-task', { jobs: [{ job_id: id, pause_mode: 'all' }] })).body.results[0].status).toBe('success');
    await eventually(async () => (engine.runtime.get(id)?.pause?.phase === 'paused' ? true : undefined), 'the pause to complete');
    const { rows } = await target.query('SELECT s.subenabled, count(w.pid)::int AS workers FROM pg_subscription s LEFT JOIN pg_stat_subscription w ON w.subid = s.oid AND w.pid IS NOT NULL WHERE s.subname = $1 GROUP BY 1', [
      replicationNames(id).subscription,
    ]);
    expect(rows).toEqual([{ subenabled: false, workers: 0 }]);
  }

  it('full + incremental: copies existing rows, streams new ones, reports progress and delay; pause (in both phases), resume, stop', async () => {
    const { from, to } = await databases(
      'shop',
      `CREATE TABLE orders (id bigserial PRIMARY KEY, item text NOT NULL, qty int);
       INSERT INTO orders (item, qty) SELECT 'item-' || g, g FROM generate_series(1, 3000) g;
       CREATE TABLE customers (id int PRIMARY KEY, name text);
       INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 50) g`,
    );
    // orders exists (empty) on the target, locked so its initial copy waits: the task stays in full sync meanwhile.
    await target.query('CREATE TABLE orders (id bigint PRIMARY KEY, item text NOT NULL, qty int)', [], 'shop');
    const blocker = new pg.Client({ host: target.host, port: target.port, user: SUPERUSER, password: SUPERUSER_PASSWORD, database: 'shop' });
    await blocker.connect();
    await blocker.query('BEGIN; LOCK TABLE orders IN SHARE MODE');

    try {
      const spec: PgTaskSpec = { name: 'pg-shop-sync', taskType: 'FULL_INCR_TRANS', source: from, target: to };
      const id = await configureTask(drs, spec);
      const precheck = await precheckTask(drs, id);
      expect(precheck.result).toBe(true);
      expect(precheck.precheck_result).toContainEqual(expect.objectContaining({ item: 'srcDstTableAlreadyExistCheck', result: 'ALARM', group: 'db_object_conflict_check' }));
      expect(precheck.precheck_result).toContainEqual({ item: 'srcWalLevelCheck', result: 'PASSED', group: 'db_params' });
      expect((await drs.post('/batch-starting', { jobs: [{ job_id: id }] })).body.results[0].status).toBe('success');

      await waitForStatus(drs, id, 'FULL_TRANSFER_STARTED');
      await waitForRows(target, 'shop', 'customers', 50); // its own table sync is not blocked
      const during = await eventually(async () => {
        const progress = await progressOf(drs, id);
        return Number(progress.progress) > 0 ? progress : undefined;
      }, 'full-sync progress above 0');
      expect(Number(during.progress)).toBeLessThan(100);
      expect(during.progress_map).toMatchObject({ struct: { completed: '100%' }, index: { completed: '0%' } });
      expect(during.incre_trans_delay).toBe('-1');
      await source.query(`INSERT INTO orders (item, qty) SELECT 'late-' || g, g FROM generate_series(1, 10) g`, [], 'shop');
      expect(await drs.status([id])).toEqual({ [id]: 'FULL_TRANSFER_STARTED' });

      // Pause during the copy: the table-sync worker waiting on the lock is stopped too, nothing is applied.
      await pauseAndWait(id);
      await blocker.query('COMMIT');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await countRows(target, 'shop', 'orders')).toBe(0);
      expect(await drs.status([id])).toEqual({ [id]: 'PAUSING' });
      expect((await drs.post('/batch-retry-task', { jobs: [{ job_id: id }] })).body.results[0].status).toBe('success');
      await waitForStatus(drs, id, 'INCRE_TRANSFER_STARTED');
      await waitForRows(target, 'shop', 'orders', 3010);
      await source.query(`INSERT INTO orders (item, qty) SELECT 'new-' || g, g FROM generate_series(1, 5) g`, [], 'shop');
      await waitForRows(target, 'shop', 'orders', 3015);
      const streaming = await progressOf(drs, id);
      expect(streaming).toMatchObject({ progress: '100', transfer_status: 'INCRE_TRANSFER_STARTED', progress_map: { data: { completed: '100%' } } });
      expect(streaming.incre_trans_delay).toMatch(/^\d+$/);
      expect(streaming.incre_trans_delay_millis).toMatch(/^\d+$/);

      // Pause: the subscription is disabled and nothing more arrives.
      await pauseAndWait(id);
      await source.query(`INSERT INTO orders (item, qty) SELECT 'paused-' || g, g FROM generate_series(1, 20) g`, [], 'shop');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await countRows(target, 'shop', 'orders')).toBe(3015);
      expect(await drs.status([id])).toEqual({ [id]: 'PAUSING' });

      // Resume: it catches up.
      expect((await drs.post('/batch-retry-task', { jobs: [{ job_id: id }] })).body.results[0].status).toBe('success');
      await waitForRows(target, 'shop', 'orders', 3035);
      expect(await drs.status([id])).toEqual({ [id]: 'INCRE_TRANSFER_STARTED' });
      expect(await subscriptionOf(id, 'shop')).toMatchObject({ subenabled: true });

      // Stop: subscription, slot and publication are gone; the copied data stays.
      expect((await drs.delete('/batch-jobs', { jobs: [{ job_id: id, delete_type: 'terminate' }] })).body.results[0].status).toBe('success');
      await waitForStatus(drs, id, 'RELEASE_RESOURCE_COMPLETE');
      expect(await slotsOf(id)).toEqual([]);
      expect(await subscriptionOf(id, 'shop')).toBeUndefined();
      expect((await source.query('SELECT pubname FROM pg_publication', [], 'shop')).rows).toEqual([]);
      expect(await countRows(target, 'shop', 'orders')).toBe(3035);

      expect((await drs.delete('/batch-jobs', { jobs: [{ job_id: id, delete_type: 'delete' }] })).body.results[0].status).toBe('success');
      expect(await drs.status([id])).toEqual({ [id]: 'DELETED' });
    } finally {
      await blocker.end().catch(() => {});
    }
  });

  it('a new source password goes into the subscription; a wrong one is refused with DRS.KE002', async () => {
    await source.createRole('drs_pw', SOURCE_PASSWORD, 'REPLICATION');
    const { from, to } = await databases('pwd', `CREATE TABLE notes (id int PRIMARY KEY, body text)`, { owner: 'drs_pw' });
    const id = await startTask(drs, { name: 'pg-password', taskType: 'FULL_INCR_TRANS', source: from, target: to });
    await waitForStatus(drs, id, 'INCRE_TRANSFER_STARTED');

    const wrong = await drs.put('/batch-modify-pwd', { jobs: [{ job_id: id, end_point_type: 'so', db_password: 'not-the-password' }] });
    expect(wrong.body.results[0]).toMatchObject({ status: 'failed', error_code: 'DRS.KE002', end_point_type: 'so' });

    await source.query(`ALTER ROLE drs_pw PASSWORD 'Changed-Passw0rd-2'`);
    const changed = await drs.put('/batch-modify-pwd', { jobs: [{ job_id: id, end_point_type: 'so', db_password: 'Changed-Passw0rd-2' }] });
    expect(changed.body.results[0]).toMatchObject({ status: 'success' });
    expect((await subscriptionOf(id, 'pwd'))?.subconninfo).toContain('Changed-Passw0rd-2');
    // The apply worker reconnects with the new connection string and rows keep coming.
    await source.query(`INSERT INTO notes VALUES (1, 'after the change')`, [], 'pwd');
    await waitForRows(target, 'pwd', 'notes', 1);

    await drs.delete('/batch-jobs', { jobs: [{ job_id: id, delete_type: 'terminate' }] });
    await waitForStatus(drs, id, 'RELEASE_RESOURCE_COMPLETE');
    expect(await slotsOf(id)).toEqual([]);
  });

  it('full only: copies, then drops the subscription, its slot and the publication (FULL_TRANSFER_COMPLETE)', async () => {
    const { from, to } = await databases(
      'catalog',
      `CREATE SCHEMA app;
       CREATE TABLE app.products (id serial PRIMARY KEY, name text UNIQUE, price numeric(10,2) DEFAULT 0);
       INSERT INTO app.products (name, price) SELECT 'p' || g, g FROM generate_series(1, 500) g;
       CREATE TABLE app.reviews (id int PRIMARY KEY, product int REFERENCES app.products(id), stars int CHECK (stars BETWEEN 1 AND 5));
       INSERT INTO app.reviews SELECT g, g, 1 + g % 5 FROM generate_series(1, 100) g;
       CREATE TABLE unselected (id int PRIMARY KEY)`,
    );
    const id = await startTask(drs, {
      name: 'pg-catalog-full',
      taskType: 'FULL_TRANS',
      source: from,
      target: to,
      objects: [
        { id: 'catalog', parent_id: null, object_name: 'catalog', object_type: 'database', select: 'partial', object_alias_name: null },
        { id: 'catalog-*-*-app.products', parent_id: 'catalog', object_name: 'app.products', object_type: 'table', select: 'true', object_alias_name: null },
        { id: 'catalog-*-*-app.reviews', parent_id: 'catalog', object_name: 'app.reviews', object_type: 'table', select: 'true', object_alias_name: null },
      ],
    });
    await waitForStatus(drs, id, 'FULL_TRANSFER_COMPLETE');
    expect(await countRows(target, 'catalog', 'app.products')).toBe(500);
    expect(await countRows(target, 'catalog', 'app.reviews')).toBe(100);
    expect(await subscriptionOf(id, 'catalog')).toBeUndefined();
    expect(await slotsOf(id)).toEqual([]);
    expect((await source.query('SELECT pubname FROM pg_publication', [], 'catalog')).rows).toEqual([]);
    // Definitions came along (constraints, defaults, the foreign key between selected tables), the unselected table did not.
    const constraints = await target.query(`SELECT conname FROM pg_constraint WHERE conrelid = 'app.reviews'::regclass ORDER BY conname`, [], 'catalog');
    expect(constraints.rows.map((row) => row.conname)).toEqual(['reviews_pkey', 'reviews_product_fkey', 'reviews_stars_check']);
    expect((await target.query(`SELECT to_regclass('public.unselected') AS t`, [], 'catalog')).rows[0].t).toBeNull();
    // Sequences are set to the source's position.
    expect(Number((await target.query(`SELECT nextval('app.products_id_seq') AS n`, [], 'catalog')).rows[0].n)).toBe(501);
    expect(await progressOf(drs, id)).toMatchObject({ progress: '100', progress_map: { struct: { completed: '100%' }, data: { completed: '100%' }, index: { completed: '100%' } } });

    await drs.delete('/batch-jobs', { jobs: [{ job_id: id, delete_type: 'terminate' }] });
    await waitForStatus(drs, id, 'RELEASE_RESOURCE_COMPLETE');
  });

  it('incremental only, at a start_time: WAITING_FOR_START first; existing rows are not copied (copy_data = false), new ones stream', async () => {
    const { from, to } = await databases('events', `CREATE TABLE events (id int PRIMARY KEY, kind text); INSERT INTO events SELECT g, 'old' FROM generate_series(1, 10) g`);
    const id = await configureTask(drs, { name: 'pg-events-incr', taskType: 'INCR_TRANS', source: from, target: to });
    expect((await precheckTask(drs, id)).result).toBe(true);
    const startAt = Date.now() + 1500;
    expect((await drs.post('/batch-starting', { jobs: [{ job_id: id, start_time: String(startAt) }] })).body.results[0].status).toBe('success');
    await waitForStatus(drs, id, 'WAITING_FOR_START');
    expect(await subscriptionOf(id, 'events')).toBeUndefined();
    await waitForStatus(drs, id, 'INCRE_TRANSFER_STARTED');
    expect(Date.now()).toBeGreaterThanOrEqual(startAt);
    await source.query(`INSERT INTO events SELECT g, 'new' FROM generate_series(11, 15) g`, [], 'events');
    await waitForRows(target, 'events', 'events', 5);
    expect((await target.query(`SELECT min(id)::int AS low FROM events`, [], 'events')).rows[0].low).toBe(11);
    await drs.delete('/batch-jobs', { jobs: [{ job_id: id, delete_type: 'terminate' }] });
    await waitForStatus(drs, id, 'RELEASE_RESOURCE_COMPLETE');
    expect(await slotsOf(id)).toEqual([]);
  });

  it('an apply error fails the task (INCRE_TRANSFER_FAILED); once the conflict is fixed, batch-retry-task resumes it', async () => {
    const { from, to } = await databases('conflict', `CREATE TABLE items (id int PRIMARY KEY, origin text)`);
    const id = await startTask(drs, { name: 'pg-conflict', taskType: 'FULL_INCR_TRANS', source: from, target: to });
    await waitForStatus(drs, id, 'INCRE_TRANSFER_STARTED');
    await target.query(`INSERT INTO items VALUES (7, 'target')`, [], 'conflict');
    await source.query(`INSERT INTO items VALUES (7, 'source')`, [], 'conflict');
    await waitForStatus(drs, id, 'INCRE_TRANSFER_FAILED');
    const listed = await drs.post('/batch-status', { jobs: [id], page_req: { cur_page: 1, per_page: 5 } });
    expect(listed.body.results[0].status).toBe('INCRE_TRANSFER_FAILED');
    expect(engine.runtime.get(id)?.failure?.errorMsg).toMatch(/disabled .*apply error.*batch-retry-task/);

    await target.query(`DELETE FROM items WHERE id = 7`, [], 'conflict');
    await drs.post('/batch-precheck', { jobs: [{ job_id: id, precheck_mode: 'forRetryJob' }] });
    const recheck = await eventually(async () => {
      const result = (await drs.post('/batch-precheck-result', { jobs: [id] })).body.results[0];
      return result.process === '100%' ? result : undefined;
    }, 'the retry pre-check');
    expect(recheck.precheck_result.filter((item: { result: string }) => item.result !== 'PASSED')).toEqual([]);
    expect((await drs.post('/batch-retry-task', { jobs: [{ job_id: id }] })).body.results[0].status).toBe('success');
    await waitForRows(target, 'conflict', 'items', 1);
    expect((await target.query(`SELECT origin FROM items`, [], 'conflict')).rows).toEqual([{ origin: 'source' }]);
    expect(await drs.status([id])).toEqual({ [id]: 'INCRE_TRANSFER_STARTED' });
    await drs.delete('/batch-jobs', { jobs: [{ job_id: id, delete_type: 'terminate' }] });
    await waitForStatus(drs, id, 'RELEASE_RESOURCE_COMPLETE');
    expect(await slotsOf(id)).toEqual([]);
  });

  it('pre-check: a table without primary key blocks the start, naming the item and the table', async () => {
    const { from, to } = await databases('logs', `CREATE TABLE audit (at timestamptz, line text); CREATE TABLE ok (id int PRIMARY KEY)`);
    const id = await configureTask(drs, { name: 'pg-nopk', taskType: 'FULL_INCR_TRANS', source: from, target: to });
    const precheck = await precheckTask(drs, id);
    expect(precheck.result).toBe(false);
    const item = precheck.precheck_result.find((entry: { item: string }) => entry.item === 'srcTableWithoutPrimaryKeyCheck');
    expect(item).toMatchObject({ result: 'FAILED', group: 'db_params' });
    expect(item.failed_reason).toContain('public.audit');
    expect(item.failed_reason).toContain('REPLICA IDENTITY FULL');
    const start = await drs.post('/batch-starting', { jobs: [{ job_id: id }] });
    expect(start.body.results[0]).toMatchObject({ status: 'failed', error_code: 'DRS.M00304' });
  });

  it('pre-check: a source without wal_level=logical fails srcWalLevelCheck', async () => {
    const { from, to } = await databases('walcheck', `CREATE TABLE t (id int PRIMARY KEY)`, { on: replicaOnly });
    const id = await configureTask(drs, { name: 'pg-wal-replica', taskType: 'FULL_INCR_TRANS', source: from, target: to });
    const precheck = await precheckTask(drs, id);
    expect(precheck.result).toBe(false);
    const failed = precheck.precheck_result.filter((entry: { result: string }) => entry.result === 'FAILED');
    expect(failed.map((entry: { item: string }) => entry.item)).toEqual(['srcWalLevelCheck']);
    expect(failed[0].failed_reason).toMatch(/wal_level is replica.*wal_level = logical/);
  });

  it('connection tests map real failures to DRS.KE codes', async () => {
    const { from, to } = await databases('conn', `CREATE TABLE t (id int PRIMARY KEY)`);
    const created = await createTask(drs, { name: 'pg-connection', taskType: 'FULL_INCR_TRANS', source: from, target: to });
    const id: string = created.body.results[0].id;
    await waitForStatus(drs, id, 'CONFIGURATION');
    const test = async (endpoint: PgEndpointSpec, overrides: Record<string, unknown> = {}) =>
      (await drs.post('/batch-connection', { jobs: [{ ...connectionItem(id, endpoint, 'so'), ...overrides }] })).body.results[0];
    expect(await test(from)).toMatchObject({ success: true });
    const wrongPassword = await test({ ...from, password: 'wrong' });
    expect(wrongPassword).toMatchObject({ success: false, error_code: 'DRS.KE002' });
    expect(wrongPassword.error_msg).toContain('password authentication failed');
    expect(await test(from, { db_port: 1 })).toMatchObject({ success: false, error_code: 'DRS.KE003' });
    expect(await test({ ...from, database: 'no_such_db' })).toMatchObject({ success: false, error_code: 'DRS.KE008' });
  });

  it('refuses what native logical replication cannot do: table aliases at selection, other engines at creation', async () => {
    const { from, to } = await databases('alias', `CREATE TABLE t (id int PRIMARY KEY)`);
    const id = await configureTask(drs, { name: 'pg-alias', taskType: 'FULL_INCR_TRANS', source: from, target: to });
    const aliased = await drs.put('/batch-select-objects', {
      jobs: [{ job_id: id, selected: true, job: [{ id: 'alias-*-*-t', parent_id: 'alias', object_name: 't', object_type: 'table', select: 'true', object_alias_name: 't_copy' }] }],
    });
    expect(aliased.body.results[0]).toMatchObject({ status: false, error_code: 'DRS.M00300' });
    expect(aliased.body.results[0].error_msg).toContain('table aliases are not supported');

    const before = engine.runtime.list().length;
    const mysql = await createTask(drs, { name: 'pg-not-mysql', taskType: 'FULL_INCR_TRANS', source: from, target: to }, { engine_type: 'mysql' });
    expect(mysql.body.results[0]).toMatchObject({ name: 'pg-not-mysql', error_code: 'DRS.M00302' });
    expect(mysql.body.results[0].id).toBeUndefined();
    expect(engine.runtime.list().length).toBe(before);
  });
});

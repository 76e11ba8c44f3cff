import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../engine/src/clock.ts';
import {
  progressOf,
  startPostgresClusters,
  startTask,
  SUPERUSER,
  SUPERUSER_PASSWORD,
  postgresTestsEnabled,
  waitForRows,
  waitForStatus,
  type PgCluster,
} from '../support/postgres.ts';
import { DrsTestClient, tempDir } from '../unit/engine/helpers.ts';
import { spawnEngine } from '../unit/engine/spawn-engine.ts';

/**
 * The engine CLI (`--executor postgres`) as a separate process, killed with SIGKILL in the
 * middle of replication and started again on the same --data directory: PostgreSQL keeps
 * replicating while the engine is gone, and the restarted engine re-attaches to the task.
 */
describe.skipIf(!postgresTestsEnabled())('PostgreSQL executor: the engine survives kill -9', () => {
  let source: PgCluster;
  let target: PgCluster;
  /** The engine's --data directory, made when the suite runs (not when it is skipped). */
  let temp = { dir: '', remove: (): void => {} };
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    temp = tempDir('drs-engine-pg-restart-');
    [source, target] = (await startPostgresClusters([{}, {}])) as [PgCluster, PgCluster];
    await source.createRole('drs_src', 'Src-Passw0rd-1', 'REPLICATION');
    await source.createDatabase('ledger', 'drs_src');
    await source.query(
      `BEGIN; SET LOCAL ROLE drs_src;
       CREATE TABLE entries (id bigserial PRIMARY KEY, amount numeric NOT NULL, note text);
       INSERT INTO entries (amount, note) SELECT g, 'before start' FROM generate_series(1, 1000) g;
       COMMIT`,
      [],
      'ledger',
    );
    await target.createDatabase('ledger');
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all([source, target].map((cluster) => cluster?.stop()));
    temp.remove();
  });

  async function kill9(child: ChildProcess): Promise<void> {
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    expect(child.signalCode).toBe('SIGKILL');
  }

  const insert = (note: string, rows: number) =>
    source.query(`INSERT INTO entries (amount, note) SELECT g, $1 FROM generate_series(1, ${rows}) g`, [note], 'ledger');

  it('replication goes on while the engine is down; after restarts the task is re-attached (full sync, then incremental)', async () => {
    // entries exists (empty) on the target and is locked: its initial copy waits, so the first kill lands in full sync.
    await target.query('CREATE TABLE entries (id bigint PRIMARY KEY, amount numeric NOT NULL, note text)', [], 'ledger');
    const blocker = new pg.Client({ host: target.host, port: target.port, user: SUPERUSER, password: SUPERUSER_PASSWORD, database: 'ledger' });
    await blocker.connect();
    await blocker.query('BEGIN; LOCK TABLE entries IN SHARE MODE');

    const first = await spawnEngine(temp.dir, ['--executor', 'postgres']);
    children.push(first.child);
    const id = await startTask(new DrsTestClient(first.url, systemClock), {
      name: 'pg-ledger-restart',
      taskType: 'FULL_INCR_TRANS',
      source: { cluster: source, user: 'drs_src', password: 'Src-Passw0rd-1', database: 'ledger' },
      target: { cluster: target, user: SUPERUSER, password: SUPERUSER_PASSWORD, database: 'ledger' },
    });
    await waitForStatus(new DrsTestClient(first.url, systemClock), id, 'FULL_TRANSFER_STARTED');
    await kill9(first.child);

    // The copy finishes while no engine runs; the restarted one notices and moves on to incremental.
    await blocker.query('COMMIT');
    await blocker.end();
    await insert('during the copy, engine down', 30);
    const second = await spawnEngine(temp.dir, ['--executor', 'postgres']);
    children.push(second.child);
    await waitForStatus(new DrsTestClient(second.url, systemClock), id, 'INCRE_TRANSFER_STARTED');
    await waitForRows(target, 'ledger', 'entries', 1030);
    await insert('before the second kill', 50);
    await waitForRows(target, 'ledger', 'entries', 1080);
    await kill9(second.child);

    // Nobody is watching, but the subscription lives in PostgreSQL.
    await insert('while the engine is down', 30);
    await waitForRows(target, 'ledger', 'entries', 1110);

    const third = await spawnEngine(temp.dir, ['--executor', 'postgres']);
    children.push(third.child);
    const again = new DrsTestClient(third.url, systemClock);
    expect(await again.status([id])).toEqual({ [id]: 'INCRE_TRANSFER_STARTED' });
    await insert('after the restart', 20);
    await waitForRows(target, 'ledger', 'entries', 1130);
    const progress = await progressOf(again, id);
    expect(progress).toMatchObject({ progress: '100', transfer_status: 'INCRE_TRANSFER_STARTED' });
    expect(progress.incre_trans_delay).toMatch(/^\d+$/);

    // The re-attached engine still controls the task: stopping it leaves no slot behind.
    await again.delete('/batch-jobs', { jobs: [{ job_id: id, delete_type: 'terminate' }] });
    await waitForStatus(again, id, 'RELEASE_RESOURCE_COMPLETE');
    expect((await source.query('SELECT slot_name FROM pg_replication_slots')).rows).toEqual([]);
    expect((await target.query('SELECT subname FROM pg_subscription', [], 'ledger')).rows).toEqual([]);

    third.child.kill('SIGTERM');
    const [code] = await once(third.child, 'exit');
    expect(code).toBe(0);
  });
});

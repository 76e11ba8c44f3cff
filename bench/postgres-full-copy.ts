import { performance } from 'node:perf_hooks';
import { replicationNames } from '../engine/src/executors/postgres/names.ts';
import { configureTask, precheckTask, progressOf, type DrsCaller, type PgTaskSpec } from '../test/support/postgres.ts';
import { totalRows, type BenchTables } from './postgres-data.ts';
import { checkpoint, DATABASE, type BenchServers } from './postgres-servers.ts';

/**
 * The engine's full copy: a FULL_INCR_TRANS task over every table of the source database,
 * created, configured and pre-checked through the DRS API (untimed), then timed from the
 * batch-starting call until the task reports INCRE_TRANSFER_STARTED (it passes
 * FULL_TRANSFER_COMPLETE in the same step) and the target holds every row. The status is
 * read every 100 ms; on the way it notes when setup was done (FULL_TRANSFER_STARTED), when
 * PostgreSQL itself had every table ready (pg_subscription_rel all 'r'), and batch-progress
 * once a second.
 */
export interface FullCopyRun {
  taskId: string;
  subscription: string;
  seconds: number;
  /** batch-starting → FULL_TRANSFER_STARTED: definitions copied, publication, slot, subscription created. */
  setupSeconds: number;
  /** batch-starting → every table 'r' in pg_subscription_rel (what PostgreSQL knew). */
  pgReadySeconds: number;
  /** batch-starting → the task reported INCRE_TRANSFER_STARTED. */
  reportedSeconds: number;
  /** batch-progress percentages seen while copying, with when (seconds after batch-starting). */
  progress: Array<[number, number]>;
}

const STATUS_POLL_MS = 100;
const PROGRESS_EVERY_MS = 1000;
const FAILED = /FAILED$/;

export async function runFullCopy(drs: DrsCaller, servers: BenchServers, tables: BenchTables, expectedRows: number): Promise<FullCopyRun> {
  const spec: PgTaskSpec = { name: 'bench-pg-full-incr', taskType: 'FULL_INCR_TRANS', source: servers.from, target: servers.to };
  const taskId = await configureTask(drs, spec);
  const precheck = await precheckTask(drs, taskId);
  if (!precheck.result) throw new Error(`pre-check failed: ${JSON.stringify(precheck.precheck_result.filter((item: { result: string }) => item.result === 'FAILED'))}`);
  const { subscription } = replicationNames(taskId);
  await checkpoint(servers);

  const started = performance.now();
  const since = () => (performance.now() - started) / 1000;
  const answer = await drs.post('/batch-starting', { jobs: [{ job_id: taskId }] });
  if (answer.body.results[0].status !== 'success') throw new Error(`batch-starting refused: ${JSON.stringify(answer.body)}`);

  let setupSeconds: number | undefined;
  let pgReadySeconds: number | undefined;
  let reportedSeconds: number | undefined;
  let nextProgressAt = 0;
  const progress: Array<[number, number]> = [];
  for (;;) {
    const polledAt = since();
    const status = (await drs.status([taskId]))[taskId] ?? '';
    if (FAILED.test(status)) throw new Error(`the task failed during the full copy: ${status} ${JSON.stringify((await drs.post('/batch-status', { jobs: [taskId], page_req: { cur_page: 1, per_page: 1 } })).body.results[0]?.error_msg ?? '')}`);
    if (setupSeconds === undefined && status !== 'STARTJOBING') setupSeconds = polledAt;
    if (pgReadySeconds === undefined && (await allTablesReady(servers, subscription, tables.names.length))) pgReadySeconds = polledAt;
    if (status === 'INCRE_TRANSFER_STARTED' || status === 'FULL_TRANSFER_COMPLETE') {
      reportedSeconds ??= polledAt;
      // The copy is over by PostgreSQL's account: one count settles it (again in 100 ms if not).
      const countedAt = since();
      if ((await totalRows(servers.target, DATABASE, tables)) === expectedRows) {
        return { taskId, subscription, seconds: countedAt, setupSeconds: setupSeconds ?? countedAt, pgReadySeconds: pgReadySeconds ?? countedAt, reportedSeconds, progress };
      }
    } else if (status === 'FULL_TRANSFER_STARTED' && polledAt * 1000 >= nextProgressAt) {
      nextProgressAt = polledAt * 1000 + PROGRESS_EVERY_MS;
      progress.push([round1(polledAt), Number((await progressOf(drs, taskId)).progress)]);
    }
    await new Promise((resolve) => setTimeout(resolve, STATUS_POLL_MS));
  }
}

async function allTablesReady(servers: BenchServers, subscription: string, tableCount: number): Promise<boolean> {
  const { rows } = await servers.target.query(
    `SELECT count(*) FILTER (WHERE sr.srsubstate = 'r')::int AS ready
       FROM pg_subscription s JOIN pg_subscription_rel sr ON sr.srsubid = s.oid
      WHERE s.subname = $1`,
    [subscription],
    DATABASE,
  );
  return rows[0].ready === tableCount;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

import { performance } from 'node:perf_hooks';
import { progressOf, type DrsCaller } from '../test/support/postgres.ts';
import { totalRows, type BenchTables } from './postgres-data.ts';
import { runLoad, type LoadRun } from './postgres-load.ts';
import { DATABASE, type BenchServers } from './postgres-servers.ts';

/**
 * Incremental replication under load. While pgbench writes to the source, once a second: the
 * delay the engine reports (batch-progress `incre_trans_delay_millis`, as a DRS client sees
 * it) and, for comparison, PostgreSQL's own `replay_lag` and `flush_lag` of the subscription's
 * walsender (pg_stat_replication on the source; NULL when idle and caught up, counted as 0; no
 * sample when no walsender is connected). From the moment pgbench exits, every 100 ms (plus the
 * time a count takes): the target's row count (until it equals the source's) and the engine's
 * delay (until it is back to 0, at most 60 s more).
 */
export interface SteadyRun {
  load: LoadRun;
  loadWallSeconds: number;
  /** Rows the load added (source count after − before). */
  inserted: number;
  delayMs: number[];
  replayLagMs: number[];
  flushLagMs: number[];
  /** Load end → the target's row count equals the source's (time the matching count began). */
  catchUpSeconds: number;
  /** Load end → the engine reports a delay of 0 (undefined: not within 60 s after the rows matched). */
  reportedDelayZeroSeconds: number | undefined;
}

const SAMPLE_EVERY_MS = 1000;
const CATCH_UP_POLL_MS = 100;
const DELAY_ZERO_GRACE_MS = 60_000;

export async function runSteadyState(drs: DrsCaller, servers: BenchServers, tables: BenchTables, taskId: string, subscription: string, rps: number, seconds: number): Promise<SteadyRun> {
  const before = await totalRows(servers.source, DATABASE, tables);
  const delayMs: number[] = [];
  const replayLagMs: number[] = [];
  const flushLagMs: number[] = [];
  const loadStarted = performance.now();
  let loadEnded: number | undefined;
  const load = runLoad(servers.source, DATABASE, tables, rps, seconds).finally(() => (loadEnded = performance.now()));
  const loadSettled = load.then(
    () => {},
    () => {},
  );
  const sampling = (async () => {
    for (let next = loadStarted + SAMPLE_EVERY_MS; ; next += SAMPLE_EVERY_MS) {
      await Promise.race([sleep(next - performance.now()), loadSettled]);
      if (loadEnded !== undefined) return;
      const [delay, lag] = await Promise.all([engineDelay(drs, taskId), walsenderLag(servers, subscription)]);
      delayMs.push(delay);
      if (lag) {
        replayLagMs.push(lag.replayMs);
        flushLagMs.push(lag.flushMs);
      }
    }
  })();
  const [loadRun] = await Promise.all([load, sampling]);
  const ended = loadEnded!;
  const since = () => (performance.now() - ended) / 1000;

  // The source's final count runs alongside the first polls of the target's.
  const sourceCount = totalRows(servers.source, DATABASE, tables);
  sourceCount.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
  let catchUpSeconds: number | undefined;
  let caughtUpAt = 0;
  let reportedDelayZeroSeconds: number | undefined;
  while (catchUpSeconds === undefined || (reportedDelayZeroSeconds === undefined && performance.now() - caughtUpAt < DELAY_ZERO_GRACE_MS)) {
    const polledAt = since();
    const [delay, targetCount] = await Promise.all([
      reportedDelayZeroSeconds === undefined ? engineDelay(drs, taskId) : Promise.resolve(0),
      catchUpSeconds === undefined ? totalRows(servers.target, DATABASE, tables) : Promise.resolve(0),
    ]);
    if (reportedDelayZeroSeconds === undefined && delay === 0) reportedDelayZeroSeconds = polledAt;
    if (catchUpSeconds === undefined && targetCount === (await sourceCount)) {
      catchUpSeconds = polledAt;
      caughtUpAt = performance.now();
    }
    await sleep(CATCH_UP_POLL_MS);
  }
  return {
    load: loadRun,
    loadWallSeconds: (ended - loadStarted) / 1000,
    inserted: (await sourceCount) - before,
    delayMs,
    replayLagMs,
    flushLagMs,
    catchUpSeconds,
    reportedDelayZeroSeconds,
  };
}

async function engineDelay(drs: DrsCaller, taskId: string): Promise<number> {
  const progress = await progressOf(drs, taskId);
  const delay = Number(progress.incre_trans_delay_millis);
  if (!Number.isFinite(delay) || delay < 0) throw new Error(`batch-progress reports no incremental delay: ${JSON.stringify(progress)}`);
  return delay;
}

/**
 * The subscription's walsender's replay_lag and flush_lag (ms): how long ago the WAL the
 * subscriber last reported applied / flushed was written. undefined when no walsender streams
 * to the subscription at the moment.
 */
async function walsenderLag(servers: BenchServers, subscription: string): Promise<{ replayMs: number; flushMs: number } | undefined> {
  const { rows } = await servers.source.query(
    `SELECT COALESCE(EXTRACT(epoch FROM replay_lag) * 1000, 0)::float8 AS replay_ms, COALESCE(EXTRACT(epoch FROM flush_lag) * 1000, 0)::float8 AS flush_ms
       FROM pg_stat_replication WHERE application_name = $1`,
    [subscription],
  );
  return rows.length > 0 ? { replayMs: Number(rows[0].replay_ms), flushMs: Number(rows[0].flush_ms) } : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

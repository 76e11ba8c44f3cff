import type { PgBenchArgs } from './postgres-args.ts';
import { BASELINE_METHOD, type BaselineRun } from './postgres-baseline.ts';
import type { TableSizes } from './postgres-data.ts';
import { ENGINE_POLL_MS } from './postgres-engine.ts';
import type { PgBenchEnvironment } from './postgres-environment.ts';
import type { FullCopyRun } from './postgres-full-copy.ts';
import { LOAD_CLIENTS, LOAD_DESCRIPTION } from './postgres-load.ts';
import { BENCH_PG_SETTINGS } from './postgres-servers.ts';
import { distribution, round, throughput } from './postgres-stats.ts';
import type { SteadyRun } from './postgres-steady.ts';

/** The one JSON line: what was measured, in the shape bench/README.md describes. */
export interface PgBenchRuns {
  args: PgBenchArgs;
  rows: number;
  sizes: TableSizes;
  loadSeconds: number;
  baseline: BaselineRun;
  fullCopy: FullCopyRun;
  steady: SteadyRun;
  environment: PgBenchEnvironment;
}

export function pgBenchReport(runs: PgBenchRuns): Record<string, unknown> {
  const { args, rows, sizes, fullCopy, baseline, steady } = runs;
  const bytes = sizes.totalBytes;
  return {
    benchmark: 'postgres-executor',
    settings: {
      rows: args.rows,
      rowBytes: args.rowBytes,
      tables: args.tables,
      loadSeconds: args.loadSeconds,
      loadRps: args.loadRps,
      enginePollMs: ENGINE_POLL_MS,
      postgres: { ...BENCH_PG_SETTINGS, max_sync_workers_per_subscription: '4 (harness)', wal_receiver_status_interval: '1s (harness)', fsync: 'off (harness)' },
    },
    data: { rows, bytes, heapBytes: sizes.heapBytes, heapBytesPerRow: Math.round(sizes.heapBytes / rows), loadSeconds: round(runs.loadSeconds, 2) },
    fullCopy: {
      rows,
      bytes,
      ...throughput(rows, bytes, fullCopy.seconds),
      setupSeconds: round(fullCopy.setupSeconds, 2),
      pgReadySeconds: round(fullCopy.pgReadySeconds, 2),
      reportedSeconds: round(fullCopy.reportedSeconds, 2),
      progress: fullCopy.progress,
    },
    baseline: {
      method: BASELINE_METHOD,
      ...throughput(rows, bytes, baseline.seconds),
      ratio: round(fullCopy.seconds / baseline.seconds, 2),
    },
    steadyState: {
      load: {
        tool: LOAD_DESCRIPTION,
        clients: LOAD_CLIENTS,
        targetRps: args.loadRps,
        wallSeconds: round(steady.loadWallSeconds, 2),
        transactions: steady.load.transactions,
        achievedRps: round(steady.load.achievedRps, 1),
        scheduleLagMsAvg: steady.load.scheduleLagMsAvg ?? null,
        inserted: steady.inserted,
        updated: steady.load.transactions - steady.inserted,
      },
      delayMs: distribution(steady.delayMs),
      pgReplayLagMs: distribution(steady.replayLagMs),
      pgFlushLagMs: distribution(steady.flushLagMs),
      catchUpSeconds: round(steady.catchUpSeconds, 2),
      reportedDelayZeroSeconds: steady.reportedDelayZeroSeconds === undefined ? null : round(steady.reportedDelayZeroSeconds, 2),
    },
    environment: runs.environment,
  };
}

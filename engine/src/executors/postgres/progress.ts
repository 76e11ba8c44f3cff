import type { TableSyncState } from './monitor.ts';

/**
 * Turning what PostgreSQL reports into DRS progress numbers.
 *
 * Full sync: each table weighs its on-disk size on the source (at least one page, so empty
 * tables count); a table counts fully once its sync state is r/s (ready/synchronized), almost
 * fully at f (copy done, catching up), by COPY rows written over the planner's row estimate at d
 * (copying), and not at all at i (waiting). progress_map: struct is done once the definitions
 * were copied (before the subscription exists); data follows the weighted copy; index is done
 * when every table is ready (indexes are created with the definitions and filled by the copy).
 *
 * Incremental delay: the source's WAL position is sampled at every poll; the delay is how long
 * ago the oldest WAL the subscriber has not confirmed was written — now minus the time of the
 * first sample past the slot's confirmed_flush_lsn — and 0 when the slot has confirmed
 * everything. Its resolution is the poll interval plus the subscriber's feedback interval.
 */
export interface TableWeight {
  schema: string;
  name: string;
  bytes: number;
  estimatedRows: number;
}

export interface FullSyncProgress {
  /** 0..100; 100 only when every table is ready. */
  percent: number;
  allReady: boolean;
  tablesReady: number;
  tablesTotal: number;
}

const PAGE = 8192;

export function fullSyncProgress(weights: readonly TableWeight[], states: readonly TableSyncState[]): FullSyncProgress {
  const byName = new Map(states.map((state) => [JSON.stringify([state.schema, state.name]), state]));
  let total = 0;
  let done = 0;
  let ready = 0;
  for (const table of weights) {
    const weight = Math.max(PAGE, table.bytes);
    total += weight;
    const state = byName.get(JSON.stringify([table.schema, table.name]));
    if (state?.state === 'r') ready += 1;
    done += weight * tableFraction(table, state);
  }
  const allReady = weights.length > 0 && ready === weights.length;
  const percent = allReady ? 100 : Math.min(99, Math.floor((total > 0 ? done / total : 0) * 100));
  return { percent, allReady, tablesReady: ready, tablesTotal: weights.length };
}

function tableFraction(table: TableWeight, state: TableSyncState | undefined): number {
  switch (state?.state) {
    case 'r':
    case 's':
      return 1;
    case 'f':
      return 0.99;
    case 'd':
      if (state.copiedRows === undefined || table.estimatedRows <= 0) return 0;
      return Math.min(0.95, state.copiedRows / table.estimatedRows);
    default:
      return 0;
  }
}

/** Seconds left at the rate so far (0 when nothing is known yet). */
export function remainingSeconds(percent: number, startedAt: number | undefined, now: number): number {
  if (startedAt === undefined || percent <= 0 || percent >= 100) return 0;
  const elapsed = Math.max(0, now - startedAt) / 1000;
  return Math.ceil((elapsed * (100 - percent)) / percent);
}

/** struct / data / index percentages for batch-progress's progress_map. */
export function phasesOf(structDone: boolean, full: FullSyncProgress | undefined): { struct: number; data: number; index: number } {
  if (!structDone) return { struct: 0, data: 0, index: 0 };
  if (!full) return { struct: 100, data: 0, index: 0 };
  return { struct: 100, data: full.percent, index: full.allReady ? 100 : 0 };
}

/** Source WAL positions over time, to turn "bytes not yet confirmed" into "how long behind". */
export class LagTracker {
  private samples: Array<{ at: number; lsn: bigint }> = [];
  private readonly keepMs: number;

  constructor(keepMs = 24 * 3600_000) {
    this.keepMs = keepMs;
  }

  /** Records the source position at `at`; returns the delay in ms given what the subscriber confirmed. */
  observe(at: number, currentLsn: bigint, confirmedLsn: bigint | undefined): number {
    const last = this.samples[this.samples.length - 1];
    if (!last || currentLsn > last.lsn) this.samples.push({ at, lsn: currentLsn });
    if (confirmedLsn === undefined) return this.delay(at, 0n);
    return this.delay(at, confirmedLsn);
  }

  private delay(now: number, confirmed: bigint): number {
    // Samples at or below the confirmed position are applied: forget them, keeping the latest as the baseline.
    while (this.samples.length > 1 && this.samples[1]!.lsn <= confirmed) this.samples.shift();
    while (this.samples.length > 1 && now - this.samples[0]!.at > this.keepMs) this.samples.shift();
    const first = this.samples[0];
    if (!first) return 0;
    if (first.lsn <= confirmed) {
      const next = this.samples[1];
      return next ? Math.max(0, now - next.at) : 0;
    }
    return Math.max(0, now - first.at);
  }
}

import { describe, expect, it } from 'vitest';
import { fullSyncProgress, LagTracker, phasesOf, remainingSeconds } from '../../../engine/src/executors/postgres/progress.ts';

const weights = [
  { schema: 'public', name: 'big', bytes: 90 * 8192, estimatedRows: 9000 },
  { schema: 'public', name: 'small', bytes: 0, estimatedRows: 0 },
  { schema: 'public', name: 'mid', bytes: 9 * 8192, estimatedRows: 900 },
];
const state = (name: string, s: string, copiedRows?: number) => ({ schema: 'public', name, state: s, ...(copiedRows === undefined ? {} : { copiedRows }) });

describe('PostgreSQL progress', () => {
  it('weighs tables by size (at least a page) and counts copy progress of tables being copied', () => {
    expect(fullSyncProgress(weights, [])).toEqual({ percent: 0, allReady: false, tablesReady: 0, tablesTotal: 3 });
    // small (1 page) and mid (9 pages) ready out of 100 pages; big half copied (capped at 95% of its share until done).
    expect(fullSyncProgress(weights, [state('small', 'r'), state('mid', 'r'), state('big', 'd', 4500)]).percent).toBe(55);
    expect(fullSyncProgress(weights, [state('small', 'r'), state('mid', 's'), state('big', 'f')]).percent).toBe(99);
    expect(fullSyncProgress(weights, [state('small', 'r'), state('mid', 'r'), state('big', 'r')])).toEqual({ percent: 100, allReady: true, tablesReady: 3, tablesTotal: 3 });
  });

  it('derives progress_map phases and the remaining time', () => {
    expect(phasesOf(false, undefined)).toEqual({ struct: 0, data: 0, index: 0 });
    expect(phasesOf(true, { percent: 40, allReady: false, tablesReady: 1, tablesTotal: 3 })).toEqual({ struct: 100, data: 40, index: 0 });
    expect(phasesOf(true, { percent: 100, allReady: true, tablesReady: 3, tablesTotal: 3 })).toEqual({ struct: 100, data: 100, index: 100 });
    expect(remainingSeconds(25, 0, 10_000)).toBe(30);
    expect(remainingSeconds(0, 0, 10_000)).toBe(0);
    expect(remainingSeconds(50, undefined, 10_000)).toBe(0);
  });

  it('turns unconfirmed WAL into time: how long ago the oldest unconfirmed position was seen', () => {
    const lag = new LagTracker();
    expect(lag.observe(1000, 100n, 100n)).toBe(0); // caught up
    expect(lag.observe(2000, 200n, 100n)).toBe(0); // written just now
    expect(lag.observe(3000, 300n, 100n)).toBe(1000); // 200 has waited since t=2000
    expect(lag.observe(4000, 300n, 250n)).toBe(1000); // 200 confirmed; 300 waits since t=3000
    expect(lag.observe(5000, 300n, 300n)).toBe(0);
    // A paused subscription: the backlog keeps ageing.
    expect(lag.observe(6000, 400n, 300n)).toBe(0);
    expect(lag.observe(9000, 400n, 300n)).toBe(3000);
  });

  it('counts from the first observation when nothing was ever confirmed since', () => {
    const lag = new LagTracker();
    expect(lag.observe(1000, 500n, 100n)).toBe(0);
    expect(lag.observe(4000, 500n, 100n)).toBe(3000);
    expect(lag.observe(5000, 600n, undefined)).toBe(4000);
  });
});

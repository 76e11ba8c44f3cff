import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engine/src/clock.ts';
import { DeadlineScheduler } from '../../../engine/src/scheduler.ts';

describe('deadline scheduler', () => {
  it('hands over jobs in deadline order, together when due together, honouring re-sets and clears', () => {
    const clock = new ManualClock(0);
    const fired: string[][] = [];
    const scheduler = new DeadlineScheduler(clock, (ids) => fired.push(ids));
    scheduler.set('late', 300);
    scheduler.set('early', 100);
    scheduler.set('same-a', 200);
    scheduler.set('same-b', 200);
    scheduler.set('moved', 50);
    scheduler.set('moved', 250); // superseded deadline must not fire at 50
    scheduler.set('cleared', 150);
    scheduler.set('cleared', undefined);
    clock.advance(1000);
    expect(fired.map((ids) => [...ids].sort())).toEqual([['early'], ['same-a', 'same-b'], ['moved'], ['late']]);
    expect(scheduler.size).toBe(0);
  });

  it('fires overdue deadlines at once and keeps a single clock timer for many jobs', () => {
    const clock = new ManualClock(10_000);
    const fired: string[] = [];
    const scheduler = new DeadlineScheduler(clock, (ids) => fired.push(...ids));
    for (let i = 0; i < 1000; i += 1) scheduler.set(`job-${i}`, 20_000 + i);
    scheduler.set('overdue', 5_000);
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(0);
    expect(fired).toEqual(['overdue']);
    clock.advance(20_000);
    expect(fired).toHaveLength(1001);
    scheduler.stop();
  });
});

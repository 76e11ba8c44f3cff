import { describe, expect, it } from 'vitest';
import { forEachBounded } from '../../../bench/bounded.ts';

describe('forEachBounded', () => {
  it('visits every item with at most `limit` calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachBounded([...Array(20).keys()], 3, async (item) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      seen.push(item);
      inFlight--;
    });
    expect(peak).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('stops starting new calls after a failure and rejects with it', async () => {
    const started: number[] = [];
    await expect(
      forEachBounded([1, 2, 3, 4, 5, 6], 2, async (item) => {
        started.push(item);
        if (item === 2) throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(started.length).toBeLessThan(6);
  });

  it('does nothing for no items', async () => {
    await forEachBounded([], 5, async () => {
      throw new Error('not called');
    });
  });
});

import { describe, expect, it } from 'vitest';
import { KeyedTokenBucket, TokenBucket } from '../../../../controller/src/providers/http/rate-limiter.ts';
import { ManualClock, flushMicrotasks } from '../../runtime/manual-clock.ts';

/** Starts acquire() calls and records the order in which they are granted. */
function recorder(bucket: { acquire(signal?: AbortSignal): Promise<void> }) {
  const granted: string[] = [];
  const take = (name: string, signal?: AbortSignal) =>
    bucket.acquire(signal).then(
      () => void granted.push(name),
      () => void granted.push(`${name}:aborted`),
    );
  return { granted, take };
}

describe('TokenBucket', () => {
  it('lets a burst through at once, then paces at the sustained rate', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 3, clock });
    const { granted, take } = recorder(bucket);
    for (const name of ['a', 'b', 'c', 'd', 'e']) void take(name);
    await flushMicrotasks();
    expect(granted).toEqual(['a', 'b', 'c']);
    clock.advance(499);
    await flushMicrotasks();
    expect(granted).toEqual(['a', 'b', 'c']);
    clock.advance(1);
    await flushMicrotasks();
    expect(granted).toEqual(['a', 'b', 'c', 'd']);
    clock.advance(500);
    await flushMicrotasks();
    expect(granted).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(bucket.waiting).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('serves waiters first-in first-out, even when a token frees up as a newcomer arrives', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1, clock });
    const { granted, take } = recorder(bucket);
    void take('first');
    void take('second');
    await flushMicrotasks();
    // A token has refilled but the timer that serves "second" has not run yet: a newcomer
    // must still queue behind "second" rather than take that token.
    const realNow = clock.now.bind(clock);
    clock.now = () => realNow() + 1000;
    void take('third');
    await flushMicrotasks();
    expect(granted).toEqual(['first']);
    clock.now = realNow;
    clock.advance(1000);
    await flushMicrotasks();
    expect(granted).toEqual(['first', 'second']);
    clock.advance(1000);
    await flushMicrotasks();
    expect(granted).toEqual(['first', 'second', 'third']);
  });

  it('refills up to the burst only', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 2, clock });
    clock.advance(60_000);
    expect(bucket.tryAcquire()).toBe(true);
    expect(bucket.tryAcquire()).toBe(true);
    expect(bucket.tryAcquire()).toBe(false);
    clock.advance(100);
    expect(bucket.tryAcquire()).toBe(true);
  });

  it('removes an aborted waiter from the queue without disturbing the others', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1, clock });
    const { granted, take } = recorder(bucket);
    const controller = new AbortController();
    void take('a');
    void take('b', controller.signal);
    void take('c');
    await flushMicrotasks();
    controller.abort(new Error('caller gave up'));
    await flushMicrotasks();
    expect(bucket.waiting).toBe(1);
    clock.advance(1000);
    await flushMicrotasks();
    expect(granted).toEqual(['a', 'b:aborted', 'c']);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const bucket = new TokenBucket({ ratePerSecond: 1, clock: new ManualClock() });
    await expect(bucket.acquire(AbortSignal.abort(new Error('stop')))).rejects.toThrow('stop');
  });

  it('defaults the burst to the rate and validates its options', () => {
    expect(new TokenBucket({ ratePerSecond: 20, clock: new ManualClock() }).burst).toBe(20);
    expect(new TokenBucket({ ratePerSecond: 0.5, clock: new ManualClock() }).burst).toBe(1);
    expect(() => new TokenBucket({ ratePerSecond: 0 })).toThrow(/ratePerSecond/);
    expect(() => new TokenBucket({ ratePerSecond: 1, burst: 0 })).toThrow(/burst/);
  });
});

describe('KeyedTokenBucket', () => {
  it('limits each key on its own', async () => {
    const clock = new ManualClock();
    const buckets = new KeyedTokenBucket({ ratePerSecond: 1, burst: 1, clock });
    const granted: string[] = [];
    for (const key of ['DescribeSyncJobs', 'DescribeSyncJobs', 'CreateSyncJob']) void buckets.acquire(key).then(() => granted.push(key));
    await flushMicrotasks();
    expect(granted).toEqual(['DescribeSyncJobs', 'CreateSyncJob']);
    expect(buckets.size).toBe(2);
    clock.advance(1000);
    await flushMicrotasks();
    expect(granted).toEqual(['DescribeSyncJobs', 'CreateSyncJob', 'DescribeSyncJobs']);
  });
});

import { describe, expect, it } from 'vitest';
import {
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  TokenBucketRateLimiter,
  createControllerRateLimiter,
} from '../../../controller/src/runtime/rate-limiter.ts';
import { ManualClock } from './manual-clock.ts';

describe('ItemExponentialRateLimiter', () => {
  it('doubles the delay per failure and caps it at maxMs', () => {
    const limiter = new ItemExponentialRateLimiter<string>(1000, 10_000);
    const delays = Array.from({ length: 7 }, () => limiter.when('a'));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
    expect(limiter.numRequeues('a')).toBe(7);
  });

  it('defaults to a 1s base and a 5m cap', () => {
    const limiter = new ItemExponentialRateLimiter<string>();
    expect(limiter.when('a')).toBe(1000);
    for (let i = 0; i < 20; i += 1) limiter.when('a');
    expect(limiter.when('a')).toBe(300_000);
  });

  it('tracks keys independently and forget resets one key', () => {
    const limiter = new ItemExponentialRateLimiter<string>(10, 1000);
    limiter.when('a');
    limiter.when('a');
    expect(limiter.when('b')).toBe(10);
    limiter.forget('a');
    expect(limiter.numRequeues('a')).toBe(0);
    expect(limiter.when('a')).toBe(10);
    expect(limiter.numRequeues('b')).toBe(1);
  });

  it('never overflows to a non-finite delay after many failures', () => {
    const limiter = new ItemExponentialRateLimiter<string>(1000, 300_000);
    let last = 0;
    for (let i = 0; i < 2000; i += 1) last = limiter.when('a');
    expect(last).toBe(300_000);
  });

  it('applies bounded, deterministic jitter below the backoff', () => {
    const random = () => 0.5;
    const limiter = new ItemExponentialRateLimiter<string>(1000, 4000, { jitter: 0.2, random });
    // backoff * (1 - 0.2 * 0.5) = backoff * 0.9
    expect([limiter.when('a'), limiter.when('a'), limiter.when('a'), limiter.when('a')]).toEqual([900, 1800, 3600, 3600]);
  });

  it('keeps jittered delays within [backoff * (1 - jitter), backoff]', () => {
    const extremes = [0, 0.999999];
    for (const r of extremes) {
      const limiter = new ItemExponentialRateLimiter<string>(1000, 300_000, { jitter: 0.5, random: () => r });
      const delay = limiter.when('a');
      expect(delay).toBeGreaterThanOrEqual(500);
      expect(delay).toBeLessThanOrEqual(1000);
    }
  });

  it('rejects nonsensical settings with a message naming the setting', () => {
    expect(() => new ItemExponentialRateLimiter(0)).toThrow(/baseMs must be a positive/);
    expect(() => new ItemExponentialRateLimiter(1000, 10)).toThrow(/maxMs \(10\) must be .* >= baseMs/);
    expect(() => new ItemExponentialRateLimiter(1000, 2000, { jitter: 2 })).toThrow(/jitter must be a fraction/);
  });
});

describe('TokenBucketRateLimiter', () => {
  it('allows a burst, then spaces reservations at 1/qps', () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketRateLimiter<string>(10, 3, clock);
    expect([limiter.when('a'), limiter.when('b'), limiter.when('c')]).toEqual([0, 0, 0]);
    // Burst spent: each further call reserves the next token 100ms later.
    expect(limiter.when('d')).toBeCloseTo(100);
    expect(limiter.when('e')).toBeCloseTo(200);
    expect(limiter.numRequeues('a')).toBe(0);
  });

  it('refills over time, but never beyond the burst', () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketRateLimiter<string>(1, 2, clock);
    limiter.when('a');
    limiter.when('a');
    expect(limiter.when('a')).toBeCloseTo(1000);
    clock.advance(1000); // pays back the reservation
    expect(limiter.when('a')).toBeCloseTo(1000);
    clock.advance(60_000); // a long idle period refills to the burst only
    expect([limiter.when('a'), limiter.when('a'), limiter.when('a')].map(Math.round)).toEqual([0, 0, 1000]);
  });

  it('rejects invalid qps and burst', () => {
    expect(() => new TokenBucketRateLimiter(0, 1)).toThrow(/qps must be a positive number/);
    expect(() => new TokenBucketRateLimiter(1, 0)).toThrow(/burst must be an integer >= 1/);
  });
});

describe('MaxOfRateLimiter', () => {
  it('returns the longest delay and records the failure in every limiter', () => {
    const clock = new ManualClock();
    const exponential = new ItemExponentialRateLimiter<string>(5, 1000);
    const bucket = new TokenBucketRateLimiter<string>(1, 1, clock);
    const limiter = new MaxOfRateLimiter(exponential, bucket);
    expect(limiter.when('a')).toBe(5); // bucket had a token
    expect(limiter.when('a')).toBeCloseTo(1000); // bucket empty dominates 10ms backoff
    expect(exponential.numRequeues('a')).toBe(2);
    expect(limiter.numRequeues('a')).toBe(2);
    limiter.forget('a');
    expect(limiter.numRequeues('a')).toBe(0);
  });

  it('needs at least one limiter', () => {
    expect(() => new MaxOfRateLimiter()).toThrow(/at least one/);
  });

  it('createControllerRateLimiter combines backoff and the global bucket', () => {
    const clock = new ManualClock();
    const limiter = createControllerRateLimiter<string>({ baseMs: 100, maxMs: 1000, qps: 1, burst: 1, clock });
    expect(limiter.when('a')).toBe(100);
    expect(limiter.when('b')).toBeCloseTo(1000);
  });
});

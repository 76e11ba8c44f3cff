import { describe, expect, it } from 'vitest';
import { fullJitterDelay, parseRetryAfter, withRetry } from '../../../../controller/src/providers/http/retry.ts';

class Transient extends Error {
  retryAfterMs: number | undefined;
  constructor(retryAfterMs?: number) {
    super('transient');
    this.retryAfterMs = retryAfterMs;
  }
}

function options(sleeps: number[], random = () => 0.5) {
  return {
    maxAttempts: 4,
    baseMs: 100,
    maxMs: 1000,
    random,
    sleep: async (ms: number) => void sleeps.push(ms),
    isRetryable: (error: unknown) => error instanceof Transient,
    retryAfterMs: (error: unknown) => (error instanceof Transient ? error.retryAfterMs : undefined),
  };
}

describe('withRetry', () => {
  it('retries retryable failures with full-jitter exponential backoff, then succeeds', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = await withRetry(async (attempt) => {
      calls += 1;
      if (attempt < 4) throw new Transient();
      return 'done';
    }, options(sleeps));
    expect(result).toBe('done');
    expect(calls).toBe(4);
    // random 0.5 of 100, 200, 400
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('rethrows the last error once attempts run out', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls += 1;
        throw new Transient();
      }, options(sleeps)),
    ).rejects.toBeInstanceOf(Transient);
    expect(calls).toBe(4);
    expect(sleeps).toHaveLength(3);
  });

  it('does not retry a non-retryable error', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls += 1;
        throw new Error('bad request');
      }, options(sleeps)),
    ).rejects.toThrow('bad request');
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('waits at least the Retry-After the server asked for', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    await withRetry(async () => {
      calls += 1;
      if (calls === 1) throw new Transient(700);
      return 'ok';
    }, options(sleeps, () => 0));
    expect(sleeps).toEqual([700]);
  });

  it('hands a Retry-After longer than the cap back to the caller instead of sleeping on it', async () => {
    const sleeps: number[] = [];
    await expect(
      withRetry(async () => {
        throw new Transient(60_000);
      }, options(sleeps)),
    ).rejects.toMatchObject({ retryAfterMs: 60_000 });
    expect(sleeps).toEqual([]);
  });

  it('validates its options', async () => {
    await expect(withRetry(async () => 1, { ...options([]), maxAttempts: 0 })).rejects.toThrow(/maxAttempts/);
    await expect(withRetry(async () => 1, { ...options([]), baseMs: 10, maxMs: 5 })).rejects.toThrow(/baseMs/);
  });
});

describe('fullJitterDelay', () => {
  it('draws from [0, min(maxMs, baseMs * 2^n)) and never overflows', () => {
    expect(fullJitterDelay(1, 100, 1000, () => 0.999)).toBe(99);
    expect(fullJitterDelay(3, 100, 1000, () => 0.999)).toBe(399);
    expect(fullJitterDelay(10, 100, 1000, () => 0.999)).toBe(999);
    expect(fullJitterDelay(5000, 100, 1000, () => 0.5)).toBe(500);
    expect(fullJitterDelay(2, 100, 1000, () => 0)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-01-01T00:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0.5 ', now)).toBe(500);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 31 Dec 2023 00:00:00 GMT', now)).toBe(0);
  });
  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

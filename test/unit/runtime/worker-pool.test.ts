import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { ItemExponentialRateLimiter } from '../../../controller/src/runtime/rate-limiter.ts';
import { WorkQueue } from '../../../controller/src/runtime/work-queue.ts';
import {
  runWorkers,
  type ReconcileOutcome,
  type ReconcileResult,
  type WorkerLog,
} from '../../../controller/src/runtime/worker-pool.ts';
import { ManualClock, flushMicrotasks } from './manual-clock.ts';

function setup() {
  const clock = new ManualClock();
  const queue = new WorkQueue<string>({ clock, rateLimiter: new ItemExponentialRateLimiter<string>(100, 1000) });
  return { clock, queue };
}

/** A handler whose calls stay pending until the test settles them. */
function controllableHandler() {
  const calls: { key: string; settle: (result: ReconcileResult) => void; fail: (err: unknown) => void }[] = [];
  const handler = (key: string) =>
    new Promise<ReconcileResult>((resolve, reject) => {
      calls.push({ key, settle: resolve, fail: reject });
    });
  return { calls, handler };
}

describe('runWorkers', () => {
  it('forgets the backoff of a key after a successful reconcile', async () => {
    const { queue } = setup();
    queue.addRateLimited('a');
    queue.addRateLimited('a');
    queue.add('a');
    const outcomes: ReconcileOutcome[] = [];
    const pool = runWorkers({
      queue,
      concurrency: 1,
      handler: async () => ({}),
      metrics: { observeReconcile: (outcome) => outcomes.push(outcome) },
    });
    await flushMicrotasks();
    expect(queue.numRequeues('a')).toBe(0);
    expect(outcomes).toEqual(['success']);
    await pool.stop();
  });

  it('requeues after requeueAfterMs on success', async () => {
    const { queue, clock } = setup();
    const seen: string[] = [];
    const pool = runWorkers({
      queue,
      concurrency: 2,
      handler: async (key) => {
        seen.push(key);
        return { requeueAfterMs: 30_000 };
      },
    });
    queue.add('a');
    await flushMicrotasks();
    expect(seen).toEqual(['a']);
    clock.advance(29_999);
    await flushMicrotasks();
    expect(seen).toEqual(['a']);
    clock.advance(1);
    await flushMicrotasks();
    expect(seen).toEqual(['a', 'a']);
    await pool.stop();
  });

  it('retries errors with exponential backoff', async () => {
    const { queue, clock } = setup();
    const attempts: number[] = [];
    const outcomes: ReconcileOutcome[] = [];
    const pool = runWorkers({
      queue,
      concurrency: 1,
      clock,
      handler: async () => {
        attempts.push(clock.now());
        return { error: new Error('provider unavailable') };
      },
      metrics: { observeReconcile: (outcome) => outcomes.push(outcome) },
    });
    const start = clock.now();
    queue.add('a');
    await flushMicrotasks();
    for (const step of [100, 200, 400]) {
      clock.advance(step);
      await flushMicrotasks();
    }
    expect(attempts.map((t) => t - start)).toEqual([0, 100, 300, 700]);
    expect(queue.numRequeues('a')).toBe(4);
    expect(outcomes).toEqual(['error', 'error', 'error', 'error']);
    await pool.stop();
  });

  it('treats a thrown error and a rejected promise like a retryable error', async () => {
    const { queue } = setup();
    const pool = runWorkers({
      queue,
      concurrency: 2,
      handler: (key) => {
        if (key === 'sync') throw new Error('boom');
        return Promise.reject('not even an Error');
      },
    });
    queue.add('sync');
    queue.add('async');
    await flushMicrotasks();
    expect(queue.numRequeues('sync')).toBe(1);
    expect(queue.numRequeues('async')).toBe(1);
    await pool.stop();
  });

  it('does not retry a terminal error and forgets its backoff', async () => {
    const { queue, clock } = setup();
    let calls = 0;
    const outcomes: ReconcileOutcome[] = [];
    const pool = runWorkers({
      queue,
      concurrency: 1,
      handler: async () => {
        calls += 1;
        return { error: new Error('spec.source.host is empty'), terminal: true };
      },
      metrics: { observeReconcile: (outcome) => outcomes.push(outcome) },
    });
    queue.addRateLimited('a');
    clock.advance(100);
    await flushMicrotasks();
    clock.advance(60_000);
    await flushMicrotasks();
    expect(calls).toBe(1);
    expect(queue.numRequeues('a')).toBe(0);
    expect(outcomes).toEqual(['terminal']);
    await pool.stop();
  });

  it('logs failures with the key and the error through a pino logger', async () => {
    const lines: string[] = [];
    const log: WorkerLog = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    const { queue } = setup();
    const pool = runWorkers({
      queue,
      concurrency: 1,
      log,
      handler: async (key) => (key === 'bad' ? { error: new Error('quota exceeded'), terminal: true } : {}),
    });
    queue.add('bad');
    queue.add('good');
    await flushMicrotasks();
    await pool.stop();
    const records = lines.map((line) => JSON.parse(line) as { key: string; msg: string; err?: { message: string } });
    expect(records.find((r) => r.key === 'bad')?.err?.message).toBe('quota exceeded');
    expect(records.find((r) => r.key === 'good')?.msg).toBe('reconciled');
  });

  it('runs up to `concurrency` reconciles at once and exposes the in-flight count', async () => {
    const { queue } = setup();
    const { calls, handler } = controllableHandler();
    const pool = runWorkers({ queue, concurrency: 2, handler });
    for (const key of ['a', 'b', 'c']) queue.add(key);
    await flushMicrotasks();
    expect(calls.map((c) => c.key)).toEqual(['a', 'b']);
    expect(pool.inFlight()).toBe(2);
    calls[0]!.settle({});
    await flushMicrotasks();
    expect(calls.map((c) => c.key)).toEqual(['a', 'b', 'c']);
    expect(pool.inFlight()).toBe(2);
    calls[1]!.settle({});
    calls[2]!.settle({});
    await flushMicrotasks();
    expect(pool.inFlight()).toBe(0);
    await pool.stop();
  });

  it('stop() finishes in-flight reconciles but starts no new ones', async () => {
    const { queue } = setup();
    const { calls, handler } = controllableHandler();
    const pool = runWorkers({ queue, concurrency: 1, handler });
    queue.add('a');
    queue.add('b');
    await flushMicrotasks();
    let stopped = false;
    const stopping = pool.stop().then(() => (stopped = true));
    await flushMicrotasks();
    expect(stopped).toBe(false);
    calls[0]!.fail(new Error('late failure')); // its retry must not be scheduled
    await stopping;
    expect(calls.map((c) => c.key)).toEqual(['a']);
    expect(pool.inFlight()).toBe(0);
    await expect(pool.stop()).resolves.toBeUndefined();
  });

  it('a key re-added while in flight is reconciled again afterwards, never in parallel', async () => {
    const { queue } = setup();
    const { calls, handler } = controllableHandler();
    const pool = runWorkers({ queue, concurrency: 4, handler });
    queue.add('a');
    await flushMicrotasks();
    queue.add('a');
    await flushMicrotasks();
    expect(calls).toHaveLength(1);
    calls[0]!.settle({});
    await flushMicrotasks();
    expect(calls).toHaveLength(2);
    calls[1]!.settle({});
    await pool.stop();
  });

  it('rejects an invalid concurrency', () => {
    const { queue } = setup();
    expect(() => runWorkers({ queue, concurrency: 0, handler: async () => ({}) })).toThrow(/concurrency must be an integer >= 1/);
  });
});

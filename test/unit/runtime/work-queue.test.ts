import { describe, expect, it } from 'vitest';
import { ItemExponentialRateLimiter } from '../../../controller/src/runtime/rate-limiter.ts';
import { WorkQueue, type WorkQueueMetrics } from '../../../controller/src/runtime/work-queue.ts';
import { ManualClock, flushMicrotasks } from './manual-clock.ts';

function newQueue(clock = new ManualClock(), metrics?: WorkQueueMetrics) {
  const rateLimiter = new ItemExponentialRateLimiter<string>(100, 1000);
  const options = metrics ? { clock, rateLimiter, metrics } : { clock, rateLimiter };
  return { clock, queue: new WorkQueue<string>(options) };
}

describe('WorkQueue basics', () => {
  it('hands keys out in FIFO order', async () => {
    const { queue } = newQueue();
    for (const key of ['a', 'b', 'c']) queue.add(key);
    expect(queue.len()).toBe(3);
    expect([await queue.get(), await queue.get(), await queue.get()]).toEqual(['a', 'b', 'c']);
    expect(queue.len()).toBe(0);
  });

  it('deduplicates a key that is already waiting', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    expect(queue.len()).toBe(2);
    expect(await queue.get()).toBe('a');
    expect(await queue.get()).toBe('b');
  });

  it('serves waiting getters in the order they asked', async () => {
    const { queue } = newQueue();
    const first = queue.get();
    const second = queue.get();
    queue.add('x');
    queue.add('y');
    expect(await first).toBe('x');
    expect(await second).toBe('y');
  });

  it('does not hand out a key being processed; re-queues it on done if it was added meanwhile', async () => {
    const { queue } = newQueue();
    queue.add('a');
    expect(await queue.get()).toBe('a');
    queue.add('a'); // marked dirty, not queued
    queue.add('a');
    expect(queue.len()).toBe(0);
    let second: string | undefined;
    void queue.get().then((key) => (second = key));
    await flushMicrotasks();
    expect(second).toBeUndefined();
    queue.done('a');
    await flushMicrotasks();
    expect(second).toBe('a');
  });

  it('does not re-queue a key on done when it was not added again', async () => {
    const { queue } = newQueue();
    queue.add('a');
    await queue.get();
    queue.done('a');
    queue.done('a'); // a second done is harmless
    expect(queue.len()).toBe(0);
  });

  it('never hands the same key to two workers, even when adds hammer it during processing', async () => {
    const { queue } = newQueue();
    const keys = ['k1', 'k2', 'k3'];
    const active = new Map<string, number>();
    const processed = new Map<string, number>();
    let maxPerKey = 0;
    let addsLeft = 300;

    const worker = async () => {
      for (;;) {
        const key = await queue.get();
        if (key === undefined) return;
        const now = (active.get(key) ?? 0) + 1;
        active.set(key, now);
        maxPerKey = Math.max(maxPerKey, now);
        // Hammer adds of every key while this one is in flight.
        for (let i = 0; i < 3 && addsLeft > 0; i += 1, addsLeft -= 1) queue.add(keys[addsLeft % keys.length]!);
        await flushMicrotasks();
        active.set(key, (active.get(key) ?? 1) - 1);
        processed.set(key, (processed.get(key) ?? 0) + 1);
        queue.done(key);
      }
    };

    for (const key of keys) queue.add(key);
    const workers = Array.from({ length: 16 }, () => worker());
    while (addsLeft > 0 || queue.len() > 0 || queue.processingCount() > 0) await flushMicrotasks();
    queue.shutDown();
    await Promise.all(workers);

    expect(maxPerKey).toBe(1);
    for (const key of keys) expect(processed.get(key)).toBeGreaterThan(1);
  });
});

describe('WorkQueue delayed adds', () => {
  it('adds keys when their delay expires, in deadline order', async () => {
    const { queue, clock } = newQueue();
    queue.addAfter('slow', 300);
    queue.addAfter('fast', 100);
    queue.addAfter('medium', 200);
    expect(queue.len()).toBe(0);
    clock.advance(99);
    expect(queue.len()).toBe(0);
    clock.advance(1);
    expect(queue.len()).toBe(1);
    clock.advance(200);
    expect([await queue.get(), await queue.get(), await queue.get()]).toEqual(['fast', 'medium', 'slow']);
  });

  it('keeps the earlier deadline when a key is delayed twice', () => {
    const { queue, clock } = newQueue();
    queue.addAfter('a', 1000);
    queue.addAfter('a', 100); // earlier: replaces
    queue.addAfter('a', 5000); // later: ignored
    clock.advance(100);
    expect(queue.len()).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('drops the delayed entry when the key is added directly before it fires', async () => {
    const { queue, clock } = newQueue();
    queue.addAfter('a', 1000);
    queue.add('a');
    expect(clock.pendingTimers()).toBe(0);
    expect(await queue.get()).toBe('a');
    queue.done('a');
    clock.advance(2000);
    expect(queue.len()).toBe(0);
  });

  it('adds immediately when the delay is zero or negative', () => {
    const { queue } = newQueue();
    queue.addAfter('a', 0);
    queue.addAfter('b', -5);
    expect(queue.len()).toBe(2);
  });

  it('addRateLimited waits the backoff of the key and forget resets it', () => {
    const { queue, clock } = newQueue();
    queue.addRateLimited('a'); // 100ms
    expect(queue.numRequeues('a')).toBe(1);
    clock.advance(99);
    expect(queue.len()).toBe(0);
    clock.advance(1);
    expect(queue.len()).toBe(1);
    queue.addRateLimited('b');
    queue.addRateLimited('b'); // second failure: 200ms, but the earlier 100ms deadline wins
    expect(queue.numRequeues('b')).toBe(2);
    queue.forget('b');
    expect(queue.numRequeues('b')).toBe(0);
  });
});

describe('WorkQueue shutdown', () => {
  it('shutDown releases waiting getters with undefined and ignores later adds', async () => {
    const { queue, clock } = newQueue();
    const waiting = [queue.get(), queue.get()];
    queue.addAfter('later', 100);
    queue.shutDown();
    expect(await Promise.all(waiting)).toEqual([undefined, undefined]);
    expect(queue.isShuttingDown()).toBe(true);
    queue.add('a');
    queue.addAfter('b', 10);
    queue.addRateLimited('c');
    clock.advance(1000);
    expect(queue.len()).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
    expect(await queue.get()).toBeUndefined();
  });

  it('shutDown stops handing out keys that were still waiting', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.shutDown();
    expect(await queue.get()).toBeUndefined();
  });

  it('shutDownWithDrain resolves only after in-flight keys are done', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.add('b');
    await queue.get();
    await queue.get();
    let drained = false;
    const drain = queue.shutDownWithDrain().then(() => (drained = true));
    await flushMicrotasks();
    expect(drained).toBe(false);
    queue.done('a');
    await flushMicrotasks();
    expect(drained).toBe(false);
    queue.done('b');
    await drain;
    expect(drained).toBe(true);
  });

  it('shutDownWithDrain resolves at once when nothing is in flight', async () => {
    const { queue } = newQueue();
    await expect(queue.shutDownWithDrain()).resolves.toBeUndefined();
  });
});

describe('WorkQueue metrics hooks', () => {
  it('reports adds, depth, queue and work durations and retries', async () => {
    const events: string[] = [];
    const metrics: WorkQueueMetrics = {
      incAdds: () => events.push('add'),
      setDepth: (d) => events.push(`depth=${d}`),
      observeQueueDuration: (s) => events.push(`queued=${s}`),
      observeWorkDuration: (s) => events.push(`worked=${s}`),
      incRetries: () => events.push('retry'),
    };
    const { queue, clock } = newQueue(new ManualClock(), metrics);
    queue.add('a');
    queue.add('a'); // deduplicated: not counted
    clock.advance(2000);
    await queue.get();
    clock.advance(500);
    queue.done('a');
    queue.addRateLimited('a');
    expect(events).toEqual(['add', 'depth=1', 'queued=2', 'depth=0', 'worked=0.5', 'retry']);
  });
});

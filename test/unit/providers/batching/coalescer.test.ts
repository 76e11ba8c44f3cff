import { describe, expect, it } from 'vitest';
import { Coalescer } from '../../../../controller/src/providers/batching/coalescer.ts';

function manualTimers() {
  const timers: (() => void)[] = [];
  return { setTimer: (fn: () => void) => void timers.push(fn), fire: () => timers.splice(0).forEach((t) => t()) };
}

describe('Coalescer', () => {
  it('sends items submitted within a window as one batch and splits the results back per caller', async () => {
    const timers = manualTimers();
    const sent: string[][] = [];
    const c = new Coalescer<string, string>({
      flush: async (ids) => {
        sent.push(ids);
        return new Map(ids.map((id) => [id, `ok:${id}`]));
      },
      keyOf: (id) => id,
      windowMs: 20,
      maxBatch: 100,
      setTimer: timers.setTimer,
    });
    const results = Promise.all(['a', 'b', 'c'].map((id) => c.submit(id)));
    timers.fire();
    expect(await results).toEqual(['ok:a', 'ok:b', 'ok:c']);
    expect(sent).toEqual([['a', 'b', 'c']]);
  });

  it('never puts more than maxBatch items in one request', async () => {
    const timers = manualTimers();
    const sizes: number[] = [];
    const c = new Coalescer<number, number>({
      flush: async (items) => {
        sizes.push(items.length);
        return new Map(items.map((i) => [String(i), i]));
      },
      keyOf: String,
      windowMs: 20,
      maxBatch: 100,
      setTimer: timers.setTimer,
    });
    const all = Promise.all(Array.from({ length: 250 }, (_, i) => c.submit(i)));
    timers.fire();
    await all;
    expect(sizes).toEqual([100, 100, 50]);
  });

  it('keeps a key once per batch, so two actions on one job never race in one request', async () => {
    const timers = manualTimers();
    const sent: string[][] = [];
    const c = new Coalescer<{ id: string; v: number }, number>({
      flush: async (items) => {
        sent.push(items.map((i) => `${i.id}:${i.v}`));
        return new Map(items.map((i) => [i.id, i.v]));
      },
      keyOf: (i) => i.id,
      windowMs: 20,
      maxBatch: 100,
      setTimer: timers.setTimer,
    });
    const all = Promise.all([c.submit({ id: 'a', v: 1 }), c.submit({ id: 'a', v: 2 }), c.submit({ id: 'b', v: 3 })]);
    timers.fire();
    expect(await all).toEqual([1, 2, 3]);
    expect(sent).toEqual([['a:1', 'b:3'], ['a:2']]);
  });

  it('fails every item of a batch whose request failed, and reports items the provider skipped', async () => {
    const timers = manualTimers();
    const failing = new Coalescer<string, string>({
      flush: async () => {
        throw new Error('provider down');
      },
      keyOf: (id) => id,
      windowMs: 20,
      maxBatch: 100,
      setTimer: timers.setTimer,
    });
    const a = failing.submit('a');
    const b = failing.submit('b');
    timers.fire();
    await expect(a).rejects.toThrow('provider down');
    await expect(b).rejects.toThrow('provider down');

    const partial = new Coalescer<string, string>({ flush: async () => new Map([['a', 'ok']]), keyOf: (id) => id, windowMs: 20, maxBatch: 100, setTimer: timers.setTimer });
    const ok = partial.submit('a');
    const missing = partial.submit('b');
    timers.fire();
    expect(await ok).toBe('ok');
    await expect(missing).rejects.toThrow('no result for b');
  });
});

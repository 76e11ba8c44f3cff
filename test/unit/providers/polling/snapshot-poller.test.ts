import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../controller/src/clock.ts';
import { SnapshotPoller, chunks, type ReadResult } from '../../../../controller/src/providers/polling/snapshot-poller.ts';

interface Snap {
  status: string;
}

/** A provider whose jobs the test edits; every batch read is recorded. */
function fakeSource() {
  const jobs = new Map<string, Snap>();
  const reads: string[][] = [];
  const unreadable = new Set<string>();
  return {
    jobs,
    reads,
    unreadable,
    read: async (ids: string[]) => {
      const answers = new Map<string, ReadResult<Snap>>();
      for (const batch of chunks(ids, 100)) {
        reads.push(batch);
        for (const id of batch) {
          if (unreadable.has(id)) answers.set(id, { unreadable: 'InternalError' });
          else if (jobs.has(id)) answers.set(id, { snapshot: { ...jobs.get(id)! } });
          else answers.set(id, { gone: true });
        }
      }
      return answers;
    },
  };
}

describe('SnapshotPoller', () => {
  let poller: SnapshotPoller<Snap> | undefined;
  afterEach(async () => {
    await poller?.stop();
    poller = undefined;
  });

  function start(source: ReturnType<typeof fakeSource>, extra: { onChange?: (id: string) => void; steadyMs?: number; rps?: number; onStretched?: () => void } = {}) {
    poller = new SnapshotPoller<Snap>({
      name: 'test',
      read: source.read,
      isSteady: (s) => s.status === 'Running',
      changed: (a, b) => a?.status !== b.status,
      callsPerRound: (jobs) => Math.ceil(jobs / 100),
      activeMs: 15,
      steadyMs: extra.steadyMs ?? 15,
      requestsPerSecond: extra.rps ?? 1000,
      clock: systemClock,
      onChange: extra.onChange ?? (() => undefined),
      ...(extra.onStretched ? { onStretched: extra.onStretched } : {}),
    });
    poller.start();
    return poller;
  }

  it('reads 250 concurrently asked jobs in one round of ceil(250/100) batch calls', async () => {
    const source = fakeSource();
    const ids = Array.from({ length: 250 }, (_, i) => `job-${i}`);
    for (const id of ids) source.jobs.set(id, { status: 'Running' });
    const p = start(source);
    const results = await Promise.all(ids.map((id) => p.read(id)));
    expect(results.every((r) => r.snapshot?.status === 'Running')).toBe(true);
    expect(source.reads.slice(0, 3).map((b) => b.length)).toEqual([100, 100, 50]);
  });

  it('after markStale, read waits for a round started after the action', async () => {
    const source = fakeSource();
    source.jobs.set('a', { status: 'Initialized' });
    const p = start(source);
    expect((await p.read('a')).snapshot?.status).toBe('Initialized');
    source.jobs.set('a', { status: 'Checking' });
    p.markStale('a');
    expect((await p.read('a')).snapshot?.status).toBe('Checking');
  });

  it('reports changes through onChange, not unchanged rounds', async () => {
    const source = fakeSource();
    const changes: string[] = [];
    source.jobs.set('a', { status: 'Running' });
    const p = start(source, { onChange: (id) => changes.push(id) });
    await p.read('a');
    const roundsBefore = p.rounds;
    await new Promise((r) => setTimeout(r, 80));
    expect(p.rounds).toBeGreaterThan(roundsBefore);
    expect(changes).toEqual(['a']);
    source.jobs.set('a', { status: 'Paused' });
    await new Promise((r) => setTimeout(r, 80));
    expect(changes).toEqual(['a', 'a']);
  });

  it('believes a job it has seen is gone only after it is missing for two rounds', async () => {
    const source = fakeSource();
    source.jobs.set('a', { status: 'Running' });
    const p = start(source);
    await p.read('a');
    source.jobs.delete('a');
    // One glitchy round: still there.
    const roundsAtDelete = p.rounds;
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (p.rounds >= roundsAtDelete + 1) {
          clearInterval(check);
          resolve();
        }
      }, 1);
    });
    expect(p.peek('a')).toMatchObject({ gone: false, goneRounds: 1, snapshot: { status: 'Running' } });
    await new Promise((r) => setTimeout(r, 100));
    expect(p.peek('a')!.gone).toBe(true);
  });

  it('treats a never-seen job reported missing as gone at once', async () => {
    const source = fakeSource();
    const p = start(source);
    expect((await p.read('never')).gone).toBe(true);
  });

  it('keeps the last snapshot when a job cannot be read, and says why', async () => {
    const source = fakeSource();
    source.jobs.set('a', { status: 'Running' });
    const p = start(source);
    await p.read('a');
    source.unreadable.add('a');
    await new Promise((r) => setTimeout(r, 60));
    expect(p.peek('a')).toMatchObject({ snapshot: { status: 'Running' }, unreadable: 'InternalError', gone: false });
  });

  it('stretches the interval to keep polling within half the request budget', async () => {
    const source = fakeSource();
    const ids = Array.from({ length: 300 }, (_, i) => `job-${i}`);
    for (const id of ids) source.jobs.set(id, { status: 'Running' });
    let stretched = 0;
    // 3 calls a round at 20 req/s (10 for polling) → ≥300 ms between rounds, not 15 ms.
    const p = start(source, { rps: 20, onStretched: () => stretched++ });
    await Promise.all(ids.map((id) => p.read(id)));
    const rounds = p.rounds;
    await new Promise((r) => setTimeout(r, 200));
    expect(p.rounds - rounds).toBeLessThanOrEqual(1);
    expect(stretched).toBeGreaterThan(0);
  });
});

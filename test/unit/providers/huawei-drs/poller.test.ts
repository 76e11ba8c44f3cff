import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../controller/src/clock.ts';
import { DrsPoller, type PollerOptions } from '../../../../controller/src/providers/huawei-drs/poller.ts';

interface FakeJob {
  status: string;
  /** batch-progress's incremental delay in seconds. */
  delay?: number;
  /** batch-precheck-result's process ("50%", "100%"). */
  precheck?: string;
}

/** DRS's three query endpoints over jobs the test edits; records the IDs of every call. */
function fakeDrs() {
  const jobs = new Map<string, FakeJob>();
  const calls: Record<'status' | 'progress' | 'precheck', string[][]> = { status: [], progress: [], precheck: [] };
  const missing = new Set<string>();
  const fail = { progress: false };
  const client = {
    getStatuses: async (ids: string[]) => {
      calls.status.push(ids);
      return ids.map((jobId) => {
        const job = jobs.get(jobId);
        if (missing.has(jobId)) return { jobId, ok: false, code: 'MissingResult', message: 'no entry', retryable: false, gone: true };
        if (!job) return { jobId, ok: false, code: 'DRS.M00289', message: 'no such job', retryable: false, gone: true };
        return { jobId, ok: true, status: job.status, result: { id: jobId, status: job.status } };
      });
    },
    getProgress: async (ids: string[]) => {
      calls.progress.push(ids);
      if (fail.progress) throw new Error('batch-progress is down');
      return ids.map((jobId) => ({ jobId, ok: true, progress: { job_id: jobId, progress: '100', incre_trans_delay: String(jobs.get(jobId)?.delay ?? 0) } }));
    },
    getPrecheckResults: async (ids: string[]) => {
      calls.precheck.push(ids);
      return ids.map((jobId) => ({ jobId, ok: true, result: { precheck_id: jobId, process: jobs.get(jobId)?.precheck ?? '0%', result: false } }));
    },
  } as unknown as PollerOptions['client'];
  return { jobs, calls, missing, fail, client };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('DrsPoller', () => {
  let poller: DrsPoller | undefined;
  afterEach(async () => {
    await poller?.stop();
    poller = undefined;
  });

  function start(drs: ReturnType<typeof fakeDrs>, onChange: (id: string) => void = () => undefined) {
    poller = new DrsPoller({ client: drs.client, activeMs: 15, steadyMs: 15, requestsPerSecond: 1000, clock: systemClock, onChange });
    poller.start();
    return poller;
  }

  /** Wait for `n` more completed rounds. */
  async function rounds(p: DrsPoller, n: number) {
    const target = p.rounds + n;
    while (p.rounds < target) await sleep(2);
  }

  it('asks batch-progress only for transferring jobs and batch-precheck-result for no one when none is pending', async () => {
    const drs = fakeDrs();
    const ids = Array.from({ length: 250 }, (_, i) => `job-${i}`);
    ids.forEach((id, i) => drs.jobs.set(id, { status: i < 150 ? 'INCRE_TRANSFER_STARTED' : 'CONFIGURATION' }));
    const p = start(drs);
    const seen = await Promise.all(ids.map((id) => p.read(id)));
    expect(seen.every((t) => t.snapshot && !t.gone)).toBe(true);
    expect(seen[0]!.snapshot!.progress?.progress).toBe('100');
    expect(seen[200]!.snapshot!.progress).toBeUndefined();
    expect(drs.calls.status[0]).toHaveLength(250);
    expect(drs.calls.progress[0]).toEqual(ids.slice(0, 150));
    expect(drs.calls.precheck).toEqual([]);
    expect(p.size).toBe(250);
  });

  it('polls a pre-check result only while it is pending, and re-reads after the action', async () => {
    const drs = fakeDrs();
    drs.jobs.set('a', { status: 'CONFIGURATION', precheck: '50%' });
    const changes: string[] = [];
    const p = start(drs, (id) => changes.push(id));
    await p.read('a');
    p.expectPrecheck('a', 'start');
    const pending = await p.read('a');
    expect(pending.snapshot!.precheck).toMatchObject({ purpose: 'start', result: { process: '50%' } });
    drs.jobs.get('a')!.precheck = '100%';
    await rounds(p, 3);
    expect(p.peek('a')!.snapshot!.precheck).toMatchObject({ purpose: 'start', result: { process: '100%' } });
    const asked = drs.calls.precheck.length;
    await rounds(p, 3);
    expect(drs.calls.precheck.length).toBe(asked);
    expect(p.peek('a')!.snapshot!.precheck?.result?.process).toBe('100%');
    expect(changes.filter((id) => id === 'a').length).toBeGreaterThanOrEqual(3);
  });

  it('believes an explicit "no such job" at once, but not a job merely missing from the answer', async () => {
    const drs = fakeDrs();
    drs.jobs.set('a', { status: 'CONFIGURATION' });
    drs.jobs.set('b', { status: 'CONFIGURATION' });
    // Which round first reported the job gone, when it was believed.
    const goneAfter: number[] = [];
    const p = start(drs, (id) => p.peek(id)?.gone && goneAfter.push(p.peek(id)!.goneRounds));
    await Promise.all([p.read('a'), p.read('b')]);
    drs.missing.add('a');
    drs.jobs.delete('b');
    await rounds(p, 3);
    expect(p.peek('a')).toMatchObject({ gone: false, unreadable: 'MissingResult: no entry', snapshot: { status: 'CONFIGURATION' } });
    expect(p.peek('b')!.gone).toBe(true);
    expect(goneAfter).toEqual([1]);
    expect((await p.read('never')).gone).toBe(true);
  });

  it('reports a delay change only when it is material, and keeps the status when batch-progress fails', async () => {
    const drs = fakeDrs();
    drs.jobs.set('a', { status: 'INCRE_TRANSFER_STARTED', delay: 100 });
    const changes: string[] = [];
    const p = start(drs, (id) => changes.push(id));
    await p.read('a');
    await rounds(p, 1);
    changes.length = 0;
    drs.jobs.get('a')!.delay = 120;
    await rounds(p, 3);
    expect(changes).toEqual([]);
    drs.jobs.get('a')!.delay = 300;
    await rounds(p, 3);
    expect(changes).toEqual(['a']);
    drs.fail.progress = true;
    drs.jobs.get('a')!.status = 'PAUSING';
    p.markStale('a');
    const read = await p.read('a');
    expect(read).toMatchObject({ stale: false, snapshot: { status: 'PAUSING', progress: { incre_trans_delay: '300' } } });
    expect(changes).toEqual(['a', 'a']);
  });
});

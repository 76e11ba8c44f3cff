import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../../engine/src/clock.ts';
import { startEngine } from '../../../engine/src/engine.ts';
import { FAST_SIMULATED_DELAYS } from '../../../engine/src/executors/simulated.ts';
import { configuredJobs, creationItem, CREDENTIALS, DELAYS, DrsTestClient, startTestEngine, tempDir } from './helpers.ts';
import { spawnEngine } from './spawn-engine.ts';

describe('engine durability', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('a restart on the same directory keeps every task and re-arms the pending transitions', async () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const clock = new ManualClock(Date.UTC(2024, 5, 1));
    const first = await startTestEngine({ dir: temp.dir, clock });
    const [starting, pausing, configuring] = await configuredJobs(first, ['restart-start', 'restart-pause', 'restart-idle']);
    await first.drs.post('/batch-precheck', { jobs: [starting, pausing].map((job_id) => ({ job_id, precheck_mode: 'forStartJob' })) });
    await first.advance(DELAYS.precheckMs);
    await first.drs.post('/batch-starting', { jobs: [{ job_id: starting }, { job_id: pausing }] });
    await first.advance(DELAYS.startMs + DELAYS.fullTransferMs / 2);
    await first.drs.post('/batch-pause-task', { jobs: [{ job_id: pausing, pause_mode: 'all' }] });
    await first.close();

    // Down for a while: the deadlines that passed meanwhile fire as soon as it is back.
    clock.advance(DELAYS.fullTransferMs);
    const second = await startTestEngine({ dir: temp.dir, clock });
    cleanups.push(() => second.close());
    await second.advance(0); // overdue deadlines are due at once (a manual clock fires them on the next advance)
    expect(await second.drs.status([starting!, pausing!, configuring!])).toEqual({
      [starting!]: 'INCRE_TRANSFER_STARTED',
      [pausing!]: 'PAUSING',
      [configuring!]: 'CONFIGURATION',
    });
    const paused = (await second.drs.admin('GET', `/_sim/jobs/${pausing}`)).body;
    expect(paused.pause).toMatchObject({ phase: 'paused', resumeTo: 'FULL_TRANSFER_STARTED' });
    // Progress was frozen at the pause and survived the restart.
    expect((await second.drs.post('/batch-progress', { jobs: [pausing] })).body.results[0].progress).toBe('50');
    await second.drs.post('/batch-retry-task', { jobs: [{ job_id: pausing }] });
    await second.advance(DELAYS.fullTransferMs / 2 + DELAYS.fullToIncrementalMs);
    expect(await second.drs.status([pausing!])).toEqual({ [pausing!]: 'INCRE_TRANSFER_STARTED' });
  });

  it('kill -9 while creating tasks loses no acknowledged task, and their transitions resume after restart', async () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const { child, url } = await spawnEngine(temp.dir, ['--delays', JSON.stringify({ ...FAST_SIMULATED_DELAYS, createMs: 200 })]);
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const client = new DrsTestClient(url, systemClock);

    const acknowledged: string[] = [];
    let stop = false;
    let sequence = 0;
    const writer = async (): Promise<void> => {
      while (!stop) {
        const batch = Array.from({ length: 5 }, () => creationItem(`kill-test-${++sequence}`));
        try {
          const answer = await client.post('/batch-creation', { jobs: batch });
          for (const result of answer.body.results) if (result.id) acknowledged.push(result.id);
        } catch {
          return; // the connection died with the process
        }
      }
    };
    const writers = Array.from({ length: 4 }, () => writer());
    while (acknowledged.length < 60) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGKILL'); // requests are still in flight
    stop = true;
    await Promise.all(writers);
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    expect(child.signalCode).toBe('SIGKILL');

    const engine = await startEngine({ dataDir: temp.dir, credentials: CREDENTIALS, delays: { ...FAST_SIMULATED_DELAYS, createMs: 200 } });
    cleanups.push(() => engine.close());
    for (const id of acknowledged) expect(engine.runtime.get(id), id).toBeDefined();
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && acknowledged.some((id) => engine.runtime.get(id)?.status !== 'CONFIGURATION')) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(new Set(acknowledged.map((id) => engine.runtime.get(id)?.status))).toEqual(new Set(['CONFIGURATION']));
  });
});

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../engine/src/job.ts';
import { JobStore } from '../../../engine/src/store.ts';
import { tempDir } from './helpers.ts';

function job(id: string, overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    id,
    projectId: 'p',
    name: `name-${id}`,
    description: '',
    status: 'CREATING',
    dbUseType: 'migration',
    engineType: 'mysql',
    jobDirection: 'up',
    netType: 'eip',
    nodeType: 'high',
    taskType: 'FULL_INCR_TRANS',
    createdAt: 1,
    updatedAt: 1,
    options: { tags: [], sysTags: [] },
    source: {},
    target: {},
    connections: {},
    configured: false,
    speedLimits: [],
    timers: [{ at: 1000, event: { type: 'status', to: 'CONFIGURATION' } }],
    ...overrides,
  };
}

describe('job store: durable log + snapshot', () => {
  let temp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    temp = tempDir('drs-store-');
  });
  afterEach(() => {
    temp.remove();
  });

  it('a committed change survives reopening; it is visible only after its commit resolved', async () => {
    const store = JobStore.open(temp.dir);
    const pending = store.commit([job('a'), job('b')]);
    expect(store.get('a')).toBeUndefined();
    await pending;
    expect(store.get('a')?.status).toBe('CREATING');
    await store.commit([job('a', { status: 'CONFIGURATION', timers: [] })]);
    await store.close();

    const reopened = JobStore.open(temp.dir);
    expect(reopened.get('a')).toMatchObject({ status: 'CONFIGURATION', timers: [] });
    expect(reopened.get('b')?.timers).toEqual([{ at: 1000, event: { type: 'status', to: 'CONFIGURATION' } }]);
    expect(reopened.size).toBe(2);
    await reopened.close();
  });

  it('commits of one event-loop turn share one log line (group commit)', async () => {
    const store = JobStore.open(temp.dir);
    await Promise.all([store.commit([job('a')]), store.commit([job('b')]), store.commit([job('c')])]);
    await store.commit([job('d')]);
    await store.close();
    const lines = readFileSync(join(temp.dir, 'jobs.log'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!).jobs.map((j: JobRecord) => j.id)).toEqual(['a', 'b', 'c']);
  });

  it('a torn last line (crash mid-write) is dropped and cut off; appends continue cleanly', async () => {
    const store = JobStore.open(temp.dir);
    await store.commit([job('a')]);
    await store.close();
    appendFileSync(join(temp.dir, 'jobs.log'), '{"seq":2,"jobs":[{"id":"torn"');

    const reopened = JobStore.open(temp.dir);
    expect(reopened.get('a')).toBeDefined();
    expect(reopened.get('torn')).toBeUndefined();
    await reopened.commit([job('b')]);
    await reopened.close();
    const again = JobStore.open(temp.dir);
    expect([...again.all()].map((j) => j.id).sort()).toEqual(['a', 'b']);
    await again.close();
  });

  it('compaction folds the log into a snapshot; lines already in the snapshot are skipped after a crash between the two', async () => {
    const store = JobStore.open(temp.dir, { compactEveryLines: 3 });
    for (let i = 0; i < 7; i += 1) await store.commit([job(`j${i}`, { updatedAt: i })]);
    await store.close();
    const snapshot = JSON.parse(readFileSync(join(temp.dir, 'jobs.snapshot.json'), 'utf8'));
    expect(snapshot.seq).toBe(6);
    expect(readFileSync(join(temp.dir, 'jobs.log'), 'utf8').trim().split('\n')).toHaveLength(1);

    // Simulate a crash after the snapshot rename but before the log truncation: stale lines remain.
    const staleLine = JSON.stringify({ seq: 5, jobs: [job('j0', { status: 'CREATE_FAILED' })] });
    const log = readFileSync(join(temp.dir, 'jobs.log'), 'utf8');
    writeFileSync(join(temp.dir, 'jobs.log'), `${staleLine}\n${log}`);
    const reopened = JobStore.open(temp.dir);
    expect(reopened.get('j0')?.status).toBe('CREATING');
    expect(reopened.size).toBe(7);
    await reopened.close();
  });

  it('indexes live task names case-insensitively (deleted tasks free their name)', async () => {
    const store = JobStore.open(temp.dir);
    await store.commit([job('a', { name: 'Orders' }), job('b', { name: 'billing' })]);
    expect(store.idsNamed('ORDERS')).toEqual(['a']);
    await store.commit([job('a', { name: 'Orders', status: 'DELETED' })]);
    expect(store.idsNamed('orders')).toEqual([]);
    await store.close();
  });

  it('refuses a data directory held by another live process', async () => {
    writeFileSync(join(temp.dir, 'LOCK'), String(process.ppid));
    expect(() => JobStore.open(temp.dir)).toThrow(/in use by process/);
    writeFileSync(join(temp.dir, 'LOCK'), '999999999'); // a dead owner: taken over
    const store = JobStore.open(temp.dir);
    await store.close();
  });
});

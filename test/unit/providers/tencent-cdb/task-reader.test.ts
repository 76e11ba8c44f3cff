import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CdbClient } from '../../../../controller/src/providers/tencent-cdb/client.ts';
import { CdbTaskReader } from '../../../../controller/src/providers/tencent-cdb/task-reader.ts';
import { startCdbSimulator, type CdbSimulator } from '../../../../simulators/tencent-cdb/simulator.ts';

/**
 * Observation cost. The list filters by one jobId at most, so a round reads page 1 of the
 * account's tasks and then the cheaper of: the remaining pages, or one call per tracked task not
 * on page 1. Never more than ceil(account tasks / 100) calls.
 */
const credentials = { secretId: 'AKIDreaderEXAMPLE', secretKey: 'reader-secret-key' };
const REGION = 'ap-guangzhou';

describe('CdbTaskReader against the CDB simulator', () => {
  let sim: CdbSimulator;
  let client: CdbClient;
  let reader: CdbTaskReader;
  const ids: string[] = [];

  beforeAll(async () => {
    sim = await startCdbSimulator({ credentials: { id: credentials.secretId, key: credentials.secretKey }, pace: 'fast', actionLimitPerSecond: 0 });
    client = new CdbClient({ endpoint: sim.url, region: REGION, credentials, actionRequestsPerSecond: 1000, sleep: async () => {} });
    reader = new CdbTaskReader(client);
    // 350 tasks in the account (made in-process: the create path is tested elsewhere).
    for (let i = 0; i < 350; i++) {
      const n = String(i).padStart(4, '0');
      ids.push(
        String(
          sim.tasks.create(REGION, {
            jobName: `task-${n}`,
            'srcInfo.0.cdbUInstanceId': `cdb-s${n}aaa`,
            'srcInfo.0.isOverrideRoot': '0',
            'dstInfo.0.cdbUInstanceId': `cdb-d${n}aaa`,
            'dstInfo.0.region': 'ap-shanghai',
          }),
        ),
      );
    }
  });
  afterAll(async () => {
    await client?.close();
    await sim?.close();
  });
  beforeEach(() => sim.calls.clear());

  const listCalls = () => sim.calls.get('GetCdbDataSyncTaskList') ?? 0;

  it('reads 250 tracked tasks by paging: ceil(350/100) = 4 calls', async () => {
    const tracked = ids.slice(100, 350);
    const answers = await reader.read(tracked);
    expect(listCalls()).toBe(4);
    expect(tracked.every((id) => 'snapshot' in answers.get(id)!)).toBe(true);
    expect(reader.callsPerRound(250)).toBe(4);
  });

  it('stops paging once every tracked task was seen', async () => {
    const answers = await reader.read(ids.slice(0, 250));
    expect(listCalls()).toBe(3);
    expect(answers.size).toBe(250);
  });

  it('reads 2 tasks beyond page 1 with page 1 plus one jobId query each: 3 calls', async () => {
    const tracked = [ids[10]!, ids[200]!, ids[300]!];
    const answers = await reader.read(tracked);
    expect(listCalls()).toBe(3);
    expect((answers.get(ids[300]!) as { snapshot: { jobName: string } }).snapshot.jobName).toBe('task-0300');
    expect(reader.callsPerRound(3)).toBe(4);
  });

  it('reports a task missing from a complete pass, or from its own query, as gone', async () => {
    const doomed = ids.pop()!;
    sim.tasks.remove(REGION, doomed);
    expect(await reader.read([doomed])).toEqual(new Map([[doomed, { gone: true }]]));
    expect(listCalls()).toBe(2);
    sim.calls.clear();
    const many = [...ids.slice(0, 200), doomed];
    const answers = await reader.read(many);
    expect(answers.get(doomed)).toEqual({ gone: true });
    expect(listCalls()).toBe(4);
  });

  it('lets a failing page fail the round (the poller keeps the last snapshots)', async () => {
    sim.faults.update({ errorRate: 1 });
    try {
      await expect(reader.read([ids[0]!])).rejects.toMatchObject({ kind: 'unavailable', code: '9013' });
    } finally {
      sim.faults.reset();
    }
  });
});

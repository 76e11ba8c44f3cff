import { describe, expect, it } from 'vitest';
import type { DescribeMigrateJobsRequest, MigrateJobInfo } from '../../../../controller/src/providers/tencent-dts-legacy/api-types.ts';
import { MigrateJobReader } from '../../../../controller/src/providers/tencent-dts-legacy/job-reader.ts';
import type { LegacySnapshot } from '../../../../controller/src/providers/tencent-dts-legacy/observation-mapping.ts';

function info(n: number, status = 8): MigrateJobInfo {
  return {
    JobId: `dts-${String(n).padStart(8, '0')}`,
    JobName: `rj-${n}`,
    MigrateOption: { RunMode: 1, MigrateType: 3, MigrateObject: 1 },
    SrcDatabaseType: 'mysql',
    SrcAccessType: 'extranet',
    SrcInfo: { Ip: '10.0.0.1', Port: 3306, User: 'repl', Password: '' },
    DstDatabaseType: 'mysql',
    DstAccessType: 'cdb',
    DstInfo: { InstanceId: 'cdb-1', Region: 'ap-guangzhou' },
    DatabaseInfo: [],
    CreateTime: '2024-01-01 00:00:00',
    StartTime: '0000-00-00 00:00:00',
    EndTime: '0000-00-00 00:00:00',
    Status: status,
    Detail: { StepAll: 3, StepNow: 3, Progress: '100', CurrentStepProgress: '100', MasterSlaveDistance: 0, SecondsBehindMaster: 2, StepInfo: [] },
    ErrorInfo: [],
  };
}

/** An account of `total` jobs answering DescribeMigrateJobs like the API (Offset/Limit, JobId, JobName). */
function fakeAccount(total: number) {
  let jobs = Array.from({ length: total }, (_, i) => info(i));
  const calls: { action: string; params: Record<string, unknown> }[] = [];
  const hooks: { beforePage?: (offset: number) => void } = {};
  const client = {
    async call<T>(action: string, params: object): Promise<T> {
      calls.push({ action, params: params as Record<string, unknown> });
      if (action === 'DescribeMigrateCheckJob') {
        return { Status: 'finished', ErrorCode: -1, ErrorMessage: 'table missing', Progress: '100', CheckFlag: 0 } as T;
      }
      const r = params as DescribeMigrateJobsRequest;
      hooks.beforePage?.(r.Offset ?? 0);
      const matching = jobs.filter((j) => (r.JobId === undefined || j.JobId === r.JobId) && (r.JobName === undefined || j.JobName.includes(r.JobName)));
      const offset = r.Offset ?? 0;
      return { TotalCount: matching.length, JobList: matching.slice(offset, offset + (r.Limit ?? 20)) } as T;
    },
  };
  return {
    client,
    calls,
    hooks,
    get jobs() {
      return jobs;
    },
    set jobs(value: MigrateJobInfo[]) {
      jobs = value;
    },
  };
}

const listingCalls = (calls: { action: string }[]) => calls.filter((c) => c.action === 'DescribeMigrateJobs').length;

describe('MigrateJobReader', () => {
  it('pages through 250 jobs in ceil(250/100) = 3 calls for 120 tracked jobs, and says so', async () => {
    const account = fakeAccount(250);
    const reader = new MigrateJobReader({ client: account.client, previous: () => undefined });
    const ids = account.jobs.slice(0, 120).map((j) => j.JobId);
    const answers = await reader.read(ids);
    expect(listingCalls(account.calls)).toBe(3);
    expect(account.calls.every((c) => (c.params.Limit as number) <= 100)).toBe(true);
    expect(account.calls.map((c) => c.params.Offset)).toEqual([0, 100, 200]);
    expect([...answers.values()].every((a) => 'snapshot' in a)).toBe(true);
    expect(answers.get(ids[5]!)).toEqual({ snapshot: expect.objectContaining({ status: 8, migrateType: 3, detail: expect.objectContaining({ SecondsBehindMaster: 2 }) }) });
    expect(reader.listingCalls(120)).toBe(3);
  });

  it('reports a tracked job missing from a complete listing as gone', async () => {
    const account = fakeAccount(150);
    const reader = new MigrateJobReader({ client: account.client, previous: () => undefined });
    const answers = await reader.read([account.jobs[3]!.JobId, 'dts-gone0000', account.jobs[140]!.JobId]);
    expect(answers.get('dts-gone0000')).toEqual({ gone: true });
    expect('snapshot' in answers.get(account.jobs[140]!.JobId)!).toBe(true);
  });

  it('proves nothing about missing jobs when TotalCount moves between pages (unreadable, not gone)', async () => {
    const account = fakeAccount(150);
    const reader = new MigrateJobReader({ client: account.client, previous: () => undefined });
    // A job on page 1 is deleted while page 2 is read: everything after it shifts one place left.
    account.hooks.beforePage = (offset) => {
      if (offset === 100) account.jobs = account.jobs.filter((j) => j.JobId !== account.jobs[10]!.JobId);
    };
    const shifted = account.jobs[100]!.JobId;
    const answers = await reader.read([shifted, account.jobs[5]!.JobId, account.jobs[120]!.JobId]);
    expect(answers.get(shifted)).toEqual({ unreadable: expect.stringContaining('changed while it was read') });
  });

  it('marks every job unreadable when a page fails, keeping what it did read', async () => {
    const account = fakeAccount(150);
    const reader = new MigrateJobReader({ client: account.client, previous: () => undefined });
    account.hooks.beforePage = (offset) => {
      if (offset === 100) throw new Error('tencent-dts-legacy DescribeMigrateJobs failed: InternalError');
    };
    const answers = await reader.read([account.jobs[1]!.JobId, account.jobs[130]!.JobId]);
    expect('snapshot' in answers.get(account.jobs[1]!.JobId)!).toBe(true);
    expect(answers.get(account.jobs[130]!.JobId)).toEqual({ unreadable: expect.stringContaining('InternalError') });
  });

  it('asks per JobId when that is fewer calls than the listing: min(tracked, ceil(total/100))', async () => {
    const account = fakeAccount(1000);
    const reader = new MigrateJobReader({ client: account.client, previous: () => undefined });
    // One job: one call, whatever the account size.
    const one = await reader.read([account.jobs[999]!.JobId]);
    expect(listingCalls(account.calls)).toBe(1);
    expect(account.calls[0]!.params.JobId).toBe(account.jobs[999]!.JobId);
    expect('snapshot' in one.get(account.jobs[999]!.JobId)!).toBe(true);
    // Twenty jobs while the account size is unknown: a listing (10 pages), which teaches the size.
    account.calls.length = 0;
    await reader.read(account.jobs.slice(0, 20).map((j) => j.JobId));
    expect(listingCalls(account.calls)).toBe(10);
    // Now twenty jobs cost 10 listing pages; eight cost 8 per-job calls.
    expect(reader.listingCalls(20)).toBe(10);
    expect(reader.listingCalls(8)).toBe(8);
    account.calls.length = 0;
    const eight = await reader.read([...account.jobs.slice(0, 7).map((j) => j.JobId), 'dts-gone0000']);
    expect(listingCalls(account.calls)).toBe(8);
    expect(account.calls.every((c) => typeof c.params.JobId === 'string')).toBe(true);
    expect(eight.get('dts-gone0000')).toEqual({ gone: true });
  });

  it('reads the check only while it runs (status 3) and once when it finished', async () => {
    const account = fakeAccount(3);
    account.jobs = [info(0, 3), info(1, 5), info(2, 7)];
    const previous = new Map<string, LegacySnapshot>();
    const reader = new MigrateJobReader({ client: account.client, previous: (id) => previous.get(id) });
    const ids = account.jobs.map((j) => j.JobId);
    const checks = () => account.calls.filter((c) => c.action === 'DescribeMigrateCheckJob').map((c) => c.params.JobId);

    let answers = await reader.read(ids);
    expect(checks()).toEqual([ids[0], ids[1]]);
    for (const [id, a] of answers) if ('snapshot' in a) previous.set(id, a.snapshot);
    expect(previous.get(ids[1]!)!.check).toMatchObject({ ErrorMessage: 'table missing' });

    account.calls.length = 0;
    answers = await reader.read(ids);
    // The running check again; the finished one is kept from the last round.
    expect(checks()).toEqual([ids[0]]);
    const failed = answers.get(ids[1]!)!;
    expect('snapshot' in failed && failed.snapshot.check?.ErrorMessage).toBe('table missing');
  });

  it('finds jobs by exact name only (the API filter may match loosely)', async () => {
    const account = fakeAccount(12);
    const reader = new MigrateJobReader({ client: account.client, previous: () => undefined });
    const found = await reader.findByName('rj-1');
    expect(found.map((j) => j.JobName)).toEqual(['rj-1']);
    expect(account.calls[0]!.params).toMatchObject({ JobName: 'rj-1' });
  });
});

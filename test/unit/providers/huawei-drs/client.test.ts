import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DrsClient, type DrsClientOptions } from '../../../../controller/src/providers/huawei-drs/client.ts';
import { ProviderHttpError, toReconcileError } from '../../../../controller/src/providers/http/errors.ts';
import type { RequestMetric } from '../../../../controller/src/providers/http/metrics.ts';
import type { CreateJobItem } from '../../../../controller/src/providers/huawei-drs/schemas.ts';
import { AK, PROJECT, SK, allSucceeded, signatureIsValid, startDrsServer, type DrsTestServer } from './drs-test-server.ts';

const DB_PASSWORD = 'Db-Password-Never-Logged-42!';
const BUSY = { error_code: 'DRS.M01504', error_msg: 'Another operation is being performed on the migration task or the migration task is abnormal. Try again later.' };

const ids = (n: number, prefix = 'job') => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);

function createItem(name: string): CreateJobItem {
  return {
    name,
    db_use_type: 'sync',
    engine_type: 'mysql',
    job_direction: 'up',
    customize_sutnet_id: '352ad828-3467-4f03-987a-c55a5a9dd417',
    net_type: 'eip',
    node_type: 'high',
    task_type: 'FULL_INCR_TRANS',
    bind_eip: true,
    source_endpoint: { db_type: 'mysql', ip: '203.0.113.10', db_port: 3306, db_user: 'repl', db_password: DB_PASSWORD },
    target_endpoint: { db_type: 'mysql', region: 'ap-southeast-1', inst_id: 'e05a3679efe241d8b5dee80b17c1a863in01', db_user: 'root', db_password: DB_PASSWORD },
  };
}

describe('DrsClient', () => {
  let server: DrsTestServer;
  let client: DrsClient;
  let sleeps: number[];
  let metrics: RequestMetric[];

  const makeClient = (overrides: Partial<DrsClientOptions> = {}) => {
    client = new DrsClient({
      endpoint: server.origin,
      projectId: PROJECT,
      auth: { kind: 'aksk', accessKey: AK, secretKey: SK },
      requestsPerSecond: 1000,
      timeoutMs: 5000,
      retry: { maxAttempts: 4, baseMs: 100, maxMs: 1000 },
      random: () => 0.5,
      sleep: async (ms) => void sleeps.push(ms),
      onRequest: (metric) => metrics.push(metric),
      ...overrides,
    });
    return client;
  };

  beforeEach(async () => {
    server = await startDrsServer();
    sleeps = [];
    metrics = [];
  });
  afterEach(async () => {
    await client?.close();
    await server.close();
  });

  it('closes idempotently', async () => {
    makeClient();
    await client.close();
    await client.close();
  });

  describe('requests as the server receives them', () => {
    it('signs every call with AK/SK over the exact bytes, with X-Project-Id and X-Sdk-Date', async () => {
      server.setRoutes({
        'batch-status': (body) => ({ status: 200, body: { results: body.jobs.map((id: string) => ({ id, status: 'CONFIGURATION' })), count: body.jobs.length } }),
        'batch-jobs': (body) => allSucceeded(body.jobs.map((job: { job_id: string }) => job.job_id), 202),
        'batch-limit-speed': (body) => allSucceeded(body.speed_limits.map((job: { job_id: string }) => job.job_id)),
      });
      makeClient();
      await client.getStatuses(['a', 'b']);
      await client.deleteJobs([{ job_id: 'a', delete_type: 'terminate' }]);
      await client.limitSpeeds([{ job_id: 'a', speed_limit: [{ begin: '16:00', end: '23:59', speed: '50' }] }]);

      const [status] = server.calls('batch-status');
      expect(status!.req.method).toBe('POST');
      expect(status!.req.url).toBe(`/v3/${PROJECT}/jobs/batch-status`);
      expect(status!.body).toEqual({ jobs: ['a', 'b'], page_req: { cur_page: 1, per_page: 2 } });
      expect(status!.req.headers['x-project-id']).toBe(PROJECT);
      expect(status!.req.headers['content-type']).toBe('application/json');
      expect(status!.req.headers['x-sdk-date']).toMatch(/^\d{8}T\d{6}Z$/);
      expect(status!.req.headers.authorization).toMatch(/^SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=[^,]*host;[^,]*x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/);

      const [del] = server.calls('batch-jobs');
      expect(del!.req.method).toBe('DELETE');
      expect(del!.body).toEqual({ jobs: [{ job_id: 'a', delete_type: 'terminate' }] });
      const [speed] = server.calls('batch-limit-speed');
      expect(speed!.req.method).toBe('PUT');
      expect(speed!.body).toEqual({ speed_limits: [{ job_id: 'a', speed_limit: [{ begin: '16:00', end: '23:59', speed: '50' }] }] });

      for (const req of server.requests) expect(signatureIsValid(server.origin, req)).toBe(true);
      expect(signatureIsValid(server.origin, { ...status!.req, body: '{"jobs":["x"]}' })).toBe(false);
    });

    it('uses each operation’s method and path', async () => {
      const ok = (body: { jobs: { job_id: string }[] }) => allSucceeded(body.jobs.map((job) => job.job_id));
      server.setRoutes({
        'batch-modification': ok,
        'batch-select-objects': (body) => ({ status: 202, body: { all_counts: 1, results: body.jobs.map((job: { job_id: string }) => ({ job_id: job.job_id, status: true })) } }),
        'batch-sync-policy': ok,
        'batch-precheck': (body) => ({ status: 200, body: { results: body.jobs.map((job: { job_id: string }) => ({ id: job.job_id, status: 'success', precheck_id: `pc-${job.job_id}` })) } }),
        'batch-starting': ok,
        'batch-retry-task': ok,
        'batch-pause-task': ok,
      });
      makeClient();
      expect(await client.modifyJobs([{ job_id: 'j', name: 'renamed' }])).toEqual([{ jobId: 'j', ok: true }]);
      expect(await client.selectObjects([{ job_id: 'j', selected: false, job: [] }])).toEqual([{ jobId: 'j', ok: true }]);
      expect(await client.setSyncPolicies([{ job_id: 'j', conflict_policy: 'overwrite' }])).toEqual([{ jobId: 'j', ok: true }]);
      expect(await client.startPrechecks([{ job_id: 'j', precheck_mode: 'forStartJob' }])).toEqual([{ jobId: 'j', ok: true, precheckId: 'pc-j' }]);
      expect(await client.startJobs([{ job_id: 'j', start_time: '' }])).toEqual([{ jobId: 'j', ok: true }]);
      expect(await client.retryJobs([{ job_id: 'j', is_sync_re_edit: true }])).toEqual([{ jobId: 'j', ok: true }]);
      expect(await client.pauseJobs([{ job_id: 'j', pause_mode: 'target' }])).toEqual([{ jobId: 'j', ok: true }]);
      expect(server.requests.map((req) => `${req.method} ${req.url.replace(`/v3/${PROJECT}/jobs/`, '')}`)).toEqual([
        'PUT batch-modification',
        'PUT batch-select-objects',
        'POST batch-sync-policy',
        'POST batch-precheck',
        'POST batch-starting',
        'POST batch-retry-task',
        'POST batch-pause-task',
      ]);
    });
  });

  describe('per-item results', () => {
    it('reports each created job, and a name clash as a per-item failure', async () => {
      server.setRoutes({
        'batch-creation': () => ({
          status: 202,
          body: {
            results: [
              { id: 'new-1', name: 'DRS-orders-a', status: 'CREATING', create_time: '1599188556112' },
              { name: 'DRS-orders-b', error_code: 'DRS.M00277', error_msg: 'The task name already exists.' },
            ],
            count: 2,
          },
        }),
      });
      makeClient();
      const outcomes = await client.createJobs([createItem('DRS-orders-a'), createItem('DRS-orders-b')]);
      expect(outcomes).toEqual([
        { name: 'DRS-orders-a', ok: true, id: 'new-1', status: 'CREATING', createTime: '1599188556112' },
        { name: 'DRS-orders-b', ok: false, code: 'DRS.M00277', message: 'The task name already exists.', retryable: false, gone: false },
      ]);
    });

    it('passes a connection test only on success:true, pairing source and target entries in order', async () => {
      server.setRoutes({
        'batch-connection': () => ({
          status: 200,
          body: {
            results: [
              { id: 'j1', status: 'success', success: true },
              { id: 'j1', status: 'failed', success: false, error_code: 'DRS.KE002', error_msg: 'The username or password is incorrect.' },
              { id: 'j2', status: 'failed', success: false },
            ],
            count: 3,
          },
        }),
      });
      makeClient();
      const base = { net_type: 'eip', db_type: 'mysql', ip: '203.0.113.10', db_port: 3306, db_user: 'repl', db_password: DB_PASSWORD } as const;
      const outcomes = await client.testConnections([
        { ...base, id: 'j1', end_point_type: 'so' },
        { ...base, id: 'j1', end_point_type: 'ta' },
        { ...base, id: 'j2', end_point_type: 'so' },
      ]);
      expect(outcomes[0]).toEqual({ jobId: 'j1', endPointType: 'so', ok: true });
      expect(outcomes[1]).toMatchObject({ jobId: 'j1', endPointType: 'ta', ok: false, code: 'DRS.KE002', retryable: true, gone: false });
      expect(outcomes[2]).toMatchObject({ jobId: 'j2', endPointType: 'so', ok: false, code: 'Failed' });
      expect(JSON.stringify(outcomes)).not.toContain(DB_PASSWORD);
    });

    it('matches password results by job and endpoint when they come back out of order', async () => {
      server.setRoutes({
        'batch-modify-pwd': () => ({
          status: 200,
          body: {
            results: [
              { id: 'j1', status: 'failed', end_point_type: 'ta', error_code: 'DRS.M00304', error_msg: 'This API cannot be called in the current task status.' },
              { id: 'j1', status: 'success', end_point_type: 'so' },
            ],
            count: 2,
          },
        }),
      });
      makeClient();
      const outcomes = await client.modifyPasswords([
        { job_id: 'j1', end_point_type: 'so', db_password: DB_PASSWORD },
        { job_id: 'j1', end_point_type: 'ta', db_password: DB_PASSWORD },
      ]);
      expect(outcomes).toEqual([
        { jobId: 'j1', endPointType: 'so', ok: true },
        { jobId: 'j1', endPointType: 'ta', ok: false, code: 'DRS.M00304', message: 'This API cannot be called in the current task status.', retryable: true, gone: false },
      ]);
    });

    it('refuses an item that breaks the reference schema before sending, and sends the rest', async () => {
      server.setRoutes({ 'batch-pause-task': (body) => allSucceeded(body.jobs.map((job: { job_id: string }) => job.job_id)) });
      makeClient();
      const outcomes = await client.pauseJobs([
        { job_id: 'good', pause_mode: 'target' },
        { job_id: 'bad', pause_mode: 'everything' as never },
      ]);
      expect(outcomes[0]).toEqual({ jobId: 'good', ok: true });
      expect(outcomes[1]).toMatchObject({ jobId: 'bad', ok: false, code: 'InvalidRequest', retryable: false, gone: false });
      expect((outcomes[1] as { message: string }).message).toContain('pause_mode');
      expect(server.calls('batch-pause-task')[0]!.body).toEqual({ jobs: [{ job_id: 'good', pause_mode: 'target' }] });
    });

    it('never puts request values in an invalid-item message', async () => {
      makeClient();
      const bad = { ...createItem('DRS-bad'), source_endpoint: { db_type: 'mysql', db_password: DB_PASSWORD, db_port: 99_999 } } as CreateJobItem;
      const [outcome] = await client.createJobs([bad]);
      expect(outcome).toMatchObject({ ok: false, code: 'InvalidRequest' });
      expect((outcome as { message: string }).message).toContain('source_endpoint.db_port');
      expect(JSON.stringify(outcome)).not.toContain(DB_PASSWORD);
      expect(server.requests).toHaveLength(0);
    });

    it('says an action item without a result has an unknown outcome (retryable), not that it failed', async () => {
      server.setRoutes({ 'batch-starting': () => allSucceeded(['a']) });
      makeClient();
      const outcomes = await client.startJobs([{ job_id: 'a' }, { job_id: 'b' }]);
      expect(outcomes[0]).toEqual({ jobId: 'a', ok: true });
      expect(outcomes[1]).toMatchObject({ jobId: 'b', ok: false, code: 'NoResult', retryable: true, gone: false });
    });
  });

  describe('busy, throttling, 5xx and timeouts', () => {
    it('sends items answered busy (DRS.M01504, HTTP 202 per item) again, alone, until they succeed', async () => {
      server.setRoutes({
        'batch-jobs': (body, _req, call) => ({
          status: 202,
          body: {
            results: body.jobs.map((job: { job_id: string }) => (job.job_id === 'b' && call < 3 ? { id: job.job_id, status: 'failed', ...BUSY } : { id: job.job_id, status: 'success' })),
            count: body.jobs.length,
          },
        }),
      });
      makeClient();
      const outcomes = await client.deleteJobs([
        { job_id: 'a', delete_type: 'terminate' },
        { job_id: 'b', delete_type: 'terminate' },
      ]);
      expect(outcomes).toEqual([
        { jobId: 'a', ok: true },
        { jobId: 'b', ok: true },
      ]);
      expect(server.calls('batch-jobs').map((call) => call.body.jobs.map((job: { job_id: string }) => job.job_id))).toEqual([['a', 'b'], ['b'], ['b']]);
      expect(sleeps).toEqual([50, 100]);
    });

    it('reports an item still busy after the last round as retryable, never terminal', async () => {
      server.setRoutes({ 'batch-retry-task': () => ({ status: 202, body: { results: [{ id: 'a', status: 'failed', ...BUSY }], count: 1 } }) });
      makeClient({ retry: { maxAttempts: 3, baseMs: 100, maxMs: 1000 } });
      const [outcome] = await client.retryJobs([{ job_id: 'a', is_sync_re_edit: true }]);
      expect(outcome).toMatchObject({ jobId: 'a', ok: false, code: 'DRS.M01504', retryable: true, gone: false });
      expect(server.calls('batch-retry-task')).toHaveLength(3);
    });

    it('retries a whole call answered busy, and counts it as busy', async () => {
      server.setRoutes({
        'batch-starting': (_body, _req, call) => (call === 1 ? { status: 202, body: BUSY } : allSucceeded(['a'], 202)),
      });
      makeClient();
      expect(await client.startJobs([{ job_id: 'a' }])).toEqual([{ jobId: 'a', ok: true }]);
      expect(metrics.map((m) => m.outcome)).toEqual(['busy', 'success']);
    });

    it('retries 5xx and 429, waiting at least the Retry-After', async () => {
      server.setRoutes({
        'batch-status': (body, _req, call) => {
          if (call === 1) return { status: 503, body: { error_code: 'DRS.M01501', error_msg: 'Service error.' } };
          if (call === 2) return { status: 429, body: { error_code: 'APIGW.0308', error_msg: 'The request is throttled.' }, headers: { 'retry-after': '2' } };
          return { status: 200, body: { results: body.jobs.map((id: string) => ({ id, status: 'INCRE_TRANSFER_STARTED' })), count: 1 } };
        },
      });
      makeClient({ retry: { maxAttempts: 4, baseMs: 100, maxMs: 5000 } });
      const [outcome] = await client.getStatuses(['a']);
      expect(outcome).toMatchObject({ jobId: 'a', ok: true, status: 'INCRE_TRANSFER_STARTED' });
      expect(sleeps).toEqual([50, 2000]);
      expect(metrics.map((m) => m.outcome)).toEqual(['error', 'throttled', 'success']);
    });

    it('throws a retryable error once 5xx outlasts the attempts', async () => {
      server.setRoutes({ 'batch-progress': () => ({ status: 502, body: '<html>bad gateway</html>' }) });
      makeClient();
      const error = (await client.getProgress(['a']).catch((e: unknown) => e)) as ProviderHttpError;
      expect(error).toBeInstanceOf(ProviderHttpError);
      expect(error).toMatchObject({ kind: 'unavailable', status: 502, retryable: true });
      expect(server.calls('batch-progress')).toHaveLength(4);
      expect(toReconcileError(error)).toMatchObject({ reason: 'ProviderUnavailable', terminal: false });
    });

    it('hands a long Retry-After back to the caller instead of waiting on it', async () => {
      server.setRoutes({ 'batch-status': () => ({ status: 429, body: { error_code: 'APIGW.0308', error_msg: 'throttled' }, headers: { 'retry-after': '120' } }) });
      makeClient();
      const error = (await client.getStatuses(['a']).catch((e: unknown) => e)) as ProviderHttpError;
      expect(error).toMatchObject({ kind: 'throttled', retryAfterMs: 120_000 });
      expect(toReconcileError(error)).toMatchObject({ reason: 'ProviderThrottled', terminal: false, retryAfterMs: 120_000 });
      expect(server.calls('batch-status')).toHaveLength(1);
    });

    it('retries a query that timed out', async () => {
      server.setRoutes({
        'batch-status': (body, _req, call) => (call === 1 ? { status: 200, hang: true } : { status: 200, body: { results: body.jobs.map((id: string) => ({ id, status: 'PAUSING' })) } }),
      });
      makeClient({ timeoutMs: 300 });
      const [outcome] = await client.getStatuses(['a']);
      expect(outcome).toMatchObject({ ok: true, status: 'PAUSING' });
      expect(metrics.map((m) => m.outcome)).toEqual(['timeout', 'success']);
    });

    it('never repeats a creation that timed out: it surfaces an unknown outcome for a lookup by name', async () => {
      server.setRoutes({ 'batch-creation': () => ({ status: 202, hang: true }) });
      makeClient({ timeoutMs: 300 });
      const error = (await client.createJobs([createItem('DRS-orders-a')]).catch((e: unknown) => e)) as ProviderHttpError;
      expect(error).toBeInstanceOf(ProviderHttpError);
      expect(error).toMatchObject({ kind: 'timeout', outcomeUnknown: true, retryable: true });
      expect(error.message).toMatch(/look the result up before repeating it/);
      expect(error.message).not.toContain(DB_PASSWORD);
      expect(server.calls('batch-creation')).toHaveLength(1);
    });

    it('never repeats a creation answered 5xx, but does repeat one that was throttled', async () => {
      server.setRoutes({ 'batch-creation': () => ({ status: 500, body: { error_code: 'DRS.M00004', error_msg: 'Service is abnormal.' } }) });
      makeClient();
      await expect(client.createJobs([createItem('DRS-orders-a')])).rejects.toMatchObject({ kind: 'unavailable', outcomeUnknown: true });
      expect(server.calls('batch-creation')).toHaveLength(1);

      server.setRoutes({
        'batch-creation': (_body, _req, call) =>
          call === 1
            ? { status: 429, body: { error_code: 'APIGW.0308', error_msg: 'throttled' } }
            : { status: 202, body: { results: [{ id: 'new-1', name: 'DRS-orders-a', status: 'CREATING' }], count: 1 } },
      });
      expect(await client.createJobs([createItem('DRS-orders-a')])).toMatchObject([{ ok: true, id: 'new-1' }]);
    });
  });

  describe('terminal failures', () => {
    it('turns a 400 into a terminal error with the provider’s message, without retrying', async () => {
      server.setRoutes({ 'batch-modification': () => ({ status: 400, body: { error_code: 'DRS.M00202', error_msg: 'The value of parameter node_type is invalid.' } }) });
      makeClient();
      const error = (await client.modifyJobs([{ job_id: 'a', node_type: 'high' }]).catch((e: unknown) => e)) as ProviderHttpError;
      expect(error).toMatchObject({ kind: 'invalid', status: 400, code: 'DRS.M00202', providerMessage: 'The value of parameter node_type is invalid.', retryable: false });
      expect(error.message).toContain('The value of parameter node_type is invalid.');
      expect(toReconcileError(error)).toMatchObject({ reason: 'ProviderRejected', terminal: true });
      expect(server.calls('batch-modification')).toHaveLength(1);
    });

    it('turns a refused signature into a terminal auth error', async () => {
      server.setRoutes({ 'batch-status': () => ({ status: 401, body: { error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information: verify aksk signature fail' } }) });
      makeClient();
      const error = (await client.getStatuses(['a']).catch((e: unknown) => e)) as ProviderHttpError;
      expect(error).toMatchObject({ kind: 'auth', status: 401 });
      expect(toReconcileError(error)).toMatchObject({ reason: 'ProviderAuthFailed', terminal: true });
      expect(error.message).not.toContain(SK);
      expect(server.calls('batch-status')).toHaveLength(1);
    });
  });

  describe('batches larger than 100', () => {
    it('splits 250 IDs into calls of 100, 100 and 50 and returns outcomes in input order', async () => {
      server.setRoutes({
        'batch-status': (body) => ({
          status: 200,
          // Reversed, to prove outcomes are matched by ID, not by position.
          body: { results: [...body.jobs].reverse().map((id: string) => ({ id, status: 'FULL_TRANSFER_STARTED' })), count: body.jobs.length },
        }),
      });
      makeClient();
      const jobIds = ids(250);
      const outcomes = await client.getStatuses(jobIds);
      expect(server.calls('batch-status').map((call) => call.body.jobs.length).sort()).toEqual([100, 100, 50].sort());
      expect(server.calls('batch-status').every((call) => call.body.page_req.per_page === call.body.jobs.length)).toBe(true);
      expect(outcomes.map((o) => o.jobId)).toEqual(jobIds);
      expect(outcomes.every((o) => o.ok)).toBe(true);
    });

    it('sends duplicate IDs once and fans the answer back out', async () => {
      server.setRoutes({ 'batch-status': (body) => ({ status: 200, body: { results: body.jobs.map((id: string) => ({ id, status: 'CONFIGURATION' })) } }) });
      makeClient();
      const outcomes = await client.getStatuses(['a', 'b', 'a']);
      expect(server.calls('batch-status')[0]!.body.jobs).toEqual(['a', 'b']);
      expect(outcomes.map((o) => o.jobId)).toEqual(['a', 'b', 'a']);
    });

    it('turns a chunk whose call failed into retryable item failures when other chunks succeeded', async () => {
      server.setRoutes({
        'batch-pause-task': (body) =>
          body.jobs.some((job: { job_id: string }) => job.job_id === 'job-0100')
            ? { status: 503, body: { error_code: 'DRS.M00004', error_msg: 'Service is abnormal. Check logs.' } }
            : allSucceeded(body.jobs.map((job: { job_id: string }) => job.job_id)),
      });
      makeClient({ retry: { maxAttempts: 2, baseMs: 100, maxMs: 1000 } });
      const outcomes = await client.pauseJobs(ids(150).map((job_id) => ({ job_id, pause_mode: 'all' as const })));
      expect(outcomes.slice(0, 100).every((o) => o.ok)).toBe(true);
      expect(outcomes.slice(100).every((o) => !o.ok && o.retryable && !o.gone && o.code === 'DRS.M00004')).toBe(true);
    });
  });

  describe('gone jobs', () => {
    it('treats DELETED and jobs left out of the answer as gone', async () => {
      server.setRoutes({ 'batch-status': () => ({ status: 200, body: { results: [{ id: 'a', status: 'DELETED' }, { id: 'b', status: 'RELEASE_RESOURCE_COMPLETE' }], count: 2 } }) });
      makeClient();
      const outcomes = await client.getStatuses(['a', 'b', 'c']);
      expect(outcomes[0]).toMatchObject({ jobId: 'a', ok: false, code: 'DELETED', gone: true, retryable: false });
      expect(outcomes[1]).toMatchObject({ jobId: 'b', ok: true, status: 'RELEASE_RESOURCE_COMPLETE' });
      expect(outcomes[2]).toMatchObject({ jobId: 'c', ok: false, code: 'MissingResult', gone: true });
    });

    it('reads batch-detail’s 400 for a gone job as gone, isolating it from the live ones', async () => {
      const goneIds = new Set(['job-0003', 'job-0006']);
      server.setRoutes({
        'batch-detail': (body) => {
          const gone = (body.jobs as string[]).find((id) => goneIds.has(id));
          if (gone) {
            const code = gone === 'job-0003' ? 'DRS.M00289' : 'DRS.M05004';
            return { status: 400, body: { results: [{ error_code: code, error_message: 'Missing query result' }], count: 1 } };
          }
          return { status: 200, body: { results: body.jobs.map((id: string) => ({ id, name: `name-${id}`, status: 'INCRE_TRANSFER_STARTED' })), count: body.jobs.length } };
        },
      });
      makeClient();
      const jobIds = ids(8);
      const outcomes = await client.getDetails(jobIds);
      expect(outcomes.map((o) => (o.ok ? 'ok' : `${o.code}${o.gone ? ' gone' : ''}`))).toEqual([
        'ok',
        'ok',
        'ok',
        'DRS.M00289 gone',
        'ok',
        'ok',
        'DRS.M05004 gone',
        'ok',
      ]);
      expect(outcomes[0]).toMatchObject({ ok: true, detail: { name: 'name-job-0000', status: 'INCRE_TRANSFER_STARTED' } });
    });

    it('settles gone jobs named in a 400 answer at once and asks again for the rest', async () => {
      server.setRoutes({
        'batch-detail': (body) =>
          (body.jobs as string[]).includes('x')
            ? { status: 400, body: { results: [{ id: 'x', error_code: 'DRS.M00289', error_message: 'Missing query result: x' }] } }
            : { status: 200, body: { results: body.jobs.map((id: string) => ({ id, status: 'CONFIGURATION' })) } },
      });
      makeClient();
      const outcomes = await client.getDetails(['a', 'x', 'b']);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
      expect(outcomes[1]).toMatchObject({ gone: true, code: 'DRS.M00289' });
      expect(server.calls('batch-detail').map((call) => call.body.jobs)).toEqual([['a', 'x', 'b'], ['a', 'b']]);
    });

    it('reports a gone job in a delete as gone (the end state the caller wanted)', async () => {
      server.setRoutes({ 'batch-jobs': () => ({ status: 202, body: { results: [{ id: 'a', status: 'failed', error_code: 'DRS.M05004', error_msg: 'The task has been deleted or the resource has been released.' }] } }) });
      makeClient();
      const [outcome] = await client.deleteJobs([{ job_id: 'a', delete_type: 'delete' }]);
      expect(outcome).toMatchObject({ ok: false, gone: true, retryable: false, code: 'DRS.M05004' });
    });
  });

  describe('pre-check results, progress and the job list', () => {
    it('reads pre-check results keyed by precheck_id and progress keyed by job_id', async () => {
      server.setRoutes({
        'batch-precheck-result': () => ({
          status: 200,
          body: { results: [{ precheck_id: 'j1', result: false, process: '100%', total_passed_rate: '90%', precheck_result: [{ item: 'srcDbConnection', result: 'FAILED', failed_reason: 'timeout', group: 'network' }] }] },
        }),
        'batch-progress': () => ({
          status: 200,
          body: { results: [{ job_id: 'j1', progress: '94', incre_trans_delay: '3', progress_map: { data: { completed: '94%', remaining_time: null } } }] },
        }),
      });
      makeClient();
      const [precheck] = await client.getPrecheckResults(['j1']);
      expect(precheck).toMatchObject({ jobId: 'j1', ok: true, result: { result: false, total_passed_rate: '90%', precheck_result: [{ result: 'FAILED' }] } });
      const [progress] = await client.getProgress(['j1']);
      expect(progress).toMatchObject({ jobId: 'j1', ok: true, progress: { progress: '94', incre_trans_delay: '3' } });
    });

    it('finds jobs by exact name through the list API', async () => {
      server.setRoutes({
        jobs: (body) => ({
          status: 200,
          body: {
            jobs: [
              { id: 'a', name: 'drs-orders', status: 'CONFIGURATION' },
              { id: 'b', name: 'drs-orders-2', status: 'CONFIGURATION' },
            ],
            total_record: 2,
            echo: body,
          },
        }),
      });
      makeClient();
      const found = await client.findJobsByName('drs-orders', 'sync', 'postgresql');
      expect(found.map((job) => job.id)).toEqual(['a']);
      // engine_type defaults to mysql on the server: a PostgreSQL job is found only when it is sent.
      expect(server.calls('jobs')[0]!.body).toEqual({ cur_page: 1, per_page: 100, db_use_type: 'sync', engine_type: 'postgresql', name: 'drs-orders' });
      expect(server.calls('jobs')[0]!.req.url).toBe(`/v3/${PROJECT}/jobs`);
    });
  });

  describe('token authentication', () => {
    const IAM_PASSWORD = 'Iam-Password-Never-Logged-7';
    let now: number;
    let iamTokens: number;

    const tokenClient = () =>
      makeClient({
        auth: { kind: 'token', iamEndpoint: `${server.origin}/iam`, username: 'ops', password: IAM_PASSWORD, domainName: 'acme', projectName: 'ap-southeast-1' },
        clock: { now: () => now, setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
      });

    const tokensRoute = () => {
      iamTokens += 1;
      const token = `token-${iamTokens}`;
      return { status: 201, headers: { 'x-subject-token': token }, body: { token: { expires_at: new Date(now + 24 * 3_600_000).toISOString(), methods: ['password'] } } };
    };

    beforeEach(() => {
      now = Date.parse('2024-01-01T00:00:00Z');
      iamTokens = 0;
    });

    it('gets one token for concurrent callers, caches it, and refreshes it 5 minutes before expiry', async () => {
      server.setRoutes({
        tokens: tokensRoute,
        'batch-status': (body) => ({ status: 200, body: { results: body.jobs.map((id: string) => ({ id, status: 'CONFIGURATION' })) } }),
      });
      tokenClient();
      await Promise.all([client.getStatuses(['a']), client.getStatuses(['b']), client.getStatuses(['c'])]);
      await client.getStatuses(['d']);
      expect(server.calls('tokens')).toHaveLength(1);
      const [iam] = server.calls('tokens');
      expect(iam!.req.url).toBe('/iam/v3/auth/tokens');
      expect(iam!.body).toEqual({
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'ops', password: IAM_PASSWORD, domain: { name: 'acme' } } } },
          scope: { project: { name: 'ap-southeast-1' } },
        },
      });
      expect(iam!.req.headers['x-auth-token']).toBeUndefined();
      expect(server.calls('batch-status').map((call) => call.req.headers['x-auth-token'])).toEqual(['token-1', 'token-1', 'token-1', 'token-1']);

      now += 24 * 3_600_000 - 4 * 60_000; // inside the last 5 minutes
      await client.getStatuses(['e']);
      expect(server.calls('tokens')).toHaveLength(2);
      expect(server.calls('batch-status').at(-1)!.req.headers['x-auth-token']).toBe('token-2');
    });

    it('refreshes the token once after a 401, then gives up with a terminal auth error', async () => {
      server.setRoutes({
        tokens: tokensRoute,
        'batch-status': (body, req) =>
          req.headers['x-auth-token'] === 'token-1'
            ? { status: 401, body: { error_code: 'DRS.M00100', error_msg: 'Invalid token.' } }
            : { status: 200, body: { results: body.jobs.map((id: string) => ({ id, status: 'CONFIGURATION' })) } },
      });
      tokenClient();
      expect(await client.getStatuses(['a'])).toMatchObject([{ ok: true }]);
      expect(server.calls('tokens')).toHaveLength(2);

      server.setRoutes({ tokens: tokensRoute, 'batch-status': () => ({ status: 401, body: { error_code: 'DRS.M00100', error_msg: 'Invalid token.' } }) });
      const error = (await client.getStatuses(['a']).catch((e: unknown) => e)) as ProviderHttpError;
      expect(error).toMatchObject({ kind: 'auth', code: 'DRS.M00100' });
      expect(toReconcileError(error).terminal).toBe(true);
      // Two calls in the first half (refused, then refreshed), two now (refused, refreshed, refused again: no third try).
      expect(server.calls('batch-status')).toHaveLength(4);
      expect(server.calls('tokens')).toHaveLength(3);
    });

    it('reports refused IAM credentials as a terminal auth error without the password', async () => {
      server.setRoutes({ tokens: () => ({ status: 401, body: { error: { code: 401, message: 'The username or password is wrong.', title: 'Unauthorized' } } }) });
      tokenClient();
      const error = (await client.getStatuses(['a']).catch((e: unknown) => e)) as ProviderHttpError;
      expect(error).toMatchObject({ kind: 'auth', operation: 'iam-token', providerMessage: 'The username or password is wrong.' });
      expect(error.message).not.toContain(IAM_PASSWORD);
      expect(JSON.stringify(error)).not.toContain(IAM_PASSWORD);
      expect(server.calls('batch-status')).toHaveLength(0);
    });
  });

  it('keeps secrets out of every error message', async () => {
    server.setRoutes({
      'batch-creation': () => ({ status: 400, body: { error_code: 'DRS.M00202', error_msg: 'The value of parameter net_type is invalid.' } }),
      'batch-modify-pwd': () => ({ status: 500, body: { error_code: 'DRS.M00004', error_msg: 'Service is abnormal.' } }),
    });
    makeClient({ auth: { kind: 'aksk', accessKey: AK, secretKey: SK, securityToken: 'sts-token-secret' } });
    const errors = [
      await client.createJobs([createItem('DRS-orders-a')]).catch((e: unknown) => e),
      await client.modifyPasswords([{ job_id: 'a', end_point_type: 'so', db_password: DB_PASSWORD }]).catch((e: unknown) => e),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(ProviderHttpError);
      const text = `${(error as Error).message} ${JSON.stringify(error)} ${String((error as Error).stack)}`;
      for (const secret of [DB_PASSWORD, SK, 'sts-token-secret']) expect(text).not.toContain(secret);
    }
    expect(server.calls('batch-modify-pwd')[0]!.req.headers['x-security-token']).toBe('sts-token-secret');
  });

  it('validates its configuration', () => {
    expect(() => new DrsClient({ endpoint: 'drs.example.com', projectId: PROJECT, auth: { kind: 'aksk', accessKey: AK, secretKey: SK } })).toThrow(/endpoint must be an http/);
    expect(() => new DrsClient({ endpoint: 'https://drs.example.com', projectId: '', auth: { kind: 'aksk', accessKey: AK, secretKey: SK } })).toThrow(/projectId/);
  });
});

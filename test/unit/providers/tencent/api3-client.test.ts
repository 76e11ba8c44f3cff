import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderHttpError } from '../../../../controller/src/providers/http/errors.ts';
import { TencentApiClient } from '../../../../controller/src/providers/tencent/api3-client.ts';
import { kindForTencentCode } from '../../../../controller/src/providers/tencent/api3-errors.ts';
import { parseTc3Authorization, tc3Signature } from '../../../../controller/src/providers/tencent/tc3-signer.ts';
import { sendJson, startLocalServer, type LocalServer } from '../local-server.ts';

const credentials = { secretId: 'AKID-test', secretKey: 'tencent-Secret-Key-1' };

describe('TencentApiClient against a local API 3.0 endpoint', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer();
  });
  afterAll(() => server.close());

  const client = (extra: Partial<ConstructorParameters<typeof TencentApiClient>[0]> = {}) =>
    new TencentApiClient({ provider: 'tencent-dts', endpoint: server.origin, service: 'dts', version: '2021-12-06', region: 'ap-guangzhou', credentials, sleep: async () => {}, ...extra });

  it('signs with TC3 (verifiable server-side) and returns Response', async () => {
    server.handle((req, res) => {
      const auth = parseTc3Authorization(req.headers.authorization ?? '');
      const expected = tc3Signature(
        { host: req.headers.host!, body: req.body, contentType: req.headers['content-type'] },
        credentials.secretKey,
        'dts',
        Number(req.headers['x-tc-timestamp']),
      );
      if (!auth || auth.signature !== expected) return sendJson(res, 200, { Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'bad signature' }, RequestId: 'r' } });
      sendJson(res, 200, { Response: { TotalCount: 1, JobList: [{ JobId: 'sync-1', Status: 'Running' }], RequestId: 'r1' } });
    });
    const answer = await client().call<{ TotalCount: number }>('DescribeSyncJobs', { JobIds: ['sync-1'] });
    expect(answer.TotalCount).toBe(1);
    const sent = server.requests.at(-1)!;
    expect(sent.headers).toMatchObject({ 'x-tc-action': 'DescribeSyncJobs', 'x-tc-version': '2021-12-06', 'x-tc-region': 'ap-guangzhou' });
  });

  it('retries RequestLimitExceeded and gives the answer', async () => {
    let calls = 0;
    server.handle((_req, res) => {
      calls++;
      if (calls < 3) return sendJson(res, 200, { Response: { Error: { Code: 'RequestLimitExceeded', Message: 'slow down' }, RequestId: 'r' } });
      sendJson(res, 200, { Response: { RequestId: 'ok' } });
    });
    await expect(client().call('PauseSyncJob', { JobId: 'sync-1' })).resolves.toMatchObject({ RequestId: 'ok' });
    expect(calls).toBe(3);
  });

  it('reports errors answered as HTTP 200 by their code in the request metric, not as success', async () => {
    let calls = 0;
    server.handle((_req, res) => {
      calls++;
      if (calls === 1) return sendJson(res, 200, { Response: { Error: { Code: 'RequestLimitExceeded', Message: 'slow down' }, RequestId: 'r' } });
      if (calls === 2) return sendJson(res, 200, { Response: { RequestId: 'ok' } });
      sendJson(res, 200, { Response: { Error: { Code: 'ResourceNotFound.JobNotExist', Message: 'gone' }, RequestId: 'r' } });
    });
    const outcomes: string[] = [];
    const c = client({ onRequest: (r) => outcomes.push(r.outcome) });
    await c.call('PauseSyncJob', { JobId: 'sync-1' });
    await c.call('PauseSyncJob', { JobId: 'sync-1' }).catch(() => undefined);
    expect(outcomes).toEqual(['throttled', 'success', 'error']);
  });

  it('turns a refusal into a terminal-kind error with the provider message, without retrying', async () => {
    let calls = 0;
    server.handle((_req, res) => {
      calls++;
      sendJson(res, 200, { Response: { Error: { Code: 'InvalidParameterValue', Message: 'SrcRegion ap-nowhere is not supported' }, RequestId: 'r' } });
    });
    const error = (await client().call('CreateSyncJob', { SrcRegion: 'ap-nowhere' }).catch((e: unknown) => e)) as ProviderHttpError;
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(error.kind).toBe('invalid');
    expect(error.message).toContain('SrcRegion ap-nowhere is not supported');
    expect(error.message).not.toContain(credentials.secretKey);
    expect(calls).toBe(1);
  });

  it('never repeats a Create* whose outcome is unknown (timeout), but repeats an idempotent call', async () => {
    let calls = 0;
    server.handle(async (_req, res) => {
      calls++;
      await new Promise((r) => setTimeout(r, 300));
      sendJson(res, 200, { Response: { RequestId: 'late' } });
    });
    const create = (await client({ timeoutMs: 100 }).call('CreateSyncJob', {}).catch((e: unknown) => e)) as ProviderHttpError;
    expect(create.kind).toBe('timeout');
    expect(calls).toBe(1);
    calls = 0;
    await client({ timeoutMs: 100, retry: { maxAttempts: 2 } }).call('DescribeSyncJobs', {}).catch(() => undefined);
    expect(calls).toBe(2);
  });
});

describe('kindForTencentCode', () => {
  it.each([
    ['RequestLimitExceeded.UinLimitExceeded', 'throttled'],
    ['InternalError.UnknownError', 'unavailable'],
    ['AuthFailure.SecretIdNotFound', 'auth'],
    ['ResourceNotFound.JobNotExist', 'notFound'],
    ['FailedOperation.StatusInConflict', 'conflict'],
    ['OperationDenied.JobOperationDeniedError', 'conflict'],
    ['LimitExceeded.MaxUnusedJobs', 'invalid'],
    ['InvalidParameter', 'invalid'],
  ])('%s → %s', (code, kind) => expect(kindForTencentCode(code)).toBe(kind));
});

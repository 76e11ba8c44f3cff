import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import signModule from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js';
import { ProviderHttpError } from '../../../../controller/src/providers/http/errors.ts';
import { TencentV2Client, buildV2Request, kindForV2Code, v2ErrorCode } from '../../../../controller/src/providers/tencent/v2-client.ts';
import { v2Signature, v2StringToSign } from '../../../../controller/src/providers/tencent/v2-signer.ts';
import { sendJson, startLocalServer, type LocalServer, type ReceivedRequest } from '../local-server.ts';

type SdkSign = { sign(k: string, s: string, m: string): string };
const Sign = ((signModule as unknown as { default?: SdkSign }).default ?? signModule) as SdkSign;

const credentials = { secretId: 'AKID-v2-test', secretKey: 'v2-Secret-Key-1' };

describe('buildV2Request', () => {
  it('reproduces the published API v2 test vector (string to sign and signature) through the request it builds', () => {
    const built = buildV2Request({
      endpoint: 'https://cvm.api.qcloud.com',
      action: 'DescribeInstances',
      region: 'ap-guangzhou',
      params: { 'InstanceIds.0': 'ins-09dx96dg' },
      credentials: { secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3Cozk1qA' },
      signatureMethod: 'HmacSHA256',
      timestamp: 1465185768,
      nonce: 11886,
    });
    expect(built.stringToSign).toBe(
      'GETcvm.api.qcloud.com/v2/index.php?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Nonce=11886&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA&SignatureMethod=HmacSHA256&Timestamp=1465185768',
    );
    expect(built.params.Signature).toBe('0EEm/HtGRr/VJXTAD9tYMth1Bzm3lLHz5RCDv1GdM8s=');
    const url = new URL(built.url);
    expect(`${url.origin}${url.pathname}`).toBe('https://cvm.api.qcloud.com/v2/index.php');
    expect(url.searchParams.get('Signature')).toBe('0EEm/HtGRr/VJXTAD9tYMth1Bzm3lLHz5RCDv1GdM8s=');
    expect(url.search).toContain('Signature=0EEm%2FHtGRr%2FVJXTAD9tYMth1Bzm3lLHz5RCDv1GdM8s%3D');
  });

  it('signs HmacSHA1 as the official SDK does, keeps an explicit path, and adds Token for temporary credentials', () => {
    const built = buildV2Request({
      endpoint: 'http://127.0.0.1:8080/custom/v2/index.php',
      action: 'GetCdbDataSyncTaskList',
      region: 'ap-shanghai',
      params: { offset: 0, limit: 100, jobName: 'rj-名前 &x=1' },
      credentials: { ...credentials, token: 'sts-token' },
      signatureMethod: 'HmacSHA1',
      timestamp: 1_763_900_000,
      nonce: 42,
    });
    expect(built.url.startsWith('http://127.0.0.1:8080/custom/v2/index.php?')).toBe(true);
    expect(built.stringToSign.startsWith('GET127.0.0.1:8080/custom/v2/index.php?')).toBe(true);
    expect(built.params).toMatchObject({ Token: 'sts-token', SignatureMethod: 'HmacSHA1', jobName: 'rj-名前 &x=1', offset: '0' });
    expect(built.params.Signature).toBe(Sign.sign(credentials.secretKey, built.stringToSign, 'HmacSHA1'));
    // The query decodes to exactly the signed parameters.
    expect(Object.fromEntries(new URL(built.url).searchParams)).toEqual(built.params);
  });
});

describe('v2 error codes', () => {
  it.each([
    [{ code: 0 }, 0],
    [{ code: '0' }, 0],
    [{ code: 30016, message: 'not allowed' }, 30016],
    [{ code: 4000, message: '(30009) Synchronization task does not exist' }, 30009],
    [{ code: 'x' }, undefined],
  ])('%j → %s', (envelope, code) => expect(v2ErrorCode(envelope)).toBe(code));

  it.each([
    [4100, 'auth'],
    [4200, 'auth'],
    [4400, 'throttled'],
    [4500, 'unavailable'],
    [5000, 'notFound'],
    [6000, 'unavailable'],
    [4000, 'invalid'],
    [12345, 'invalid'],
  ])('common code %d → %s', (code, kind) => expect(kindForV2Code(code)).toBe(kind));
});

describe('TencentV2Client against a local v2 endpoint', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer();
  });
  afterAll(() => server.close());

  const client = (extra: Partial<ConstructorParameters<typeof TencentV2Client>[0]> = {}) =>
    new TencentV2Client({
      provider: 'tencent-cdb',
      endpoint: server.origin,
      region: 'ap-guangzhou',
      credentials,
      kindForCode: (code) => (code === 30016 ? 'conflict' : code === 9013 ? 'unavailable' : undefined),
      sleep: async () => {},
      ...extra,
    });

  /** Recomputes the signature from what arrived, as the real endpoint does. */
  const signedCorrectly = (req: ReceivedRequest) => {
    const url = new URL(req.url, 'http://x');
    const params = Object.fromEntries(url.searchParams);
    const expected = v2Signature(credentials.secretKey, v2StringToSign('GET', req.headers.host!, url.pathname, params), params.SignatureMethod as 'HmacSHA256');
    return params.Signature === expected;
  };

  it('sends a signed GET to /v2/index.php and returns data, accepting code "0"', async () => {
    server.handle((req, res) => {
      if (!signedCorrectly(req)) return sendJson(res, 200, { code: 4100, message: 'signature', codeDesc: 'AuthFailure' });
      sendJson(res, 200, { code: '0', message: '', codeDesc: 'Success', data: { jobId: 206 } });
    });
    await expect(client().call('CreateCdbDataSyncTask', { jobName: 'x', 'srcInfo.0.cdbUInstanceId': 'cdb-c1nl9rpv' })).resolves.toEqual({ jobId: 206 });
    const sent = new URL(server.requests.at(-1)!.url, 'http://x');
    expect(server.requests.at(-1)!.method).toBe('GET');
    expect(sent.pathname).toBe('/v2/index.php');
    expect(Object.fromEntries(sent.searchParams)).toMatchObject({
      Action: 'CreateCdbDataSyncTask',
      Region: 'ap-guangzhou',
      SecretId: credentials.secretId,
      SignatureMethod: 'HmacSHA256',
      jobName: 'x',
      'srcInfo.0.cdbUInstanceId': 'cdb-c1nl9rpv',
    });
    expect(server.requests.at(-1)!.url).not.toContain(credentials.secretKey);
  });

  it('repeats a read after 4400 (request quota) and 9013 (internal error)', async () => {
    let calls = 0;
    server.handle((_req, res) => {
      calls++;
      if (calls === 1) return sendJson(res, 200, { code: 4400, message: 'quota', codeDesc: 'RequestLimitExceeded' });
      if (calls === 2) return sendJson(res, 200, { code: 9013, message: 'System internal error', codeDesc: 'InternalError' });
      sendJson(res, 200, { code: 0, data: { totalCount: 0, jobList: [] } });
    });
    await expect(client().call('GetCdbDataSyncTaskList', {})).resolves.toEqual({ totalCount: 0, jobList: [] });
    expect(calls).toBe(3);
  });

  it('maps a wrong-status answer to conflict and does not repeat it', async () => {
    let calls = 0;
    server.handle((_req, res) => {
      calls++;
      sendJson(res, 200, { code: 30016, message: 'The operation is not allowed in the current synchronization status', codeDesc: 'InvalidParameter' });
    });
    const error = (await client().call('StartCdbDataSyncTask', { jobId: 1 }).catch((e: unknown) => e)) as ProviderHttpError;
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(error).toMatchObject({ kind: 'conflict', code: '30016' });
    expect(error.message).toContain('not allowed in the current synchronization status');
    expect(calls).toBe(1);
  });

  it('repeats a create only after a throttling answer, never after an internal error or a timeout', async () => {
    let calls = 0;
    server.handle((_req, res) => {
      calls++;
      if (calls === 1) return sendJson(res, 200, { code: 4400, message: 'quota' });
      sendJson(res, 200, { code: 9013, message: 'System internal error', codeDesc: 'InternalError' });
    });
    const internal = (await client().call('CreateCdbDataSyncTask', {}).catch((e: unknown) => e)) as ProviderHttpError;
    expect(internal.kind).toBe('unavailable');
    expect(calls).toBe(2);

    calls = 0;
    server.handle(async (_req, res) => {
      calls++;
      await new Promise((r) => setTimeout(r, 300));
      sendJson(res, 200, { code: 0, data: { jobId: 1 } });
    });
    const timeout = (await client({ timeoutMs: 100 }).call('CreateCdbDataSyncTask', {}).catch((e: unknown) => e)) as ProviderHttpError;
    expect(timeout).toMatchObject({ kind: 'timeout', outcomeUnknown: true });
    expect(calls).toBe(1);
  });

  it('treats an answer without a code as unavailable, and auth codes as auth', async () => {
    server.handle((_req, res) => sendJson(res, 200, { hello: 'world' }));
    await expect(client({ retry: { maxAttempts: 1 } }).call('GetCdbDataSyncTaskList')).rejects.toMatchObject({ kind: 'unavailable' });
    server.handle((_req, res) => sendJson(res, 200, { code: 4100, message: 'signature failure', codeDesc: 'AuthFailure' }));
    const auth = (await client().call('GetCdbDataSyncTaskList').catch((e: unknown) => e)) as ProviderHttpError;
    expect(auth).toMatchObject({ kind: 'auth', retryable: false });
  });

  it('signs with the configured SignatureMethod', async () => {
    server.handle((req, res) => sendJson(res, 200, signedCorrectly(req) ? { code: 0, data: [] } : { code: 4100, message: 'bad' }));
    await expect(client({ signatureMethod: 'HmacSHA1' }).call('CheckCdbDataSyncTask', { jobId: 1 })).resolves.toEqual([]);
    expect(new URL(server.requests.at(-1)!.url, 'http://x').searchParams.get('SignatureMethod')).toBe('HmacSHA1');
  });
});

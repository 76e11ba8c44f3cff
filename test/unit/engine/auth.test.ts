import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engine/src/clock.ts';
import { CREDENTIALS, PROJECT_ID, startTestEngine, type TestEngine } from './helpers.ts';

interface RawAnswer {
  status: number;
  body: any;
}

/** Sends exactly these headers and body (node:http lets us set Host ourselves). */
function send(url: string, method: string, headers: Record<string, string>, body: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Headers from the official Huawei Cloud SDK signer (it signs JSON.stringify(data) with every header given). */
function sdkSignedHeaders(url: string, method: string, data: unknown, credentials = CREDENTIALS): Record<string, string> {
  const credential = { getAk: () => credentials.accessKey, getSk: () => credentials.secretKey };
  return AKSKSigner.sign(
    { endpoint: url, method, headers: { 'Content-Type': 'application/json', 'X-Project-Id': PROJECT_ID }, data, queryParams: {} } as never,
    credential as never,
  ) as Record<string, string>;
}

describe('engine: AK/SK authentication against the official SDK signer', () => {
  let t: TestEngine;
  let url: string;
  const data = { jobs: ['140b5236-88ad-43c8-811c-1268453jb101'], page_req: { cur_page: 1, per_page: 10 } };

  beforeAll(async () => {
    // The SDK stamps X-Sdk-Date from the real clock; start the manual clock there.
    t = await startTestEngine({ clock: new ManualClock(Date.now()), token: 'iam-token-for-tests' });
    url = `${t.engine.url}/v3/${PROJECT_ID}/jobs/batch-status`;
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts a request signed by @huaweicloud/huaweicloud-sdk-core with the configured AK/SK', async () => {
    const headers = sdkSignedHeaders(url, 'POST', data);
    expect(headers.Authorization).toMatch(/^SDK-HMAC-SHA256 Access=TESTAK0123456789, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=/);
    const answer = await send(url, 'POST', headers, JSON.stringify(data));
    expect(answer.status).toBe(200);
    expect(answer.body.results[0]).toMatchObject({ error_code: 'DRS.M00289' });
  });

  it('refuses a request whose body changed after signing (401, DRS-style error body)', async () => {
    const headers = sdkSignedHeaders(url, 'POST', data);
    const answer = await send(url, 'POST', headers, JSON.stringify({ ...data, jobs: ['another-job'] }));
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information: verify aksk signature fail' });
  });

  it('refuses a request whose signed header changed after signing', async () => {
    const headers = sdkSignedHeaders(url, 'POST', data);
    const answer = await send(url, 'POST', { ...headers, 'X-Project-Id': 'someone-elses-project' }, JSON.stringify(data));
    expect(answer.status).toBe(401);
    const path = await send(url.replace('batch-status', 'batch-progress'), 'POST', headers, JSON.stringify(data));
    expect(path.status).toBe(401);
  });

  it('refuses the wrong secret key, an unknown access key, a missing signature and a stale X-Sdk-Date', async () => {
    const wrongSecret = sdkSignedHeaders(url, 'POST', data, { ...CREDENTIALS, secretKey: 'not-the-secret' });
    expect((await send(url, 'POST', wrongSecret, JSON.stringify(data))).status).toBe(401);
    const wrongAk = sdkSignedHeaders(url, 'POST', data, { ...CREDENTIALS, accessKey: 'SOMEONEELSE' });
    const unknown = await send(url, 'POST', wrongAk, JSON.stringify(data));
    expect(unknown.status).toBe(401);
    expect(unknown.body.error_msg).toContain('unknown access key');
    const unsigned = await send(url, 'POST', { 'Content-Type': 'application/json' }, JSON.stringify(data));
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error_msg).toContain('missing Authorization');

    const headers = sdkSignedHeaders(url, 'POST', data);
    t.clock.advance(16 * 60 * 1000);
    const stale = await send(url, 'POST', headers, JSON.stringify(data));
    expect(stale.status).toBe(401);
    expect(stale.body.error_msg).toContain('15 minutes');
    t.clock.advance(-16 * 60 * 1000);
  });

  it('accepts the configured X-Auth-Token and refuses another one (403 DRS.M00100)', async () => {
    const body = JSON.stringify(data);
    const good = await send(url, 'POST', { 'Content-Type': 'application/json', 'X-Auth-Token': 'iam-token-for-tests' }, body);
    expect(good.status).toBe(200);
    const bad = await send(url, 'POST', { 'Content-Type': 'application/json', 'X-Auth-Token': 'forged' }, body);
    expect(bad.status).toBe(403);
    expect(bad.body).toEqual({ error_code: 'DRS.M00100', error_msg: 'Invalid token.' });
  });

  it('a signed X-Project-Id naming another project than the path is refused (DRS.M00261)', async () => {
    const otherUrl = `${t.engine.url}/v3/another-project/jobs/batch-status`;
    const headers = sdkSignedHeaders(otherUrl, 'POST', data);
    const answer = await send(otherUrl, 'POST', headers, JSON.stringify(data));
    expect(answer.status).toBe(403);
    expect(answer.body.error_code).toBe('DRS.M00261');
  });
});

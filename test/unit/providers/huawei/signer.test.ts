import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  computeSignature,
  formatSdkDate,
  parseAuthorization,
  parseSdkDate,
  signRequest,
  signaturesEqual,
  type SignableRequest,
} from '../../../../controller/src/providers/huawei/signer.ts';

const NOW = new Date('2024-03-05T07:08:09.123Z');
const CRED = { accessKey: 'HPUAEXAMPLEAK0000001', secretKey: 'sk-example/with+special=chars' };
const PROJECT = '054ba152d480d55b2f5dc0069e7ddef0';

interface Case {
  name: string;
  method: string;
  /** Base URL + raw path, as the SDK substitutes path params (unencoded). */
  origin: string;
  rawPath: string;
  query?: Record<string, string | string[]>;
  data?: unknown;
  headers?: Record<string, string>;
}

const CASES: Case[] = [
  {
    name: 'POST with a JSON body',
    method: 'POST',
    origin: 'https://drs.ap-southeast-1.myhuaweicloud.com',
    rawPath: `/v3/${PROJECT}/jobs/batch-status`,
    data: { jobs: ['140b5236-88ad-43c8-811c-1268453jb101', 'a2b3'] },
  },
  {
    name: 'DELETE with a body',
    method: 'DELETE',
    origin: 'https://drs.ap-southeast-1.myhuaweicloud.com',
    rawPath: `/v3/${PROJECT}/jobs/batch-jobs`,
    data: { jobs: [{ delete_type: 'terminate', job_id: 'x1' }] },
  },
  {
    name: 'GET with query strings that need escaping',
    method: 'GET',
    origin: 'https://drs.example.com:8443',
    rawPath: `/v3/${PROJECT}/jobs/x1/compare-results`,
    query: { offset: '0', limit: '10', name: 'a b&c=d/é', 'z key': '~ok_-.', multi: ['b', 'a'] },
  },
  {
    name: 'path with special characters',
    method: 'PUT',
    origin: 'http://127.0.0.1:18080',
    rawPath: `/v3/${PROJECT}/jobs/a:b@c!*()$,;=+é/tail`,
    data: { name: 'ünïcode 名前', n: 1 },
  },
  {
    name: 'POST without a body and a trailing slash',
    method: 'POST',
    origin: 'https://iam.example.com',
    rawPath: '/v3/auth/tokens/',
  },
];

function sdkAuthorization(c: Case, headers: Record<string, string>, cred: { accessKey: string; secretKey: string }): Record<string, string> {
  const request = {
    endpoint: `${c.origin}${c.rawPath}`,
    method: c.method,
    headers: { ...headers },
    queryParams: c.query ?? {},
    data: c.data,
  };
  const credential = { getAk: () => cred.accessKey, getSk: () => cred.secretKey };
  return AKSKSigner.sign(request as never, credential as never) as Record<string, string>;
}

function ourRequest(c: Case, headers: Record<string, string>): SignableRequest {
  const url = new URL(`${c.origin}${c.rawPath}`);
  for (const [key, value] of Object.entries(c.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, v);
  }
  return { method: c.method, url: url.toString(), headers, body: c.data === undefined ? '' : JSON.stringify(c.data) };
}

describe('signRequest matches @huaweicloud/huaweicloud-sdk-core AKSKSigner', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const c of CASES) {
    it(c.name, () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(NOW);
      const headers: Record<string, string> = { 'X-Project-Id': PROJECT, ...(c.data === undefined ? {} : { 'content-type': 'application/json' }) };
      const expected = sdkAuthorization(c, headers, CRED);
      const ours = signRequest(ourRequest(c, headers), CRED, NOW);
      expect(ours['X-Sdk-Date']).toBe('20240305T070809Z');
      expect(ours['X-Sdk-Date']).toBe(expected['X-Sdk-Date']);
      expect(expected.Authorization).toMatch(/^SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=[a-z;-]+, Signature=[0-9a-f]{64}$/);
      expect(ours.Authorization).toBe(expected.Authorization);
    });
  }

  it('signs X-Security-Token for temporary credentials, as the SDK does once it is in the headers', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    const c = CASES[0]!;
    const token = 'sts-token-value';
    const headers = { 'X-Project-Id': PROJECT, 'content-type': 'application/json' };
    const expected = sdkAuthorization(c, { ...headers, 'X-Security-Token': token }, CRED);
    const ours = signRequest(ourRequest(c, headers), { ...CRED, securityToken: token }, NOW);
    expect(ours['X-Security-Token']).toBe(token);
    expect(ours.Authorization).toBe(expected.Authorization);
    expect(parseAuthorization(ours.Authorization!)?.signedHeaders).toEqual(['content-type', 'host', 'x-project-id', 'x-sdk-date', 'x-security-token']);
  });
});

describe('verification helpers', () => {
  it('a verifier recomputes the same signature from what it receives', () => {
    const c = CASES[0]!;
    const req = ourRequest(c, { 'X-Project-Id': PROJECT, 'Content-Type': 'application/json' });
    const added = signRequest(req, CRED, NOW);
    const parsed = parseAuthorization(added.Authorization!);
    expect(parsed).toBeDefined();
    expect(parsed!.accessKey).toBe(CRED.accessKey);
    expect(parsed!.signedHeaders).toEqual(['content-type', 'host', 'x-project-id', 'x-sdk-date']);
    // The server sees lower-case header names and an explicit host header.
    const received: SignableRequest = {
      ...req,
      headers: { host: new URL(req.url).host, 'x-project-id': PROJECT, 'content-type': 'application/json', 'x-sdk-date': added['X-Sdk-Date']! },
    };
    const recomputed = computeSignature(received, parsed!.signedHeaders, CRED.secretKey, added['X-Sdk-Date']!);
    expect(signaturesEqual(recomputed, parsed!.signature)).toBe(true);
    expect(computeSignature({ ...received, body: '{}' }, parsed!.signedHeaders, CRED.secretKey, added['X-Sdk-Date']!)).not.toBe(parsed!.signature);
    expect(computeSignature(received, parsed!.signedHeaders, 'wrong', added['X-Sdk-Date']!)).not.toBe(parsed!.signature);
  });

  it('rejects malformed Authorization headers', () => {
    expect(parseAuthorization('Bearer abc')).toBeUndefined();
    expect(parseAuthorization('SDK-HMAC-SHA256 Access=ak, SignedHeaders=host')).toBeUndefined();
    expect(parseAuthorization('SDK-HMAC-SHA256 Access=ak, SignedHeaders=host, Signature=nothex')).toBeUndefined();
  });

  it('formats and parses X-Sdk-Date in UTC', () => {
    expect(formatSdkDate(new Date('2023-12-31T23:59:59.999Z'))).toBe('20231231T235959Z');
    expect(parseSdkDate('20231231T235959Z')?.toISOString()).toBe('2023-12-31T23:59:59.000Z');
    expect(parseSdkDate('2023-12-31')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import signModule from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js';
import { parseTc3Authorization, tc3Authorization, tc3Headers } from '../../../../controller/src/providers/tencent/tc3-signer.ts';
import { signV2Params, v2Signature, v2StringToSign } from '../../../../controller/src/providers/tencent/v2-signer.ts';

// The SDK's module is CommonJS with `exports.default = Sign`; loaders differ in how they hand it over.
type SdkSign = { sign3(a: object): string; sign(k: string, s: string, m: string): string };
const Sign = ((signModule as unknown as { default?: SdkSign }).default ?? signModule) as SdkSign;

const credentials = { secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE' };

describe('TC3-HMAC-SHA256', () => {
  it.each([
    ['dts', 'dts.tencentcloudapi.com', { JobIds: ['sync-1', 'sync-2'], Limit: 100 }, 1_763_900_000],
    ['dts', 'dts.tencentcloudapi.com', { JobId: 'sync-x', Objects: { Mode: 'Partial', Databases: [{ DbName: '数据库', DbMode: 'All' }] } }, 1_700_000_000],
    ['cdb', 'cdb.tencentcloudapi.com', {}, 1_551_113_065],
  ])('equals tencentcloud-sdk-nodejs-common for %s %j', (service, host, payload, timestamp) => {
    const body = JSON.stringify(payload);
    const ours = tc3Authorization({ host, body }, credentials, service, timestamp);
    const theirs = Sign.sign3({
      method: 'POST',
      url: `https://${host}/`,
      payload,
      timestamp,
      service,
      secretId: credentials.secretId,
      secretKey: credentials.secretKey,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(ours).toBe(theirs);
  });

  it('builds the API 3.0 headers and a parseable Authorization', () => {
    const headers = tc3Headers({
      req: { host: 'dts.tencentcloudapi.com', body: '{}' },
      credentials: { ...credentials, token: 'sts-token' },
      service: 'dts',
      action: 'DescribeSyncJobs',
      version: '2021-12-06',
      region: 'ap-guangzhou',
      timestamp: 1_763_900_000,
    });
    expect(headers).toMatchObject({ 'X-TC-Action': 'DescribeSyncJobs', 'X-TC-Version': '2021-12-06', 'X-TC-Region': 'ap-guangzhou', 'X-TC-Timestamp': '1763900000', 'X-TC-Token': 'sts-token' });
    expect(parseTc3Authorization(headers.Authorization!)).toMatchObject({ secretId: credentials.secretId, date: '2025-11-23', service: 'dts', signedHeaders: 'content-type;host' });
  });
});

describe('API v2 signature (CDB)', () => {
  it('reproduces the published test vector', () => {
    const params = {
      Action: 'DescribeInstances',
      'InstanceIds.0': 'ins-09dx96dg',
      Nonce: '11886',
      Region: 'ap-guangzhou',
      SecretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA',
      SignatureMethod: 'HmacSHA256',
      Timestamp: '1465185768',
    };
    const stringToSign = v2StringToSign('GET', 'cvm.api.qcloud.com', '/v2/index.php', params);
    expect(stringToSign).toBe(
      'GETcvm.api.qcloud.com/v2/index.php?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Nonce=11886&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA&SignatureMethod=HmacSHA256&Timestamp=1465185768',
    );
    expect(v2Signature('Gu5t9xGARNpq86cd98joQYCN3Cozk1qA', stringToSign, 'HmacSHA256')).toBe('0EEm/HtGRr/VJXTAD9tYMth1Bzm3lLHz5RCDv1GdM8s=');
  });

  it('agrees with the SDK for HmacSHA1 and adds the common parameters', () => {
    const signed = signV2Params({
      method: 'POST',
      host: 'cdb.api.qcloud.com',
      path: '/v2/index.php',
      params: { Action: 'GetCdbDataSyncTaskList', Region: 'ap-guangzhou', jobId: '42' },
      secretId: credentials.secretId,
      secretKey: credentials.secretKey,
      signatureMethod: 'HmacSHA1',
      timestamp: 1_763_900_000,
      nonce: 7,
    });
    expect(signed).toMatchObject({ SecretId: credentials.secretId, Nonce: '7', Timestamp: '1763900000', SignatureMethod: 'HmacSHA1' });
    const stringToSign = v2StringToSign('POST', 'cdb.api.qcloud.com', '/v2/index.php', signed);
    expect(signed.Signature).toBe(Sign.sign(credentials.secretKey, stringToSign, 'HmacSHA1'));
  });
});

import { Agent } from 'node:http';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TencentApiClient } from '../../../controller/src/providers/tencent/api3-client.ts';
import { ProviderHttpError } from '../../../controller/src/providers/http/errors.ts';
import { Api3Error, startApi3Server, type Api3Handler, type Api3Server } from '../../../simulators/tencent-api3/server.ts';

const SECRET_ID = 'AKIDsimulatorEXAMPLE';
const SECRET_KEY = 'simulator-secret-key';

/**
 * The SDK derives the signing service from the endpoint's first label and sends the endpoint as
 * Host, so it is pointed at dts.tencentcloudapi.com:PORT with an agent that resolves every name
 * to loopback: the request is exactly what the real endpoint would receive.
 */
export function sdkClient(port: number, version: string, secretKey = SECRET_KEY) {
  const agent = new Agent({
    lookup: (_host, opts, cb) => {
      const done = cb as (e: null, a: string | { address: string; family: number }[], f?: number) => void;
      if ((opts as { all?: boolean }).all) done(null, [{ address: '127.0.0.1', family: 4 }]);
      else done(null, '127.0.0.1', 4);
    },
  });
  return new CommonClient('dts.tencentcloudapi.com', version, {
    credential: { secretId: SECRET_ID, secretKey },
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: `dts.tencentcloudapi.com:${port}`, protocol: 'http://', agent } },
  });
}

describe('Tencent API 3.0 simulator endpoint', () => {
  let server: Api3Server;
  beforeAll(async () => {
    server = await startApi3Server({
      service: 'dts',
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      actionLimits: { Limited: 2 },
      handlers: new Map<string, Api3Handler>([
        ['2021-12-06/Echo', (params, ctx) => ({ Echo: params, Region: ctx.region })],
        ['2021-12-06/Limited', () => ({})],
        ['2021-12-06/Refuse', () => {
          throw new Api3Error('ResourceNotFound.JobNotExist', 'The job does not exist');
        }],
      ]),
    });
  });
  afterAll(() => server.close());

  const port = () => Number(new URL(server.url).port);

  it('accepts a call signed by tencentcloud-sdk-nodejs-common', async () => {
    const answer = await sdkClient(port(), '2021-12-06').request('Echo', { JobIds: ['sync-1'] });
    expect(answer).toMatchObject({ Echo: { JobIds: ['sync-1'] }, Region: 'ap-guangzhou', RequestId: expect.any(String) });
  });

  it('refuses a call signed with the wrong key, as the gateway does', async () => {
    await expect(sdkClient(port(), '2021-12-06', 'wrong-key').request('Echo', {})).rejects.toMatchObject({ code: 'AuthFailure.SignatureFailure' });
  });

  it('answers errors as HTTP 200 Response.Error, which the provider client maps to kinds', async () => {
    const client = new TencentApiClient({ provider: 'tencent-dts', endpoint: server.url, service: 'dts', version: '2021-12-06', credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY } });
    const error = await client.call('Refuse', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(error).toMatchObject({ kind: 'notFound', code: 'ResourceNotFound.JobNotExist' });
    const unknown = await client.call('Nope', {}).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'InvalidAction', kind: 'invalid' });
    await client.close();
  });

  it('limits each action separately and says RequestLimitExceeded', async () => {
    const sdk = sdkClient(port(), '2021-12-06');
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => sdk.request('Limited', {})));
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code)).toContain('RequestLimitExceeded');
    // Another action is not affected.
    await expect(sdk.request('Echo', {})).resolves.toBeDefined();
  });

  it('rejects a stale timestamp and an unknown SecretId', async () => {
    const old = new TencentApiClient({
      provider: 'tencent-dts', endpoint: server.url, service: 'dts', version: '2021-12-06',
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      clock: { now: () => Date.now() - 10 * 60_000, setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    });
    await expect(old.call('Echo', {})).rejects.toMatchObject({ code: 'AuthFailure.SignatureExpire', kind: 'auth' });
    const stranger = new TencentApiClient({ provider: 'tencent-dts', endpoint: server.url, service: 'dts', version: '2021-12-06', credentials: { secretId: 'AKIDother', secretKey: SECRET_KEY } });
    await expect(stranger.call('Echo', {})).rejects.toMatchObject({ code: 'AuthFailure.SecretIdNotFound' });
    await Promise.all([old.close(), stranger.close()]);
  });

  it('counts calls per action on /_sim/calls', async () => {
    const counts = (await (await fetch(`${server.url}/_sim/calls`)).json()) as Record<string, number>;
    expect(counts.Echo).toBeGreaterThan(0);
  });
});

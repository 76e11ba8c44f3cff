import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TencentApiClient } from '../../../controller/src/providers/tencent/api3-client.ts';
import { ProviderHttpError } from '../../../controller/src/providers/http/errors.ts';
import { Api3Error, startApi3Server, type Api3Handler, type Api3Server } from '../../../simulators/tencent-api3/server.ts';
import { dtsSdkClient } from './dts-sdk-client.ts';

const SECRET_ID = 'AKIDsimulatorEXAMPLE';
const SECRET_KEY = 'simulator-secret-key';

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
        // The same action name in another version of the API, as DTS 2018-03-30 and 2021-12-06 share StartMigrateJob.
        ['2018-03-30/Limited', () => ({ Version: '2018-03-30' })],
        ['2021-12-06/Refuse', () => {
          throw new Api3Error('ResourceNotFound.JobNotExist', 'The job does not exist');
        }],
      ]),
    });
  });
  afterAll(() => server.close());

  /** The official SDK, signing for version 2021-12-06 with the simulator's SecretId and `secretKey`. */
  const sdkClient = (secretKey = SECRET_KEY) => dtsSdkClient(server.url, '2021-12-06', { secretId: SECRET_ID, secretKey });

  it('accepts a call signed by tencentcloud-sdk-nodejs-common', async () => {
    const answer = await sdkClient().request('Echo', { JobIds: ['sync-1'] });
    expect(answer).toMatchObject({ Echo: { JobIds: ['sync-1'] }, Region: 'ap-guangzhou', RequestId: expect.any(String) });
  });

  it('refuses a call signed with the wrong key, as the gateway does', async () => {
    await expect(sdkClient('wrong-key').request('Echo', {})).rejects.toMatchObject({ code: 'AuthFailure.SignatureFailure' });
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
    const sdk = sdkClient();
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => sdk.request('Limited', {})));
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code)).toContain('RequestLimitExceeded');
    // Another action is not affected.
    await expect(sdk.request('Echo', {})).resolves.toBeDefined();
  });

  it('keeps a separate budget for the same action in another version', async () => {
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => sdkClient().request('Limited', {})));
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code)).toContain('RequestLimitExceeded');
    const v2018 = dtsSdkClient(server.url, '2018-03-30', { secretId: SECRET_ID, secretKey: SECRET_KEY });
    await expect(v2018.request('Limited', {})).resolves.toMatchObject({ Version: '2018-03-30' });
  });

  it('refuses a version the service does not have with NoSuchVersion, worded as the gateway words it', async () => {
    const future = dtsSdkClient(server.url, '2099-01-01', { secretId: SECRET_ID, secretKey: SECRET_KEY });
    await expect(future.request('Echo', {})).rejects.toMatchObject({ code: 'NoSuchVersion', message: 'The specified api version=`2099-01-01` does not exist in service=`dts`.' });
    // In a version it has, an action only another version has is NoSuchVersion too.
    await expect(dtsSdkClient(server.url, '2018-03-30', { secretId: SECRET_ID, secretKey: SECRET_KEY }).request('Echo', {})).rejects.toMatchObject({ code: 'NoSuchVersion' });
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

import { systemClock, type Clock } from '../../../clock.ts';
import { accountPollIntervals } from '../../polling/poll-intervals.ts';
import { terminalError } from '../../../reconcile/errors.ts';
import type { AccountConfig, ProviderFactory } from '../../../reconcile/provider-accounts.ts';
import { TencentApiClient } from '../../tencent/api3-client.ts';
import { DtsSyncAccount } from './account.ts';
import { DtsSyncClient } from './client.ts';

export const DTS_ENDPOINT = 'https://dts.tencentcloudapi.com';
export const DTS_SERVICE = 'dts';
export const DTS_SYNC_VERSION = '2021-12-06';
const DEFAULT_RPS = 20;

/**
 * ProviderConfig → DtsSyncAccount. Credentials Secret keys: secretId + secretKey (+ securityToken
 * for temporary credentials). spec.region is required: DTS jobs are regional and it is the
 * default region of both endpoints. spec.endpoint overrides https://dts.tencentcloudapi.com.
 */
export function makeDtsSyncAccountFactory(options: { clock?: Clock } = {}): ProviderFactory {
  return (config: AccountConfig) => {
    const { spec, credentials, hooks } = config;
    const { secretId, secretKey, securityToken } = credentials;
    if (!secretId || !secretKey) throw terminalError('InvalidCredentials', `The credentials Secret of ${config.key} needs secretId and secretKey (and securityToken for temporary credentials)`);
    if (!spec.region) throw terminalError('InvalidProviderConfig', `${config.key} needs spec.region (e.g. ap-guangzhou): Tencent DTS jobs are regional`);
    const clock = options.clock ?? systemClock;
    const rps = spec.requestsPerSecond ?? DEFAULT_RPS;
    const api = new TencentApiClient({
      provider: 'tencent-dts',
      endpoint: spec.endpoint ?? DTS_ENDPOINT,
      service: DTS_SERVICE,
      version: DTS_SYNC_VERSION,
      region: spec.region,
      credentials: { secretId, secretKey, ...(securityToken ? { token: securityToken } : {}) },
      // Tencent limits each action to 20/s; a lower account budget applies to each action too.
      actionRequestsPerSecond: Math.min(rps, 20),
      clock,
      ...(hooks.onRequest ? { onRequest: hooks.onRequest } : {}),
    });
    return new DtsSyncAccount({
      client: new DtsSyncClient(api),
      region: spec.region,
      pollIntervals: accountPollIntervals(spec, hooks),
      requestsPerSecond: rps,
      clock,
      onPollStretched: () => hooks.onPollStretched?.('tencent-dts'),
      ...(hooks.log ? { log: hooks.log } : {}),
    });
  };
}

/** The factory the registry installs (wall-clock time). */
export const dtsSyncAccountFactory: ProviderFactory = makeDtsSyncAccountFactory();

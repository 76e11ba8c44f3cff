import { systemClock } from '../../clock.ts';
import { accountPollIntervals } from '../polling/poll-intervals.ts';
import { terminalError } from '../../reconcile/errors.ts';
import type { AccountConfig, ProviderFactory } from '../../reconcile/provider-accounts.ts';
import { TencentApiClient } from '../tencent/api3-client.ts';
import { DTS_LEGACY_PROVIDER_ID, DtsLegacyAccount } from './account.ts';
import { DTS_LEGACY_VERSION } from './api-types.ts';

export const DTS_LEGACY_DEFAULT_ENDPOINT = 'https://dts.tencentcloudapi.com';
/** Tencent's default limit: 20 requests/s per action. */
const DEFAULT_RPS = 20;

/**
 * ProviderConfig → DtsLegacyAccount. Credentials Secret keys: secretId + secretKey (optional
 * securityToken for temporary credentials). spec.region is required: every 2018-03-30 call
 * names its Region, and it is the default region of the source and target instances.
 */
export const dtsLegacyAccountFactory: ProviderFactory = (config: AccountConfig) => {
  const { spec, credentials, hooks } = config;
  const { secretId, secretKey, securityToken } = credentials;
  if (!secretId || !secretKey) {
    throw terminalError('InvalidCredentials', `The credentials Secret of ${config.key} needs the keys secretId and secretKey (and securityToken for temporary credentials)`);
  }
  if (!spec.region) throw terminalError('InvalidProviderConfig', `${config.key} needs spec.region (e.g. ap-guangzhou): every DTS 2018-03-30 call names its region`);
  const rps = spec.requestsPerSecond ?? DEFAULT_RPS;
  const client = new TencentApiClient({
    provider: DTS_LEGACY_PROVIDER_ID,
    endpoint: spec.endpoint ?? DTS_LEGACY_DEFAULT_ENDPOINT,
    service: 'dts',
    version: DTS_LEGACY_VERSION,
    region: spec.region,
    credentials: { secretId, secretKey, ...(securityToken ? { token: securityToken } : {}) },
    actionRequestsPerSecond: rps,
    ...(hooks.onRequest ? { onRequest: hooks.onRequest } : {}),
  });
  return new DtsLegacyAccount({
    client,
    region: spec.region,
    pollIntervals: accountPollIntervals(spec, hooks),
    requestsPerSecond: rps,
    clock: systemClock,
    onPollStretched: () => hooks.onPollStretched?.(DTS_LEGACY_PROVIDER_ID),
    ...(hooks.log ? { log: hooks.log } : {}),
  });
};

import type { Clock } from '../../clock.ts';
import type { AccountConfig } from '../../reconcile/provider-accounts.ts';
import { accountRequestsPerSecond, requestMetricsHook } from '../account-settings.ts';
import { TencentApiClient } from './api3-client.ts';
import type { TencentCredentials } from './credentials.ts';

/** Where Tencent Cloud's DTS API answers (every API version) unless spec.endpoint says otherwise. */
export const DTS_ENDPOINT = 'https://dts.tencentcloudapi.com';
/** The TC3 signing service name of DTS. */
export const DTS_SERVICE = 'dts';

/**
 * The API 3.0 client of one DTS account, for both providers on DTS (tencent-dts with its sync
 * and migration halves, tencent-dts-legacy): spec.endpoint or the public endpoint, the API
 * version, region and credentials, a per-action limit (default: the account's request budget)
 * and the request metrics.
 */
export function dtsApiClient(
  config: AccountConfig,
  api: { provider: string; version: string; region: string; credentials: TencentCredentials; actionRequestsPerSecond?: number; clock?: Clock },
): TencentApiClient {
  return new TencentApiClient({
    provider: api.provider,
    endpoint: config.spec.endpoint ?? DTS_ENDPOINT,
    service: DTS_SERVICE,
    version: api.version,
    region: api.region,
    credentials: api.credentials,
    actionRequestsPerSecond: api.actionRequestsPerSecond ?? accountRequestsPerSecond(config),
    ...(api.clock ? { clock: api.clock } : {}),
    ...requestMetricsHook(config),
  });
}

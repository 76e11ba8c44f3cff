import { systemClock } from '../../../clock.ts';
import { accountPollIntervals } from '../../polling/poll-intervals.ts';
import { terminalError } from '../../../reconcile/errors.ts';
import type { AccountConfig, ProviderFactory } from '../../../reconcile/provider-accounts.ts';
import { TencentApiClient } from '../../tencent/api3-client.ts';
import { DtsMigrationAccount } from './account.ts';
import { DTS_DEFAULT_ENDPOINT, DTS_SERVICE, DTS_VERSION } from './api-types.ts';
import { DtsMigrationClient } from './client.ts';

const DEFAULT_RPS = 20;

/**
 * ProviderConfig → DtsMigrationAccount. Credentials: secretId + secretKey (+ securityToken for
 * temporary credentials). Endpoint: spec.endpoint or https://dts.tencentcloudapi.com; spec.region
 * is required (DTS migrates into the region the API is called in).
 */
export const dtsMigrationAccountFactory: ProviderFactory = (config: AccountConfig) => {
  const { spec, credentials, hooks } = config;
  if (!spec.region) throw terminalError('InvalidProviderConfig', `${config.key} needs spec.region (e.g. ap-guangzhou): DTS migrates into the region its API is called in`);
  if (!credentials.secretId || !credentials.secretKey) {
    throw terminalError('InvalidCredentials', `The credentials Secret of ${config.key} needs secretId and secretKey (and securityToken for temporary credentials)`);
  }
  const rps = spec.requestsPerSecond ?? DEFAULT_RPS;
  const api = new TencentApiClient({
    provider: 'tencent-dts',
    endpoint: spec.endpoint ?? DTS_DEFAULT_ENDPOINT,
    service: DTS_SERVICE,
    version: DTS_VERSION,
    region: spec.region,
    credentials: { secretId: credentials.secretId, secretKey: credentials.secretKey, ...(credentials.securityToken ? { token: credentials.securityToken } : {}) },
    actionRequestsPerSecond: rps,
    ...(hooks.onRequest ? { onRequest: hooks.onRequest } : {}),
  });
  return new DtsMigrationAccount({
    client: new DtsMigrationClient(api),
    region: spec.region,
    pollIntervals: accountPollIntervals(spec, hooks),
    requestsPerSecond: rps,
    clock: systemClock,
    onPollStretched: () => hooks.onPollStretched?.('tencent-dts'),
    ...(hooks.log ? { log: hooks.log } : {}),
  });
};

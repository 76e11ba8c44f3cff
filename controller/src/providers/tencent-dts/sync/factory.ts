import { systemClock, type Clock } from '../../../clock.ts';
import { terminalError } from '../../../reconcile/errors.ts';
import type { AccountConfig, ProviderFactory } from '../../../reconcile/provider-accounts.ts';
import { accountRequestsPerSecond, accountSettings } from '../../account-settings.ts';
import { tencentCredentials } from '../../tencent/credentials.ts';
import { dtsApiClient } from '../../tencent/dts-api-client.ts';
import { DtsSyncAccount } from './account.ts';
import { DtsSyncClient } from './client.ts';

export const DTS_SYNC_VERSION = '2021-12-06';

/**
 * ProviderConfig → DtsSyncAccount. Credentials Secret keys: secretId + secretKey (+ securityToken
 * for temporary credentials). spec.region is required: DTS jobs are regional and it is the
 * default region of both endpoints. spec.endpoint overrides https://dts.tencentcloudapi.com.
 */
export function makeDtsSyncAccountFactory(options: { clock?: Clock } = {}): ProviderFactory {
  return (config: AccountConfig) => {
    const { spec } = config;
    const credentials = tencentCredentials(config);
    if (!spec.region) throw terminalError('InvalidProviderConfig', `${config.key} needs spec.region (e.g. ap-guangzhou): Tencent DTS jobs are regional`);
    const clock = options.clock ?? systemClock;
    const api = dtsApiClient(config, {
      provider: 'tencent-dts',
      version: DTS_SYNC_VERSION,
      region: spec.region,
      credentials,
      // Tencent limits each action to 20/s; a lower account budget applies to each action too.
      actionRequestsPerSecond: Math.min(accountRequestsPerSecond(config), 20),
      clock,
    });
    return new DtsSyncAccount({ client: new DtsSyncClient(api), region: spec.region, ...accountSettings(config, 'tencent-dts', clock) });
  };
}

/** The factory the registry installs (wall-clock time). */
export const dtsSyncAccountFactory: ProviderFactory = makeDtsSyncAccountFactory();

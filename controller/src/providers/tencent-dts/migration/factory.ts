import { terminalError } from '../../../reconcile/errors.ts';
import type { AccountConfig, ProviderFactory } from '../../../reconcile/provider-accounts.ts';
import { accountSettings } from '../../account-settings.ts';
import { tencentCredentials } from '../../tencent/credentials.ts';
import { dtsApiClient } from '../../tencent/dts-api-client.ts';
import { DtsMigrationAccount } from './account.ts';
import { DTS_VERSION } from './api-types.ts';
import { DtsMigrationClient } from './client.ts';

/**
 * ProviderConfig → DtsMigrationAccount. Credentials: secretId + secretKey (+ securityToken for
 * temporary credentials). Endpoint: spec.endpoint or https://dts.tencentcloudapi.com; spec.region
 * is required (DTS migrates into the region the API is called in).
 */
export const dtsMigrationAccountFactory: ProviderFactory = (config: AccountConfig) => {
  const { spec } = config;
  if (!spec.region) throw terminalError('InvalidProviderConfig', `${config.key} needs spec.region (e.g. ap-guangzhou): DTS migrates into the region its API is called in`);
  const api = dtsApiClient(config, { provider: 'tencent-dts', version: DTS_VERSION, region: spec.region, credentials: tencentCredentials(config) });
  return new DtsMigrationAccount({ client: new DtsMigrationClient(api), region: spec.region, ...accountSettings(config, 'tencent-dts') });
};

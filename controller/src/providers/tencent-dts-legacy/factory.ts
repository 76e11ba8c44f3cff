import { terminalError } from '../../reconcile/errors.ts';
import type { AccountConfig, ProviderFactory } from '../../reconcile/provider-accounts.ts';
import { accountSettings } from '../account-settings.ts';
import { tencentCredentials } from '../tencent/credentials.ts';
import { dtsApiClient } from '../tencent/dts-api-client.ts';
import { DTS_LEGACY_PROVIDER_ID, DtsLegacyAccount } from './account.ts';
import { DTS_LEGACY_VERSION } from './api-types.ts';

/**
 * ProviderConfig → DtsLegacyAccount. Credentials Secret keys: secretId + secretKey (optional
 * securityToken for temporary credentials). spec.region is required: every 2018-03-30 call
 * names its Region, and it is the default region of the source and target instances.
 * spec.endpoint overrides https://dts.tencentcloudapi.com; Tencent's default limit is 20
 * requests/s per action.
 */
export const dtsLegacyAccountFactory: ProviderFactory = (config: AccountConfig) => {
  const { spec } = config;
  const credentials = tencentCredentials(config);
  if (!spec.region) throw terminalError('InvalidProviderConfig', `${config.key} needs spec.region (e.g. ap-guangzhou): every DTS 2018-03-30 call names its region`);
  const client = dtsApiClient(config, { provider: DTS_LEGACY_PROVIDER_ID, version: DTS_LEGACY_VERSION, region: spec.region, credentials });
  return new DtsLegacyAccount({ client, region: spec.region, ...accountSettings(config, DTS_LEGACY_PROVIDER_ID) });
};

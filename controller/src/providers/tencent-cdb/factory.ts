import { terminalError } from '../../reconcile/errors.ts';
import type { AccountConfig, ProviderFactory } from '../../reconcile/provider-accounts.ts';
import { accountRequestsPerSecond, accountSettings, requestMetricsHook } from '../account-settings.ts';
import { tencentCredentials } from '../tencent/credentials.ts';
import { CdbAccount } from './account.ts';
import { CdbClient, PROVIDER_ID } from './client.ts';
import { parseCdbAccountOptions } from './provider-options.ts';

export const CDB_DEFAULT_ENDPOINT = 'https://cdb.api.qcloud.com';

/**
 * ProviderConfig → CdbAccount. Credentials Secret: secretId + secretKey (+ securityToken for
 * temporary credentials). spec.region is required (the master instances' region, the Region of
 * every call); spec.endpoint overrides https://cdb.api.qcloud.com. The API v2 SignatureMethod
 * comes from the ProviderConfig's providerOptions.signatureMethod.
 */
export const cdbAccountFactory: ProviderFactory = (config: AccountConfig) => {
  const { spec } = config;
  if (!spec.region) throw terminalError('InvalidProviderConfig', `${config.key} needs spec.region: the region of the CDB master instances (e.g. ap-guangzhou)`);
  const credentials = tencentCredentials(config);
  const { options, problems } = parseCdbAccountOptions(spec.providerOptions);
  if (problems.length > 0) throw terminalError('InvalidProviderConfig', `${config.key} is invalid: ${problems.join('; ')}`);
  const client = new CdbClient({
    endpoint: spec.endpoint ?? CDB_DEFAULT_ENDPOINT,
    region: spec.region,
    credentials,
    ...(options.signatureMethod ? { signatureMethod: options.signatureMethod } : {}),
    requestsPerSecond: accountRequestsPerSecond(config),
    ...requestMetricsHook(config),
  });
  return new CdbAccount({ client, region: spec.region, ...accountSettings(config, PROVIDER_ID) });
};

import { terminalError } from '../../reconcile/errors.ts';
import type { AccountConfig, ProviderFactory } from '../../reconcile/provider-accounts.ts';
import { accountSettings } from '../account-settings.ts';
import { huaweiClientOptions } from '../huawei/client-config.ts';
import { ClickHouseAccount } from './account.ts';
import { ClickHouseClient } from './client.ts';
import { defaultEndpoint } from './endpoints.ts';
import { CLICKHOUSE_PROVIDER } from './errors.ts';

/**
 * ProviderConfig → ClickHouseAccount. Endpoint: spec.endpoint, else the region's GaussDB(for
 * MySQL) endpoint. Credentials: accessKey + secretKey (AK/SK signing, optional securityToken),
 * or username + password + domainName (IAM token from spec.iamEndpoint or iam.<region>).
 */
export const clickHouseAccountFactory: ProviderFactory = (config: AccountConfig) => {
  const { spec } = config;
  const endpoint = spec.endpoint ?? (spec.region ? defaultEndpoint(spec.region) : undefined);
  if (!endpoint) throw terminalError('InvalidProviderConfig', `${config.key} needs spec.region or spec.endpoint to reach GaussDB(for MySQL)`);
  if (!spec.projectId) throw terminalError('InvalidProviderConfig', `${config.key} needs spec.projectId (the project the ClickHouse instances live in)`);
  const client = new ClickHouseClient(huaweiClientOptions(config, { endpoint, projectId: spec.projectId }));
  return new ClickHouseAccount({ client, ...accountSettings(config, CLICKHOUSE_PROVIDER) });
};

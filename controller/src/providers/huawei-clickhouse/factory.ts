import { systemClock } from '../../clock.ts';
import { accountPollIntervals } from '../polling/poll-intervals.ts';
import { terminalError } from '../../reconcile/errors.ts';
import type { AccountConfig, ProviderFactory } from '../../reconcile/provider-accounts.ts';
import type { DrsAuthConfig } from '../huawei-drs/auth.ts';
import { ClickHouseAccount } from './account.ts';
import { ClickHouseClient } from './client.ts';
import { defaultEndpoint } from './endpoints.ts';

const DEFAULT_RPS = 20;

/**
 * ProviderConfig → ClickHouseAccount. Endpoint: spec.endpoint, else the region's GaussDB(for
 * MySQL) endpoint. Credentials: accessKey + secretKey (AK/SK signing, optional securityToken),
 * or username + password + domainName (IAM token from spec.iamEndpoint or iam.<region>).
 */
export const clickHouseAccountFactory: ProviderFactory = (config: AccountConfig) => {
  const { spec, hooks } = config;
  const endpoint = spec.endpoint ?? (spec.region ? defaultEndpoint(spec.region) : undefined);
  if (!endpoint) throw terminalError('InvalidProviderConfig', `${config.key} needs spec.region or spec.endpoint to reach GaussDB(for MySQL)`);
  if (!spec.projectId) throw terminalError('InvalidProviderConfig', `${config.key} needs spec.projectId (the project the ClickHouse instances live in)`);
  const rps = spec.requestsPerSecond ?? DEFAULT_RPS;
  const client = new ClickHouseClient({
    endpoint,
    projectId: spec.projectId,
    auth: authFrom(config, spec.iamEndpoint ?? (spec.region ? `https://iam.${spec.region}.myhuaweicloud.com` : undefined)),
    requestsPerSecond: rps,
    ...(hooks.onRequest ? { onRequest: hooks.onRequest } : {}),
  });
  return new ClickHouseAccount({
    client,
    pollIntervals: accountPollIntervals(spec, hooks),
    requestsPerSecond: rps,
    clock: systemClock,
    onPollStretched: () => hooks.onPollStretched?.('huawei-clickhouse'),
    ...(hooks.log ? { log: hooks.log } : {}),
  });
};

function authFrom(config: AccountConfig, iamEndpoint: string | undefined): DrsAuthConfig {
  const c = config.credentials;
  if (c.accessKey && c.secretKey) {
    return { kind: 'aksk', accessKey: c.accessKey, secretKey: c.secretKey, ...(c.securityToken ? { securityToken: c.securityToken } : {}) };
  }
  if (c.username && c.password && c.domainName) {
    if (!iamEndpoint) throw terminalError('InvalidProviderConfig', `${config.key} uses IAM password credentials: set spec.region or spec.iamEndpoint`);
    return { kind: 'token', iamEndpoint, username: c.username, password: c.password, domainName: c.domainName };
  }
  throw terminalError('InvalidCredentials', `The credentials Secret of ${config.key} needs accessKey + secretKey, or username + password + domainName`);
}

import { terminalError } from '../../reconcile/errors.ts';
import type { AccountConfig } from '../../reconcile/provider-accounts.ts';
import { accountRequestsPerSecond, requestMetricsHook } from '../account-settings.ts';
import type { HuaweiClientOptions } from './api-caller.ts';
import type { HuaweiAuthConfig } from './auth.ts';
import { regionalEndpoint } from './endpoints.ts';

/**
 * The client options a Huawei provider's factory takes from a ProviderConfig: where the API is
 * (resolved by the provider), how to authenticate, the request budget and the metrics hook.
 */
export function huaweiClientOptions(config: AccountConfig, place: { endpoint: string; projectId: string }): HuaweiClientOptions {
  return { ...place, auth: huaweiAuthFrom(config), requestsPerSecond: accountRequestsPerSecond(config), ...requestMetricsHook(config) };
}

/**
 * How the account authenticates, from its credentials Secret: accessKey + secretKey (AK/SK
 * signing, optional securityToken), or username + password + domainName (an IAM token from
 * spec.iamEndpoint, else the region's IAM endpoint). A terminal error names the keys when the
 * Secret has neither set.
 */
export function huaweiAuthFrom(config: AccountConfig): HuaweiAuthConfig {
  const c = config.credentials;
  if (c.accessKey && c.secretKey) {
    return { kind: 'aksk', accessKey: c.accessKey, secretKey: c.secretKey, ...(c.securityToken ? { securityToken: c.securityToken } : {}) };
  }
  if (c.username && c.password && c.domainName) {
    const { spec } = config;
    const iamEndpoint = spec.iamEndpoint ?? (spec.region ? regionalEndpoint('iam', spec.region) : undefined);
    if (!iamEndpoint) throw terminalError('InvalidProviderConfig', `${config.key} uses IAM password credentials: set spec.region or spec.iamEndpoint`);
    return { kind: 'token', iamEndpoint, username: c.username, password: c.password, domainName: c.domainName };
  }
  throw terminalError('InvalidCredentials', `The credentials Secret of ${config.key} needs accessKey + secretKey, or username + password + domainName`);
}

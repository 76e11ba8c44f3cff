import { systemClock } from '../../clock.ts';
import { accountPollIntervals } from '../polling/poll-intervals.ts';
import { terminalError } from '../../reconcile/errors.ts';
import type { AccountConfig, ProviderFactory } from '../../reconcile/provider-accounts.ts';
import { DrsAccount } from './account.ts';
import type { DrsAuthConfig } from './auth.ts';
import { DrsClient } from './client.ts';
import type { DrsProfile } from './profile.ts';

const DEFAULT_RPS = 20;

/**
 * ProviderConfig → DrsAccount. Credentials: accessKey + secretKey (AK/SK signing, optional
 * securityToken), or username + password + domainName (IAM token).
 */
export function drsAccountFactory(profile: DrsProfile, defaults: { endpoint?: string; projectId?: string } = {}): ProviderFactory {
  return (config: AccountConfig) => {
    const { spec, credentials, hooks } = config;
    const endpoint = spec.endpoint ?? defaults.endpoint ?? (spec.region ? `https://drs.${spec.region}.myhuaweicloud.com` : undefined);
    if (!endpoint) throw terminalError('InvalidProviderConfig', `${config.key} needs spec.region or spec.endpoint to reach DRS`);
    const projectId = spec.projectId ?? defaults.projectId;
    if (!projectId) throw terminalError('InvalidProviderConfig', `${config.key} needs spec.projectId (the project the DRS jobs live in)`);
    const rps = spec.requestsPerSecond ?? DEFAULT_RPS;
    const client = new DrsClient({
      endpoint,
      projectId,
      auth: authFrom(config, spec.iamEndpoint ?? (spec.region ? `https://iam.${spec.region}.myhuaweicloud.com` : undefined)),
      requestsPerSecond: rps,
      ...(hooks.onRequest ? { onRequest: hooks.onRequest } : {}),
    });
    return new DrsAccount({
      client,
      profile,
      pollIntervals: accountPollIntervals(spec, hooks),
      requestsPerSecond: rps,
      clock: systemClock,
      onPollStretched: () => hooks.onPollStretched?.(profile.providerId),
      ...(hooks.log ? { log: hooks.log } : {}),
    });
  };
}

function authFrom(config: AccountConfig, iamEndpoint: string | undefined): DrsAuthConfig {
  const c = config.credentials;
  if (c.accessKey && c.secretKey) {
    return { kind: 'aksk', accessKey: c.accessKey, secretKey: c.secretKey, ...(c.securityToken ? { securityToken: c.securityToken } : {}) };
  }
  if (c.username && c.password && c.domainName) {
    if (!iamEndpoint) throw terminalError('InvalidProviderConfig', `${config.key} uses IAM password credentials: set spec.region or spec.iamEndpoint`);
    return { kind: 'token', iamEndpoint, username: c.username, password: c.password, domainName: c.domainName };
  }
  throw terminalError(
    'InvalidCredentials',
    `The credentials Secret of ${config.key} needs accessKey + secretKey, or username + password + domainName`,
  );
}

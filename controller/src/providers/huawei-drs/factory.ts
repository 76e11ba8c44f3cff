import { terminalError } from '../../reconcile/errors.ts';
import type { AccountConfig, ProviderFactory } from '../../reconcile/provider-accounts.ts';
import { accountSettings } from '../account-settings.ts';
import { huaweiClientOptions } from '../huawei/client-config.ts';
import { regionalEndpoint } from '../huawei/endpoints.ts';
import { DrsAccount } from './account.ts';
import { DrsClient } from './client.ts';
import type { DrsProfile } from './profile.ts';

/**
 * ProviderConfig → DrsAccount. Credentials: accessKey + secretKey (AK/SK signing, optional
 * securityToken), or username + password + domainName (IAM token).
 */
export function drsAccountFactory(profile: DrsProfile, defaults: { endpoint?: string; projectId?: string } = {}): ProviderFactory {
  return (config: AccountConfig) => {
    const { spec } = config;
    const endpoint = spec.endpoint ?? defaults.endpoint ?? (spec.region ? regionalEndpoint('drs', spec.region) : undefined);
    if (!endpoint) throw terminalError('InvalidProviderConfig', `${config.key} needs spec.region or spec.endpoint to reach DRS`);
    const projectId = spec.projectId ?? defaults.projectId;
    if (!projectId) throw terminalError('InvalidProviderConfig', `${config.key} needs spec.projectId (the project the DRS jobs live in)`);
    const client = new DrsClient(huaweiClientOptions(config, { endpoint, projectId }));
    return new DrsAccount({ client, profile, ...accountSettings(config, profile.providerId) });
  };
}

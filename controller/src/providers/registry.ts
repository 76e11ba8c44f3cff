import type { ProviderFactory } from '../reconcile/provider-accounts.ts';
import { drsAccountFactory } from './huawei-drs/factory.ts';
import { HUAWEI_DRS_PROFILE, LOCAL_ENGINE_PROFILE } from './huawei-drs/profile.ts';

/**
 * Provider id → factory. A ProviderConfig naming an id missing here gets a clear
 * ProviderUnavailable condition. The built-in engine speaks DRS v3, so `local` is a DRS
 * account with the engine's profile (PostgreSQL only, no cloud placement needed).
 */
export function providerFactories(): Map<string, ProviderFactory> {
  return new Map<string, ProviderFactory>([
    ['huawei-drs', drsAccountFactory(HUAWEI_DRS_PROFILE)],
    ['local', drsAccountFactory(LOCAL_ENGINE_PROFILE, { projectId: 'local' })],
  ]);
}

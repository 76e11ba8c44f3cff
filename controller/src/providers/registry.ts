import type { ProviderFactory } from '../reconcile/provider-accounts.ts';
import { clickHouseAccountFactory } from './huawei-clickhouse/factory.ts';
import { drsAccountFactory } from './huawei-drs/factory.ts';
import { HUAWEI_DRS_PROFILE, LOCAL_ENGINE_PROFILE } from './huawei-drs/profile.ts';
import { cdbAccountFactory } from './tencent-cdb/factory.ts';
import { dtsLegacyAccountFactory } from './tencent-dts-legacy/factory.ts';
import { dtsAccountFactory } from './tencent-dts/factory.ts';

/**
 * Provider id → factory. A ProviderConfig naming an id missing here gets a clear
 * ProviderUnavailable condition. The built-in engine speaks DRS v3, so `local` is a DRS
 * account with the engine's profile (PostgreSQL only, no cloud placement needed).
 */
export function providerFactories(): Map<string, ProviderFactory> {
  return new Map<string, ProviderFactory>([
    ['huawei-drs', drsAccountFactory(HUAWEI_DRS_PROFILE)],
    ['local', drsAccountFactory(LOCAL_ENGINE_PROFILE, { projectId: 'local' })],
    ['tencent-dts', dtsAccountFactory],
    ['tencent-dts-legacy', dtsLegacyAccountFactory],
    ['tencent-cdb', cdbAccountFactory],
    ['huawei-clickhouse', clickHouseAccountFactory],
  ]);
}

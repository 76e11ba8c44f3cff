import type { AccountConfig, ProviderFactory } from '../../reconcile/provider-accounts.ts';
import { DtsAccount } from './account.ts';
import { dtsMigrationAccountFactory } from './migration/index.ts';
import { dtsSyncAccountFactory } from './sync/index.ts';

/** ProviderConfig (provider: tencent-dts) → one account with a sync half and a migration half. */
export function makeDtsAccountFactory(halves: { sync: ProviderFactory; migration: ProviderFactory } = { sync: dtsSyncAccountFactory, migration: dtsMigrationAccountFactory }): ProviderFactory {
  return (config: AccountConfig) => new DtsAccount({ sync: halves.sync(config), migration: halves.migration(config) });
}

export const dtsAccountFactory: ProviderFactory = makeDtsAccountFactory();

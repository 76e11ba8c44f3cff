import type { ProviderAccount } from '../controller/src/reconcile/provider.ts';
import type { ProviderFactory } from '../controller/src/reconcile/provider-accounts.ts';
import { providerFactories } from '../controller/src/providers/registry.ts';
import { makeDtsAccountFactory } from '../controller/src/providers/tencent-dts/factory.ts';
import { dtsMigrationAccountFactory } from '../controller/src/providers/tencent-dts/migration/index.ts';
import { dtsSyncAccountFactory } from '../controller/src/providers/tencent-dts/sync/index.ts';

/** Something that counts its completed poll rounds. */
interface RoundCounter {
  rounds: number;
}

const isCounter = (o: unknown): o is RoundCounter => typeof (o as Partial<RoundCounter> | undefined)?.rounds === 'number';

/** An account's poll-round counter: every polled account exposes its SnapshotPoller as `poller`. */
function roundCounterOf(account: ProviderAccount): RoundCounter | undefined {
  const poller = (account as { poller?: unknown }).poller;
  return isCounter(poller) ? poller : undefined;
}

/**
 * The operator's real provider factories, wrapped so the benchmark can see the accounts they
 * build: the poller's round counter lets the steady window start and end on round boundaries,
 * instead of cutting a round in half and counting it as half an interval.
 *
 * tencent-dts's account hides its sync and migration halves, so its entry is rebuilt the way the
 * registry builds it (makeDtsAccountFactory over the same two half factories) with the sync half
 * wrapped: its poller is the one a run of sync jobs uses.
 */
export class TrackedAccounts {
  readonly factories = new Map<string, ProviderFactory>();
  #latest: RoundCounter | undefined;

  constructor() {
    const factories = providerFactories();
    factories.set('tencent-dts', makeDtsAccountFactory({ sync: this.#tracked(dtsSyncAccountFactory), migration: dtsMigrationAccountFactory }));
    for (const [id, factory] of factories) this.factories.set(id, this.#tracked(factory));
  }

  /** Poll rounds completed by the newest account (0 before any job resolved one). */
  get rounds(): number {
    return this.#latest?.rounds ?? 0;
  }

  #tracked(factory: ProviderFactory): ProviderFactory {
    return (config) => {
      const account = factory(config);
      // An account is rebuilt when its ProviderConfig or Secret changes: the newest one polls.
      const counter = roundCounterOf(account);
      if (counter) this.#latest = counter;
      return account;
    };
  }
}

import type { ProviderAccount } from '../controller/src/reconcile/provider.ts';
import type { ProviderFactory } from '../controller/src/reconcile/provider-accounts.ts';
import { providerFactories } from '../controller/src/providers/registry.ts';

/** What the benchmark reads from a DRS account: its poller's completed rounds. */
interface PollingAccount {
  poller: { rounds: number };
}

const isPolling = (account: ProviderAccount): account is ProviderAccount & PollingAccount =>
  typeof (account as Partial<PollingAccount>).poller?.rounds === 'number';

/**
 * The operator's real provider factories, wrapped so the benchmark can see the accounts they
 * build: the DRS poller's round counter lets the steady window start and end on round
 * boundaries, instead of cutting a round in half and counting it as half an interval.
 */
export class TrackedAccounts {
  readonly factories = new Map<string, ProviderFactory>();
  #latest: (ProviderAccount & PollingAccount) | undefined;

  constructor() {
    for (const [id, factory] of providerFactories()) {
      this.factories.set(id, (config) => {
        const account = factory(config);
        // An account is rebuilt when its ProviderConfig or Secret changes: the newest one polls.
        if (isPolling(account)) this.#latest = account;
        return account;
      });
    }
  }

  /** Poll rounds completed by the newest account (0 before any job resolved one). */
  get rounds(): number {
    return this.#latest?.poller.rounds ?? 0;
  }
}

import type { Clock } from '../../../engine/src/clock.ts';
import type { AdminHandler, Api3Handler } from '../../tencent-api3/server.ts';
import { syncAdmin } from './admin.ts';
import { CLEAN_OUTCOME, type CheckOutcome } from './check-steps.ts';
import { syncHandlers } from './handlers.ts';
import { SyncJobStore } from './job-store.ts';
import { PACES } from './pace.ts';

/**
 * The DTS 2021-12-06 sync-job half of the Tencent DTS simulator: API handlers keyed
 * `2021-12-06/<Action>` and admin endpoints under `sync/`, to plug into startApi3Server (alone,
 * or merged with the migration half into one dts endpoint).
 */
export function dtsSyncApi(options: { clock: Clock; pace: 'fast' | 'default'; random?: () => number }): {
  handlers: Map<string, Api3Handler>;
  admin: Map<string, AdminHandler>;
  close(): void;
  /** The jobs, for in-process tests. */
  store: SyncJobStore;
} {
  const store = new SyncJobStore(options.clock, PACES[options.pace], options.random ?? Math.random);
  const outcome: { current: CheckOutcome } = { current: CLEAN_OUTCOME };
  return {
    handlers: syncHandlers(store, () => outcome.current),
    admin: syncAdmin(store, outcome),
    close: () => store.close(),
    store,
  };
}

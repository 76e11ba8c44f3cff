import { isMaterialDelayChange } from '../../reconcile/delay-change.ts';
import type { PollerSettings } from '../polling/polled-account.ts';
import { SnapshotPoller, type ReadResult } from '../polling/snapshot-poller.ts';
import { MAX_BATCH_SIZE } from './batch.ts';
import type { DrsClient } from './client.ts';
import { toProgress, type DrsSnapshot } from './observation-mapping.ts';
import { ITEM_FAILURE_CODES } from './outcomes.ts';

export type PollerOptions = PollerSettings & {
  client: Pick<DrsClient, 'getStatuses' | 'getProgress' | 'getPrecheckResults'>;
};

/** Statuses with nothing moving: the slow interval applies when every job is in one. */
const STEADY = new Set(['INCRE_TRANSFER_STARTED', 'PAUSING', 'RELEASE_RESOURCE_COMPLETE', 'FULL_TRANSFER_COMPLETE', 'CHILD_TRANSFER_COMPLETE', 'RELEASE_CHILD_TRANSFER_COMPLETE', 'CREATE_FAILED', 'START_JOB_FAILED', 'FULL_TRANSFER_FAILED', 'INCRE_TRANSFER_FAILED', 'RELEASE_RESOURCE_FAILED', 'CHANGE_JOB_FAILED', 'CHILD_TRANSFER_FAILED', 'CONFIGURATION']);
/** Statuses worth a batch-progress call. */
const TRANSFERRING = new Set(['FULL_TRANSFER_STARTED', 'INCRE_TRANSFER_STARTED', 'CHILD_TRANSFER_STARTED', 'FULL_TRANSFER_COMPLETE']);
const transferring = (s: DrsSnapshot) => TRANSFERRING.has(s.status);

/**
 * One poller per DRS account. Each round refreshes every tracked job with batch-status (≤100
 * IDs a call), then batch-progress only for jobs that are transferring and
 * batch-precheck-result only for pre-checks still pending. Steady cost per interval:
 * ceil(N/100) batch-status calls, plus ceil(N/100) batch-progress calls for replicating jobs
 * (INCRE_TRANSFER_STARTED is polled for its delay). DRS says DELETED or "no such job"
 * explicitly, so a job is believed gone at once; one merely missing from an answer is not.
 */
export class DrsPoller extends SnapshotPoller<DrsSnapshot> {
  /** Pre-checks started and not finished (job ID → purpose, latest result): the only ones batch-precheck-result asks about. */
  readonly #prechecks = new Map<string, NonNullable<DrsSnapshot['precheck']>>();
  readonly #client: PollerOptions['client'];
  readonly #log: PollerOptions['log'];

  constructor({ client, ...options }: PollerOptions) {
    super({
      ...options,
      name: 'huawei-drs',
      read: (ids) => this.#read(ids),
      isSteady: (s) => STEADY.has(s.status) && !this.#prechecks.has(s.jobId),
      changed: snapshotChanged,
      callsPerRound: (jobs, snapshots) => Math.ceil(jobs / MAX_BATCH_SIZE) + Math.ceil(snapshots.filter(transferring).length / MAX_BATCH_SIZE),
      goneAfterRounds: 1,
    });
    this.#client = client;
    this.#log = options.log;
  }

  /** A pre-check was started: poll its result until it finishes; the cached one is from the previous. */
  expectPrecheck(jobId: string, purpose: 'start' | 'retry'): void {
    this.markStale(jobId);
    this.#prechecks.set(jobId, { purpose });
    if (this.peek(jobId)?.snapshot) this.update(jobId, (s) => ({ ...s!, precheck: { purpose } }));
  }

  override untrack(jobId: string): void {
    super.untrack(jobId);
    this.#prechecks.delete(jobId);
  }

  async #read(ids: string[]): Promise<Map<string, ReadResult<DrsSnapshot>>> {
    const answers = new Map<string, ReadResult<DrsSnapshot>>();
    const found = new Map<string, DrsSnapshot>();
    for (const o of await this.#client.getStatuses(ids)) {
      if (o.ok ? o.status === 'DELETED' : o.gone && o.code !== ITEM_FAILURE_CODES.missingResult) {
        // An explicit "no such job". A job merely missing from an answer is not trusted as gone:
        // that would remove finalizers or re-create jobs on a glitch.
        answers.set(o.jobId, { gone: true });
      } else if (!o.ok) {
        answers.set(o.jobId, { unreadable: `${o.code}: ${o.message}` });
      } else {
        const { error: _error, ...before } = this.peek(o.jobId)?.snapshot ?? {};
        const error = o.result.error_code ? { code: o.result.error_code, message: o.result.error_message ?? o.result.error_code } : undefined;
        const snapshot: DrsSnapshot = { ...before, jobId: o.jobId, status: o.status, ...(error ? { error } : {}) };
        found.set(o.jobId, snapshot);
        answers.set(o.jobId, { snapshot });
      }
    }
    await this.#attach('batch-progress', [...found.values()].filter(transferring), async (jobIds) => {
      for (const o of await this.#client.getProgress(jobIds)) if (o.ok) found.get(o.jobId)!.progress = o.progress;
    });
    await this.#attach('batch-precheck-result', [...found.values()].filter((s) => this.#prechecks.has(s.jobId)), async (jobIds) => {
      for (const o of await this.#client.getPrecheckResults(jobIds)) {
        const purpose = this.#prechecks.get(o.jobId)?.purpose;
        if (!o.ok || !purpose) continue;
        found.get(o.jobId)!.precheck = { purpose, result: o.result };
        if (o.result.process === '100%') this.#prechecks.delete(o.jobId);
        else this.#prechecks.set(o.jobId, { purpose, result: o.result });
      }
    });
    // A pending pre-check wins over what the snapshot had: it may have started while this round was in flight.
    for (const s of found.values()) s.precheck = this.#prechecks.get(s.jobId) ?? s.precheck;
    return answers;
  }

  /** A follow-up query for some of the jobs; if it fails, they keep what they had and the next round asks again. */
  async #attach(what: string, snapshots: DrsSnapshot[], query: (jobIds: string[]) => Promise<void>): Promise<void> {
    if (snapshots.length === 0) return;
    try {
      await query(snapshots.map((s) => s.jobId));
    } catch (error) {
      this.#log?.warn({ provider: 'huawei-drs', error: String(error) }, `DRS ${what} failed; retrying next round`);
    }
  }
}

/** Worth a reconcile: status, error code, progress, a material delay change, or the pre-check moved. */
export function snapshotChanged(before: DrsSnapshot | undefined, after: DrsSnapshot): boolean {
  if (before?.status !== after.status || before?.error?.code !== after.error?.code) return true;
  const b = before.progress ? toProgress(before.progress) : undefined;
  const a = after.progress ? toProgress(after.progress) : undefined;
  if (b?.percent !== a?.percent || isMaterialDelayChange(b?.incrementalDelaySeconds, a?.incrementalDelaySeconds)) return true;
  const bp = before.precheck?.result;
  const ap = after.precheck?.result;
  return bp?.process !== ap?.process || bp?.result !== ap?.result;
}

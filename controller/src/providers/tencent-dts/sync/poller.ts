import { isMaterialDelayChange } from '../../../reconcile/delay-change.ts';
import type { PollerSettings } from '../../polling/polled-account.ts';
import { SnapshotPoller, chunks, type ReadResult } from '../../polling/snapshot-poller.ts';
import { DESCRIBE_BATCH, type DtsSyncClient } from './client.ts';
import { needsCheckRead, snapshotOf, toProgress, type DtsSyncSnapshot } from './observation-mapping.ts';
import { isGoneStatus, isSteadyStatus } from './status-map.ts';

export type DtsSyncPollerOptions = PollerSettings & {
  client: Pick<DtsSyncClient, 'describeByIds' | 'describeCheckSyncJobResult'>;
};

/**
 * One poller per DTS account. Each round reads every tracked job with DescribeSyncJobs by
 * JobIds (≤100 a call: status, billing state, steps, progress, delay and error all come in that
 * one answer), then DescribeCheckSyncJobResult only for jobs in the check phase whose result is
 * not settled yet. Steady cost per interval: ceil(N/100) DescribeSyncJobs calls, nothing per job.
 */
export class DtsSyncPoller extends SnapshotPoller<DtsSyncSnapshot> {
  readonly #client: DtsSyncPollerOptions['client'];
  readonly #log: DtsSyncPollerOptions['log'];

  constructor({ client, ...settings }: DtsSyncPollerOptions) {
    super({
      ...settings,
      name: 'tencent-dts-sync',
      read: (ids) => this.#read(ids),
      isSteady: (s) => isSteadyStatus(s.status, s.tradeStatus, s.detail) && !needsCheckRead(s),
      changed: snapshotChanged,
      callsPerRound: (jobs, snapshots) => Math.ceil(jobs / DESCRIBE_BATCH) + snapshots.filter(needsCheckRead).length,
    });
    this.#client = client;
    this.#log = settings.log;
  }

  /** A new check was asked for: the cached result is from the previous one. */
  expectCheck(jobId: string): void {
    this.update(jobId, (s) => withoutCheck(s, jobId));
    this.markStale(jobId);
  }

  async #read(ids: string[]): Promise<Map<string, ReadResult<DtsSyncSnapshot>>> {
    const answers = new Map<string, ReadResult<DtsSyncSnapshot>>();
    await Promise.all(
      chunks(ids, DESCRIBE_BATCH).map(async (batch) => {
        try {
          const found = new Map((await this.#client.describeByIds(batch)).flatMap((info) => (info.JobId ? [[info.JobId, { ...info, JobId: info.JobId }] as const] : [])));
          for (const id of batch) {
            const info = found.get(id);
            // Asked by ID, DTS lists every job that exists: absence means gone (the poller still
            // wants it missing twice before believing it, for a job it has seen).
            if (!info || isGoneStatus(info.Status)) answers.set(id, { gone: true });
            else answers.set(id, { snapshot: snapshotOf(info, this.peek(id)?.snapshot) });
          }
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error);
          for (const id of batch) answers.set(id, { unreadable: why });
        }
      }),
    );
    const checking = [...answers.values()].flatMap((a) => ('snapshot' in a && needsCheckRead(a.snapshot) ? [a.snapshot] : []));
    await Promise.all(
      checking.map(async (snapshot) => {
        try {
          const result = await this.#client.describeCheckSyncJobResult(snapshot.jobId);
          snapshot.check = { readInStatus: snapshot.status, result };
        } catch (error) {
          // The check stays unsettled this round; the next round asks again.
          this.#log?.debug({ provider: 'tencent-dts', jobId: snapshot.jobId, error: String(error) }, 'DescribeCheckSyncJobResult failed');
        }
      }),
    );
    return answers;
  }
}

function withoutCheck(s: DtsSyncSnapshot | undefined, jobId: string): DtsSyncSnapshot {
  if (!s) return { jobId, status: 'Unknown' };
  const { check: _check, ...rest } = s;
  return rest;
}

/** Worth a reconcile: status, billing, step, progress, error, check or a material delay change. */
export function snapshotChanged(before: DtsSyncSnapshot | undefined, after: DtsSyncSnapshot): boolean {
  if (!before) return true;
  if (before.status !== after.status || before.tradeStatus !== after.tradeStatus) return true;
  const b = before.detail;
  const a = after.detail;
  if (b?.StepNow !== a?.StepNow || b?.StepAll !== a?.StepAll || b?.Progress !== a?.Progress) return true;
  if (b?.ErrInfo?.Reason !== a?.ErrInfo?.Reason || b?.ErrInfo?.Message !== a?.ErrInfo?.Message) return true;
  if (isMaterialDelayChange(toProgress(b).incrementalDelaySeconds, toProgress(a).incrementalDelaySeconds)) return true;
  const bc = before.check;
  const ac = after.check;
  return bc?.readInStatus !== ac?.readInStatus || bc?.result.Status !== ac?.result.Status || bc?.result.StepCur !== ac?.result.StepCur || bc?.result.Progress !== ac?.result.Progress;
}

import type { ReplicationJob } from '../../controller/src/api/resources.ts';
import type { TestObjects } from './operator-harness.ts';
import { eventually } from './test-cluster.ts';

type Condition = NonNullable<NonNullable<ReplicationJob['status']>['conditions']>[number];

/** The condition of one type on a job, if the operator has written it. */
export function condition(job: ReplicationJob, type: string): Condition | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}

/**
 * What the end-to-end tests do with their ReplicationJobs between assertions: read one, patch it,
 * wait until the operator has brought it somewhere, wait until it is gone. `where.api` is read at
 * each call, so the helpers can be made at describe time, before beforeAll has started anything.
 * `timeoutMs` is how long a wait lasts when the call does not say.
 */
export function replicationJobs(where: { readonly api: TestObjects }, { timeoutMs = 15_000 } = {}) {
  const job = (name: string) => where.api.getJob(name);
  /** Polls the job until `ok` holds, and answers the job as it then was. */
  const waitFor = (name: string, ok: (j: ReplicationJob) => boolean, what: string, timeout = timeoutMs) =>
    eventually(
      async () => {
        const j = await job(name);
        return ok(j) ? j : undefined;
      },
      `${name}: ${what}`,
      timeout,
    );
  return {
    job,
    /** A merge patch of the whole object (`{ spec }`, `{ metadata }`). */
    patch: (name: string, body: object) => where.api.patchJob(name, body),
    /** A merge patch of the spec only. */
    patchSpec: (name: string, change: object) => where.api.patchJob(name, { spec: change }),
    waitFor,
    waitPhase: (name: string, phase: string, timeout = timeoutMs) => waitFor(name, (j) => j.status?.phase === phase, `phase ${phase}`, timeout),
    /** Waits until the job is deleted (every finalizer removed): its GET answers 404. One parameter, for `names.map(gone)`. */
    gone: (name: string) =>
      eventually(
        () =>
          job(name).then(
            () => undefined,
            (e: { code?: number }) => e.code === 404,
          ),
        `${name} deleted`,
        timeoutMs,
      ),
  };
}

import { ProviderHttpError } from '../http/errors.ts';
import type { ReadResult } from '../polling/snapshot-poller.ts';
import type { ClickHouseClient } from './client.ts';
import { CH_ERROR_CODES } from './errors.ts';
import { parseJobId } from './job-id.ts';
import type { ReplicationSnapshot } from './observation-mapping.ts';
import type { ListedReplication } from './schemas.ts';

/** What the reader needs to know about a job the list does not show. */
export interface JobMemory {
  /** When start() was accepted (in this process). */
  startedAt?: number;
  deleteRequested?: boolean;
  /** The list has shown this database since the job was (re)created in this process. */
  seenListed?: boolean;
}

export interface ReaderOptions {
  client: Pick<ClickHouseClient, 'listReplications'>;
  memoryOf(jobId: string): JobMemory | undefined;
  /** How long a started task may take to appear in the list before it counts as gone. */
  startGraceMs: number;
  now(): number;
}

/**
 * One poll round: one paged list per ClickHouse instance (100 replications a call), however
 * many jobs the instance has. A database the list leaves out is gone when the job was deleted,
 * started more than startGraceMs ago, or listed before (deleted outside the operator);
 * otherwise it is a registered job that has not been started (Configuring). An instance that
 * does not exist lists nothing. A failed listing leaves that instance's jobs unreadable.
 */
export function createReplicationReader(o: ReaderOptions): (ids: string[]) => Promise<Map<string, ReadResult<ReplicationSnapshot>>> {
  return async (ids) => {
    const out = new Map<string, ReadResult<ReplicationSnapshot>>();
    const byInstance = new Map<string, { jobId: string; database: string }[]>();
    for (const jobId of ids) {
      const key = parseJobId(jobId);
      if (!key) {
        out.set(jobId, { unreadable: `${jobId} is not a huawei-clickhouse job ID (<ClickHouse instance ID>/<database>)` });
        continue;
      }
      const jobs = byInstance.get(key.instanceId) ?? [];
      jobs.push({ jobId, database: key.database });
      byInstance.set(key.instanceId, jobs);
    }
    await Promise.all(
      [...byInstance].map(async ([instanceId, jobs]) => {
        let listed: { replications: ListedReplication[]; pages: number };
        try {
          listed = await o.client.listReplications(instanceId);
        } catch (error) {
          if (!(error instanceof ProviderHttpError && error.code === CH_ERROR_CODES.instanceNotFound)) {
            const reason = error instanceof Error ? error.message : String(error);
            for (const job of jobs) out.set(job.jobId, { unreadable: reason });
            return;
          }
          listed = { replications: [], pages: 1 };
        }
        const byDatabase = new Map(listed.replications.map((r) => [r.source_database, r]));
        for (const job of jobs) out.set(job.jobId, resultFor(job.jobId, byDatabase.get(job.database), listed.pages, o));
      }),
    );
    return out;
  };
}

function resultFor(jobId: string, replication: ListedReplication | undefined, pages: number, o: ReaderOptions): ReadResult<ReplicationSnapshot> {
  const memory = o.memoryOf(jobId);
  if (replication) {
    if (memory) memory.seenListed = true;
    return { snapshot: { jobId, replication, pages } };
  }
  if (memory?.deleteRequested || memory?.seenListed) return { gone: true };
  if (memory?.startedAt !== undefined) {
    if (o.now() - memory.startedAt < o.startGraceMs) return { snapshot: { jobId, startPending: true, pages } };
    return { gone: true };
  }
  return { snapshot: { jobId, pages } };
}

/** Calls one round costs: each instance's pages once, not once per job. */
export function callsPerRound(snapshots: ReplicationSnapshot[], instancesTracked: number): number {
  const pagesByInstance = new Map<string, number>();
  for (const s of snapshots) {
    const instance = parseJobId(s.jobId)?.instanceId ?? s.jobId;
    pagesByInstance.set(instance, Math.max(pagesByInstance.get(instance) ?? 0, s.pages));
  }
  let calls = 0;
  for (const pages of pagesByInstance.values()) calls += pages;
  // Instances not read successfully yet still cost at least one call.
  return calls + Math.max(0, instancesTracked - pagesByInstance.size);
}

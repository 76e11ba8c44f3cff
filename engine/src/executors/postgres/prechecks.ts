import type { JobRecord, PrecheckItemResult } from '../../job.ts';
import type { PrecheckMode } from '../../statuses.ts';
import { resolveSourceTables, serverFacts, targetTableStates } from './catalog.ts';
import { connectionFailure } from './connection-errors.ts';
import type { PgEndpoint } from './endpoints.ts';
import type { PoolRegistry } from './pools.ts';
import { evaluatePrechecks, type EndpointFacts, type PrecheckFacts } from './precheck-rules.ts';
import { taskEndpoints } from './task-endpoints.ts';
import { taskStateOf } from './task-state.ts';

/** Runs the PostgreSQL pre-check of a task: gathers facts from both servers, then applies precheck-rules.ts. */
export async function runPrechecks(
  pools: PoolRegistry,
  job: Readonly<JobRecord>,
  options: { mode: PrecheckMode; pgDumpMajor: number | undefined; onProgress: (fraction: number) => void },
): Promise<PrecheckItemResult[]> {
  const steps = 4;
  let done = 0;
  const step = (): void => options.onProgress(++done / steps);

  const { source, target, selection } = taskEndpoints(job);

  const [sourceFacts, targetFacts] = await Promise.all([endpointFacts(pools, source), endpointFacts(pools, target)]);
  step();
  const facts: PrecheckFacts = {
    taskType: job.taskType,
    selection,
    source: sourceFacts,
    target: targetFacts,
    pgDumpMajor: options.pgDumpMajor,
    sourceUser: source.user,
    targetUser: target.user,
    alreadyReplicating: options.mode === 'forRetryJob' || taskStateOf(job).provisioned === true,
  };
  if (selection.ok && sourceFacts.facts) {
    try {
      facts.tables = await resolveSourceTables(pools, source, selection.selection);
    } catch {
      // reported by userSelectObjectsCheck ("could not be read")
    }
  }
  step();
  if (facts.tables && targetFacts.facts) {
    try {
      facts.targetTables = await targetTableStates(pools, target, facts.tables.tables);
    } catch {
      // the target could be reached a moment ago; leave the item unchecked
    }
  }
  step();
  const items = evaluatePrechecks(facts);
  step();
  return items;
}

async function endpointFacts(pools: PoolRegistry, endpoint: PgEndpoint): Promise<EndpointFacts> {
  try {
    return { facts: await serverFacts(pools, endpoint) };
  } catch (error) {
    const failure = connectionFailure(error);
    return { error: { errorCode: failure.errorCode!, errorMsg: failure.errorMsg! } };
  }
}

import type { ProviderErrorKind } from '../http/errors.ts';

/**
 * CDB data-sync business error codes (seed table of CreateCdbDataSyncTask, and the tables of
 * CheckCdbDataSyncTask / GetCdbDataSyncTaskList) → the shared error kinds. Codes outside this
 * table fall back to the v2 common codes (tencent/v2-client.ts).
 */
const KINDS: ReadonlyMap<number, ProviderErrorKind> = new Map([
  // The request is wrong: only a spec change helps.
  [9003, 'invalid'], // InvalidParameter
  [9572, 'invalid'], // InstanceNotExists: spec.source/target.instanceId names no instance
  [9544, 'invalid'], // OperationDenied: instance does not exist
  [9631, 'invalid'], // OperationDenied: task data error
  [9634, 'invalid'], // OperationDenied: self-built synchronization is not allowed
  [30000, 'invalid'],
  [30001, 'invalid'],
  [30002, 'invalid'],
  [30004, 'invalid'], // source instance information
  [30005, 'invalid'], // destination instance information
  [30011, 'invalid'],
  [30012, 'invalid'], // the availability zone does not support disaster recovery
  [30013, 'invalid'], // region information
  // The service is failing: retry with backoff.
  [9006, 'unavailable'],
  [9013, 'unavailable'], // InternalError
  [9016, 'unavailable'],
  [9589, 'unavailable'],
  [9590, 'unavailable'],
  // Something else holds the task or instance right now.
  [9570, 'busy'], // process conflict
  [9592, 'busy'], // the source or destination instance already has a running task
  [9593, 'busy'], // abnormal instance status
  // Not in a state that allows the call: re-read the task, then decide again.
  [30010, 'conflict'], // in progress, cannot be modified
  [30016, 'conflict'], // not allowed in the current synchronization status
  // The task does not exist.
  [30009, 'notFound'],
  [9591, 'notFound'],
]);

export function kindForCdbCode(code: number): ProviderErrorKind | undefined {
  return KINDS.get(code);
}

/** Codes that mean "no such task" (delete is then already done). */
export const TASK_NOT_FOUND_CODES: ReadonlySet<string> = new Set(['30009', '9591']);

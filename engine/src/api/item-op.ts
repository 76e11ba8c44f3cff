import { drsError, type DrsError } from '../drs-errors.ts';
import type { JobRecord } from '../job.ts';
import type { DraftContext } from '../job-runtime.ts';
import { stateViewOf } from '../job-transitions.ts';
import { checkOperation, type NextState, type Operation } from '../state-machine.ts';
import type { PauseMode } from '../statuses.ts';
import type { ApiContext } from './api-context.ts';

/**
 * One item of a batch operation on an existing task, with the checks every item gets, in the
 * order DRS reports them: injected busy (DRS.M01504), unknown task (DRS.M00289), deleted task
 * (DRS.M05004), state constraints (state-machine.ts). Then `apply` edits the job under its
 * lock; it may refuse with `throw new ItemRefusal(error)`, and then nothing is committed.
 */
export type ItemOutcome<T> = { ok: true; value: T } | { ok: false; error: DrsError };

export interface ItemOpOptions {
  endpoint: string;
  op: Operation | ((job: Readonly<JobRecord>) => Operation);
  pauseMode?: PauseMode;
}

export async function runItemOp<T>(
  api: ApiContext,
  jobId: string,
  options: ItemOpOptions,
  apply: (draft: JobRecord, ctx: DraftContext, next: NextState) => Promise<T>,
): Promise<ItemOutcome<T>> {
  if (api.itemBusy(options.endpoint)) return { ok: false, error: drsError('DRS.M01504') };
  const outcome = await api.runtime.mutate(jobId, async (draft, ctx): Promise<ItemOutcome<T> | undefined> => {
    if (!visibleTo(api, draft)) {
      ctx.discard();
      return undefined;
    }
    const op = typeof options.op === 'function' ? options.op(draft) : options.op;
    const verdict = checkOperation(op, stateViewOf(draft), options.pauseMode);
    if (!verdict.allowed) {
      ctx.discard();
      // The seed's messages go out verbatim; only "cannot be called in the current status" says which rule applied.
      return { ok: false, error: drsError(verdict.code, verdict.code === 'DRS.M00304' || verdict.code === 'DRS.M00300' ? verdict.reason : undefined) };
    }
    try {
      return { ok: true, value: await apply(draft, ctx, verdict.next) };
    } catch (error) {
      ctx.discard();
      if (error instanceof ItemRefusal) return { ok: false, error: error.drsError };
      return { ok: false, error: drsError('DRS.M00004', (error as Error).message) };
    }
  });
  if (!outcome.found || outcome.value === undefined) return { ok: false, error: drsError('DRS.M00289', jobId) };
  return outcome.value;
}

/** Tasks belong to the project they were created in; other projects cannot see them. */
export function visibleTo(api: ApiContext, job: Readonly<JobRecord>): boolean {
  return api.projectId === undefined || job.projectId === api.projectId;
}

/** Thrown by an item's `apply` to refuse it with a DRS error (its changes are dropped). */
export class ItemRefusal extends Error {
  readonly drsError: DrsError;

  constructor(error: DrsError) {
    super(error.error_msg);
    this.drsError = error;
  }
}

/** `{id, status: "success"}` or `{id, status: "failed", error_code, error_msg}`: most action results. */
export function actionResult(id: string, outcome: ItemOutcome<unknown>): Record<string, unknown> {
  return outcome.ok ? { id, status: 'success' } : { id, status: 'failed', ...outcome.error };
}

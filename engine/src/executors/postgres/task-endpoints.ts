import type { JobRecord } from '../../job.ts';
import { DEFAULT_DATABASE, databaseOf, pgEndpointOf, type PgEndpoint } from './endpoints.ts';
import { selectionOf, type SelectionResult } from './selection.ts';

/** Both endpoints of a task, on the databases its selection names (endpoint db_name, else the selected database). */
export interface TaskEndpoints {
  source: PgEndpoint;
  target: PgEndpoint;
  selection: SelectionResult;
}

export function taskEndpoints(job: Readonly<JobRecord>): TaskEndpoints {
  const selection = selectionOf(job);
  const sourceDatabase = selection.ok ? selection.selection.sourceDatabase : (databaseOf(job.source) ?? DEFAULT_DATABASE);
  const targetDatabase = selection.ok ? selection.selection.targetDatabase : (databaseOf(job.target) ?? sourceDatabase);
  return { source: pgEndpointOf(job.source, sourceDatabase), target: pgEndpointOf(job.target, targetDatabase), selection };
}

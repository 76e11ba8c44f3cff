import type { Clock } from '../clock.ts';
import type { Executor } from '../executor.ts';
import type { JobRuntime } from '../job-runtime.ts';
import type { TaskNames } from './task-names.ts';

/** What every DRS API operation works with. */
export interface ApiContext {
  /** The project of the request path: tasks of other projects do not exist for it. */
  projectId?: string;
  runtime: JobRuntime;
  executor: Executor;
  clock: Clock;
  /** A new task ID in DRS's shape (a UUID whose tail carries "jb" + a type code). */
  newJobId(dbUseType: string): string;
  /** Task-name uniqueness, or undefined when duplicate names are allowed. */
  names: TaskNames | undefined;
  /** Fault injection: should this item of this endpoint be answered "busy" (DRS.M01504)? */
  itemBusy(endpoint: string): boolean;
}

/** A DRS API answer, before it becomes an HTTP response. */
export interface ApiResponse {
  status: number;
  body: unknown;
}

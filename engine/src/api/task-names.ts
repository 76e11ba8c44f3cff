import type { JobStore } from '../store.ts';

/**
 * Task-name uniqueness (DRS.M00277 "The task name already exists") within a project,
 * case-insensitive like DRS names. Names being created right now are held here until their job is committed, so two
 * concurrent batches cannot both take one name.
 */
export class TaskNames {
  private readonly store: JobStore;
  private readonly pending = new Set<string>();

  constructor(store: JobStore) {
    this.store = store;
  }

  /** Takes `name` for `jobId`; false when a live job or a pending creation of the project already has it. */
  claim(projectId: string, name: string, jobId: string): boolean {
    const key = keyOf(projectId, name);
    if (this.pending.has(key)) return false;
    if (this.store.idsNamed(name).some((id) => id !== jobId && this.store.get(id)?.projectId === projectId)) return false;
    this.pending.add(key);
    return true;
  }

  /** Ends a claim (after the job is committed, or when its creation was refused). */
  release(projectId: string, name: string): void {
    this.pending.delete(keyOf(projectId, name));
  }
}

function keyOf(projectId: string, name: string): string {
  return `${projectId}/${name.toLowerCase()}`;
}

import type { ReadResult } from '../polling/snapshot-poller.ts';
import { PAGE_SIZE, type CdbClient, type TaskPage } from './client.ts';
import type { CdbTaskSnapshot } from './observation-mapping.ts';

/** Safety stop for a list that never ends (a provider bug): 100,000 tasks. */
const MAX_PAGES = 1000;

/**
 * One poll round's reads for the SnapshotPoller. GetCdbDataSyncTaskList filters by one jobId at
 * most (no ID list), so a round reads the first page of the account's list (100 tasks, and the
 * total count), then whichever is cheaper for the tracked tasks not on it: the remaining pages,
 * or one jobId-filtered call per missing task. A round costs 1 + min(missing, pages - 1) calls:
 * never more than ceil(tasks in the account / 100), and about one per job on a crowded account
 * with few operator jobs.
 *
 * A task absent from a complete pass over the list, or from its own jobId query, is reported
 * gone; the poller believes that only after consecutive rounds agree, which covers tasks that
 * shift between pages while others are deleted.
 */
export class CdbTaskReader {
  readonly #client: Pick<CdbClient, 'listTasks'>;
  /** Tasks in the account at the last round (undefined before the first). */
  #accountTasks: number | undefined;

  constructor(client: Pick<CdbClient, 'listTasks'>) {
    this.#client = client;
  }

  async read(ids: string[]): Promise<Map<string, ReadResult<CdbTaskSnapshot>>> {
    const wanted = new Set(ids);
    const seen = new Map<string, CdbTaskSnapshot>();
    const keep = (page: TaskPage) => {
      for (const task of page.tasks) if (wanted.has(task.jobId)) seen.set(task.jobId, task);
    };
    const first = await this.#client.listTasks({ offset: 0, limit: PAGE_SIZE });
    this.#accountTasks = first.totalCount;
    keep(first);
    const results = new Map<string, ReadResult<CdbTaskSnapshot>>();
    const missing = () => ids.filter((id) => !seen.has(id));
    const pagesLeft = Math.min(MAX_PAGES, Math.ceil(first.totalCount / PAGE_SIZE)) - 1;

    // Whether "not seen" proves "gone": false only when the page cap cut a pass short.
    let complete = true;
    if (first.returned >= PAGE_SIZE && missing().length > 0) {
      if (missing().length < pagesLeft) {
        await Promise.all(
          missing().map(async (id) => {
            try {
              const page = await this.#client.listTasks({ jobId: id, limit: 1 });
              const task = page.tasks.find((t) => t.jobId === id);
              results.set(id, task ? { snapshot: task } : { gone: true });
            } catch (error) {
              results.set(id, { unreadable: error instanceof Error ? error.message : String(error) });
            }
          }),
        );
      } else {
        // Trust totalCount: with no page left, the first page was the whole list.
        complete = pagesLeft <= 0;
        for (let page = 1, offset = PAGE_SIZE; page <= pagesLeft; page++, offset += PAGE_SIZE) {
          const next = await this.#client.listTasks({ offset, limit: PAGE_SIZE });
          keep(next);
          if (next.returned < PAGE_SIZE || page === pagesLeft || missing().length === 0) {
            complete = next.returned < PAGE_SIZE || Math.ceil(first.totalCount / PAGE_SIZE) <= MAX_PAGES || missing().length === 0;
            break;
          }
        }
      }
    }
    for (const id of ids) {
      if (results.has(id)) continue;
      const task = seen.get(id);
      results.set(id, task ? { snapshot: task } : complete ? { gone: true } : { unreadable: `not within the first ${MAX_PAGES} pages of the task list` });
    }
    return results;
  }

  /** What the next round will cost at most, for the poller's budget. */
  callsPerRound(trackedJobs: number): number {
    if (trackedJobs === 0) return 0;
    if (this.#accountTasks === undefined) return Math.ceil(trackedJobs / PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(this.#accountTasks / PAGE_SIZE));
    return 1 + Math.min(trackedJobs, pages - 1);
  }
}

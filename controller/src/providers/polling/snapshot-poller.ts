import type { Clock } from '../../clock.ts';

/**
 * The batched observation loop every provider account shares: one poller per account keeps a
 * snapshot of every tracked job, refreshed in rounds by the provider's batch read (≤100 IDs a
 * call, or a paged list). Reconciles read the snapshot instead of calling the provider; a job
 * whose snapshot changed is reported through onChange so its reconcile runs — level-triggered,
 * batched. An action marks its job stale, and the next read waits for a round that started
 * after the action, so a plan never acts twice on a state its own action already changed.
 *
 * The provider supplies `read` (one round's answers for the given IDs) and says which
 * snapshots are steady (slow interval) and what counts as a change.
 */
export type ReadResult<S> =
  /** The provider reported the job. */
  | { snapshot: S }
  /** The provider says the job does not exist (an explicit "not found", or absent from an authoritative answer). */
  | { gone: true }
  /** The job could not be read this round (per-item error); the previous snapshot stays. */
  | { unreadable: string };

export interface SnapshotPollerOptions<S> {
  /** Log and metric name ("tencent-dts"). */
  name: string;
  /**
   * Read one round. Gets every tracked ID (the source splits them into batch calls) and returns
   * what it learned; an ID missing from the map is treated as unreadable this round.
   */
  read(ids: string[]): Promise<Map<string, ReadResult<S>>>;
  /** Nothing moves in this state: the steady interval applies when every job is steady. */
  isSteady(snapshot: S): boolean;
  /** Whether the reconcile of the job needs to run (status, progress, check result ... moved). */
  changed(before: S | undefined, after: S): boolean;
  /** Calls one round costs for these snapshots, to keep polling within half the request budget. */
  callsPerRound(jobs: number, snapshots: S[]): number;
  /**
   * Consecutive rounds a job once seen must be reported gone before it is believed gone
   * (a list that glitches once must not remove finalizers or re-create jobs). Default 2.
   */
  goneAfterRounds?: number;
  activeMs: number;
  steadyMs: number;
  /** The account's request budget; polling uses at most half of it, stretching the interval. */
  requestsPerSecond: number;
  clock: Clock;
  random?: () => number;
  onChange: (jobId: string) => void;
  onStretched?: () => void;
  log?: PollLog;
}

/** Where a poller reports failed rounds (the account's pino logger, or a test's). */
export interface PollLog {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface TrackedJob<S> {
  snapshot?: S;
  gone: boolean;
  /** An action changed the job: its snapshot is not to be trusted until a round started after it. */
  stale: boolean;
  /** The first round number whose answers reflect the latest action. */
  freshFromRound: number;
  /** The last round could not read the job. */
  unreadable?: string;
  /** Consecutive rounds that reported the job gone while it had a snapshot. */
  goneRounds: number;
}

export class SnapshotPoller<S> {
  readonly #o: SnapshotPollerOptions<S> & { random: () => number; goneAfterRounds: number };
  readonly #jobs = new Map<string, TrackedJob<S>>();
  readonly #waiters: (() => void)[] = [];
  #timer: unknown;
  #running = false;
  #round: Promise<void> | undefined;
  #kickArmed = false;
  #stopped = true;
  #roundNo = 0;
  /** Rounds completed, for tests and the benchmark. */
  rounds = 0;

  constructor(options: SnapshotPollerOptions<S>) {
    this.#o = { random: Math.random, goneAfterRounds: 2, ...options };
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#o.clock.clearTimeout(this.#timer);
    await this.#round;
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  track(jobId: string): void {
    if (!this.#jobs.has(jobId)) {
      this.#jobs.set(jobId, { gone: false, stale: true, freshFromRound: 0, goneRounds: 0 });
      this.kick();
    }
  }

  untrack(jobId: string): void {
    this.#jobs.delete(jobId);
  }

  get size(): number {
    return this.#jobs.size;
  }

  /** The current knowledge of a job without waiting (undefined when untracked). */
  peek(jobId: string): TrackedJob<S> | undefined {
    return this.#jobs.get(jobId);
  }

  /** An action changed the job: distrust the snapshot until the next round, and come soon. */
  markStale(jobId: string): void {
    // A round already in flight may have read the job before the action: only a later one counts.
    const freshFromRound = this.#roundNo + 1;
    const job = this.#jobs.get(jobId);
    if (job) Object.assign(job, { stale: true, freshFromRound });
    else this.#jobs.set(jobId, { gone: false, stale: true, freshFromRound, goneRounds: 0 });
    this.kick();
  }

  /** Replace a job's snapshot locally (an action whose effect is known without asking). */
  update(jobId: string, change: (snapshot: S | undefined) => S): void {
    const job = this.#jobs.get(jobId);
    if (job) job.snapshot = change(job.snapshot);
  }

  /** The freshest knowledge of a job; waits for a round when it is unknown or stale. */
  async read(jobId: string): Promise<TrackedJob<S>> {
    this.track(jobId);
    // Two rounds at most: one may already be in flight with answers from before an action.
    for (let i = 0; i < 2; i++) {
      const job = this.#jobs.get(jobId);
      if (!job || (!job.stale && (job.snapshot || job.gone))) break;
      await this.#nextRound();
    }
    return this.#jobs.get(jobId) ?? { gone: true, stale: false, freshFromRound: 0, goneRounds: 0 };
  }

  /** Run a round soon (coalescing the many reconciles that ask at once into one). */
  kick(): void {
    if (this.#kickArmed || this.#stopped) return;
    this.#kickArmed = true;
    this.#o.clock.setTimeout(() => {
      this.#kickArmed = false;
      if (!this.#running) this.#schedule(0);
    }, 20);
  }

  #nextRound(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.kick();
    });
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer !== undefined) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#round = this.#runRound();
    }, ms);
  }

  async #runRound(): Promise<void> {
    if (this.#running || this.#stopped) return;
    this.#running = true;
    this.#roundNo++;
    const waiters = this.#waiters.splice(0);
    try {
      await this.#refresh();
    } catch (error) {
      this.#o.log?.warn({ provider: this.#o.name, error: String(error) }, 'Poll round failed; retrying next interval');
    } finally {
      this.#running = false;
      this.rounds++;
      for (const resolve of waiters) resolve();
      // Reconciles that asked during this round need the next one.
      if (this.#waiters.length > 0) this.#schedule(20);
      else this.#schedule(this.#interval());
    }
  }

  async #refresh(): Promise<void> {
    const ids = [...this.#jobs.keys()];
    if (ids.length === 0) return;
    const answers = await this.#o.read(ids);
    const changed: string[] = [];
    for (const id of ids) {
      const job = this.#jobs.get(id);
      if (!job) continue;
      const answer = answers.get(id) ?? { unreadable: 'the provider did not report this job' };
      const fresh = this.#roundNo >= job.freshFromRound;
      if ('snapshot' in answer) {
        const before = job.snapshot;
        job.snapshot = answer.snapshot;
        if (job.gone || this.#o.changed(before, answer.snapshot)) changed.push(id);
        job.gone = false;
        job.goneRounds = 0;
        delete job.unreadable;
        if (fresh) job.stale = false;
      } else if ('gone' in answer) {
        job.goneRounds++;
        delete job.unreadable;
        // A job never seen is gone at once (the planner's create grace covers eventual
        // consistency); one seen before must stay missing for goneAfterRounds rounds.
        const believed = !job.snapshot || job.goneRounds >= this.#o.goneAfterRounds;
        if (believed) {
          if (!job.gone) changed.push(id);
          job.gone = true;
          if (fresh) job.stale = false;
        } else {
          this.kick();
        }
      } else {
        job.unreadable = answer.unreadable;
      }
    }
    for (const id of changed) this.#o.onChange(id);
  }

  /** Active while anything moves, steady otherwise; stretched to fit the request budget; jittered. */
  #interval(): number {
    const jobs = [...this.#jobs.values()];
    const snapshots = jobs.flatMap((j) => (j.snapshot && !j.gone ? [j.snapshot] : []));
    const moving = jobs.some((j) => j.stale || (j.goneRounds > 0 && !j.gone) || (j.snapshot && !j.gone && !this.#o.isSteady(j.snapshot)));
    const base = moving ? this.#o.activeMs : this.#o.steadyMs;
    const minMs = (this.#o.callsPerRound(jobs.length, snapshots) / (this.#o.requestsPerSecond / 2)) * 1000;
    let interval = base;
    if (minMs > base) {
      interval = minMs;
      this.#o.onStretched?.();
    }
    return Math.round(interval * (0.9 + this.#o.random() * 0.2));
  }
}

/** Split IDs into batches of at most `size` (the providers' batch query limit, usually 100). */
export function chunks<T>(items: readonly T[], size = 100): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

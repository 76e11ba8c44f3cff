import pg from 'pg';
import { ItemRefusal } from '../../api/item-op.ts';
import { drsError } from '../../drs-errors.ts';
import type { ConnectionTarget, ConnectionTestResult, Executor, ExecutorHost, JobContext, ProgressReport } from '../../executor.ts';
import type { JobRecord } from '../../job.ts';
import { silentLogger, type EngineLogger } from '../../logger.ts';
import type { EndpointType, JobStatus, PauseMode, PrecheckMode } from '../../statuses.ts';
import { findPostgresBinDir, postgresProgram, programMajorVersion } from './binaries.ts';
import { connectionFailure } from './connection-errors.ts';
import { DEFAULT_DATABASE, databaseOf, pgEndpointOf, type PgEndpoint } from './endpoints.ts';
import { clientConfig, PoolRegistry } from './pools.ts';
import { runPrechecks } from './prechecks.ts';
import { phasesOf } from './progress.ts';
import { setSubscriptionConnection, subscriptionState } from './replication.ts';
import { staticSelectionProblems } from './selection.ts';
import { taskEndpoints } from './task-endpoints.ts';
import { patchedState, taskStateOf } from './task-state.ts';
import { needsWatching, TaskWatcher, type CachedProgress } from './task-watcher.ts';

/**
 * The PostgreSQL data plane: `engine_type: postgresql` tasks replicate with PostgreSQL's own
 * logical replication — a publication of the selected tables on the source, a subscription on
 * the target (table definitions copied first with pg_dump). The engine's job record is the
 * only state: object names derive from the task ID, and a TaskWatcher per running task makes
 * PostgreSQL match the task's status, so after a restart (kill -9 included) `recover` simply
 * starts the watchers again; replication itself never stopped — it runs inside PostgreSQL.
 *
 * Mode mapping: FULL_TRANS = copy, then drop the subscription; FULL_INCR_TRANS = copy, then
 * stream; INCR_TRANS = stream only (copy_data = false). Pause = ALTER SUBSCRIPTION DISABLE,
 * resume = ENABLE, stop = drop subscription, slots and publication, delete = forget.
 */
export interface PostgresExecutorOptions {
  /** How often a running task's progress is refreshed (default 300 ms). */
  pollMs?: number;
  /** Connection attempts give up after this long and count as a timeout (default 5 s). */
  connectTimeoutMs?: number;
  /** Directory of the PostgreSQL programs (pg_dump); default: ENGINE_PG_BINDIR, pg_config, /usr/lib/postgresql/N/bin, PATH. */
  binDir?: string;
  logger?: EngineLogger;
}

export class PostgresExecutor implements Executor {
  readonly kind = 'postgres';
  private readonly pools: PoolRegistry;
  private readonly log: EngineLogger;
  private readonly pollMs: number;
  private readonly connectTimeoutMs: number;
  private readonly pgDump: string;
  private readonly pgDumpMajor: number | undefined;
  private readonly reports = new Map<string, CachedProgress>();
  private readonly watchers = new Map<string, TaskWatcher>();
  private readonly prechecks = new Map<string, { fraction: number }>();
  private host: ExecutorHost | undefined;
  private closed = false;

  constructor(options: PostgresExecutorOptions = {}) {
    this.log = options.logger ?? silentLogger;
    this.pollMs = options.pollMs ?? 300;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.pools = new PoolRegistry({ connectTimeoutMs: this.connectTimeoutMs, log: this.log });
    this.pgDump = postgresProgram('pg_dump', findPostgresBinDir(options.binDir));
    this.pgDumpMajor = programMajorVersion(this.pgDump);
    if (this.pgDumpMajor === undefined) this.log.warn({ pgDump: this.pgDump }, 'pg_dump not found: tasks will fail their pre-check until it is installed');
  }

  attach(host: ExecutorHost): void {
    this.host = host;
  }

  supportsEngine(engineType: string): boolean {
    return engineType === 'postgresql';
  }

  /** Nothing to create before the endpoints are known: the task is ready to configure at once. */
  async provision(job: Readonly<JobRecord>, ctx: JobContext): Promise<void> {
    ctx.setState(taskStateOf(job));
    ctx.emit({ type: 'status', to: 'CONFIGURATION' });
  }

  async testConnection(job: Readonly<JobRecord>, endpoint: ConnectionTarget): Promise<ConnectionTestResult> {
    const record = endpoint.end_point_type === 'so' ? job.source : job.target;
    return this.tryConnect(pgEndpointOf(endpoint, databaseOf(endpoint) ?? databaseOf(record) ?? DEFAULT_DATABASE));
  }

  async precheck(job: Readonly<JobRecord>, mode: PrecheckMode): Promise<void> {
    this.startPrecheck(structuredClone(job) as JobRecord, mode);
  }

  precheckProgress(job: Readonly<JobRecord>): number {
    const run = this.prechecks.get(job.id);
    // The last percent belongs to the completion event, so "100%" always comes with results.
    return run ? Math.min(99, Math.floor(run.fraction * 100)) : 0;
  }

  async start(job: Readonly<JobRecord>, options: { startAt?: number }, ctx: JobContext): Promise<void> {
    ctx.setState(patchedState(job, { startAt: options.startAt, enable: undefined, finishing: undefined, forceStop: undefined }));
    this.reports.delete(job.id);
    this.watch(job.id);
  }

  async pause(job: Readonly<JobRecord>, _mode: PauseMode, _ctx: JobContext): Promise<void> {
    // Both pause modes stop the same thing here: the subscription (its slot keeps the WAL meanwhile).
    this.watch(job.id);
  }

  async resume(job: Readonly<JobRecord>, ctx: JobContext): Promise<void> {
    ctx.setState(patchedState(job, { enable: true }));
    this.watch(job.id);
  }

  async stop(job: Readonly<JobRecord>, options: { force: boolean }, ctx: JobContext): Promise<void> {
    const state = taskStateOf(job);
    if (!state.provisioned) {
      // Never started: nothing exists in PostgreSQL.
      ctx.emit({ type: 'status', to: 'RELEASE_RESOURCE_COMPLETE' });
      return;
    }
    ctx.setState(patchedState(job, { forceStop: options.force || undefined }));
    this.watch(job.id);
  }

  async remove(job: Readonly<JobRecord>, ctx: JobContext): Promise<void> {
    const watcher = this.watchers.get(job.id);
    this.watchers.delete(job.id);
    void watcher?.stop();
    this.reports.delete(job.id);
    this.prechecks.delete(job.id);
    ctx.setState(undefined);
  }

  /**
   * batch-modify-pwd: the new password must work; for the source it also goes into the
   * subscription's connection string. The job record (updated by the API after this) is what
   * every later connection reads, so nothing else needs to change.
   */
  async changePassword(job: Readonly<JobRecord>, endpointType: EndpointType, password: string): Promise<ConnectionTestResult> {
    const { source, target } = taskEndpoints(job);
    const changed: PgEndpoint = { ...(endpointType === 'so' ? source : target), password };
    const tested = await this.tryConnect(changed);
    if (!tested.success || endpointType !== 'so') return tested;
    const state = taskStateOf(job);
    if (!state.provisioned) return tested;
    try {
      if (await subscriptionState(this.pools, target, state.names.subscription)) {
        await setSubscriptionConnection(this.pools, target, state.names.subscription, changed);
      }
      return tested;
    } catch (error) {
      const failure = connectionFailure(error);
      return { ...failure, errorMsg: `the new password works, but updating the subscription on the target failed: ${failure.errorMsg}` };
    }
  }

  /** Selections PostgreSQL cannot replicate (table aliases, views, several databases) are refused when made. */
  async reconfigure(job: Readonly<JobRecord>): Promise<void> {
    if (!job.objects) return;
    const problems = staticSelectionProblems(job);
    if (problems.length > 0) throw new ItemRefusal(drsError('DRS.M00300', problems.join('; ')));
  }

  progress(job: Readonly<JobRecord>): ProgressReport {
    const cached = this.reports.get(job.id);
    const phaseStatus: JobStatus = job.status === 'PAUSING' && job.pause ? job.pause.resumeTo : job.status;
    let percent: number;
    if (job.taskType === 'INCR_TRANS') percent = job.actualStartAt !== undefined ? 100 : 0;
    else if (job.fullCompleteAt !== undefined || ['FULL_TRANSFER_COMPLETE', 'INCRE_TRANSFER_STARTED', 'INCRE_TRANSFER_FAILED'].includes(phaseStatus)) percent = 100;
    else percent = cached?.percent ?? 0;
    const report: ProgressReport = { percent, remainingSeconds: percent >= 100 ? 0 : (cached?.remainingSeconds ?? 0) };
    if (phaseStatus === 'INCRE_TRANSFER_STARTED') report.incrementalDelayMs = cached?.delayMs ?? 0;
    if (job.taskType !== 'INCR_TRANS') {
      report.phases = percent >= 100 ? { struct: 100, data: 100, index: 100 } : (cached?.phases ?? phasesOf(taskStateOf(job).structCopied === true, undefined));
    }
    return report;
  }

  /** After a restart: finish an interrupted pre-check, and watch every task PostgreSQL work is under way for. */
  async recover(job: Readonly<JobRecord>): Promise<void> {
    if (job.precheck && job.precheck.finishedAt === undefined) this.startPrecheck(structuredClone(job) as JobRecord, job.precheck.mode);
    if (needsWatching(job)) this.watch(job.id);
  }

  async close(): Promise<void> {
    this.closed = true;
    const watchers = [...this.watchers.values()];
    this.watchers.clear();
    await Promise.all(watchers.map((watcher) => watcher.stop()));
    await this.pools.closeAll();
  }

  /** Makes sure a watcher looks at the task (after the current API call has committed). */
  private watch(jobId: string): void {
    if (this.closed) return;
    const existing = this.watchers.get(jobId);
    if (existing && !existing.exited) {
      existing.nudge();
      return;
    }
    const watcher = new TaskWatcher(
      jobId,
      { host: this.requireHost(), pools: this.pools, log: this.log, pollMs: this.pollMs, pgDump: this.pgDump, reports: this.reports },
      (ended) => {
        if (this.watchers.get(jobId) === ended) this.watchers.delete(jobId);
      },
    );
    this.watchers.set(jobId, watcher);
  }

  private startPrecheck(job: JobRecord, mode: PrecheckMode): void {
    const run = { fraction: 0 };
    this.prechecks.set(job.id, run);
    const host = this.requireHost();
    void (async () => {
      let items;
      try {
        items = await runPrechecks(this.pools, job, { mode, pgDumpMajor: this.pgDumpMajor, onProgress: (fraction) => (run.fraction = fraction) });
      } catch (error) {
        this.log.error({ err: error, jobId: job.id }, 'pre-check failed to run');
        items = [{ item: 'srcDbConnection', group: 'network', result: 'FAILED' as const, failed_reason: `the pre-check could not run: ${(error as Error).message}` }];
      }
      if (this.closed) return;
      await host.update(job.id, (_job, ctx) => ctx.emit({ type: 'precheckCompleted', items }));
      if (this.prechecks.get(job.id) === run) this.prechecks.delete(job.id);
    })();
  }

  private async tryConnect(endpoint: PgEndpoint): Promise<ConnectionTestResult> {
    const client = new pg.Client(clientConfig(endpoint, this.connectTimeoutMs));
    client.on('error', () => {}); // a late socket error after a failed connect must not crash the engine
    try {
      await client.connect();
      await client.query('SELECT 1');
      return { success: true };
    } catch (error) {
      return connectionFailure(error);
    } finally {
      await client.end().catch(() => {});
    }
  }

  private requireHost(): ExecutorHost {
    if (!this.host) throw new Error('postgres executor is not attached to an engine yet');
    return this.host;
  }
}

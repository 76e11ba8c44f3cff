import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { WorkQueueMetrics } from '../runtime/work-queue.ts';
import type { ReconcileMetrics, ReconcileOutcome } from '../runtime/worker-pool.ts';

/**
 * The operator's Prometheus metrics. Labels are deliberately low-cardinality:
 * queue names, resource kinds, providers, operations, outcomes and phases — never
 * job names or namespaces, which grow with the number of ReplicationJobs.
 */

const PREFIX = 'drs_operator_';

/** Seconds a key waits or is worked on: sub-millisecond up to the 5m backoff cap. */
const QUEUE_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];
/** A reconcile is mostly API calls: tens of milliseconds up to provider timeouts. */
const RECONCILE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Cloud API round trips. */
const PROVIDER_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface ProviderRequestLabels {
  /** e.g. `huawei-drs`, `tencent-dts`, `embedded`. */
  provider: string;
  /** The API action, e.g. `CreateJob`, `DescribeJob`. */
  operation: string;
  /** e.g. `success`, `error`, `throttled`, `timeout`. */
  outcome: string;
}

/** Number of ReplicationJobs per phase, read on every scrape. */
export type JobPhaseCounts = () => Readonly<Record<string, number>>;

/** Per-job replication figures from status, read on every scrape (one series per job, for alerts). */
export interface JobProgressSample {
  namespace: string;
  name: string;
  phase: string;
  delaySeconds?: number;
  percent?: number;
}
export type JobProgressSource = () => Iterable<JobProgressSample>;

export interface MetricsOptions {
  /** Also export Node.js process metrics (CPU, memory, event loop lag, GC). */
  collectDefaultMetrics?: boolean;
  /** Milliseconds since the epoch; injected so informer ages are testable. */
  now?: () => number;
}

export interface OperatorMetrics {
  readonly registry: Registry;
  readonly workqueueDepth: Gauge<'name'>;
  readonly workqueueAdds: Counter<'name'>;
  readonly workqueueQueueDuration: Histogram<'name'>;
  readonly workqueueWorkDuration: Histogram<'name'>;
  readonly workqueueRetries: Counter<'name'>;
  readonly reconcileTotal: Counter<'result'>;
  readonly reconcileDuration: Histogram<'result'>;
  readonly providerRequests: Counter<keyof ProviderRequestLabels>;
  readonly providerRequestDuration: Histogram<keyof ProviderRequestLabels>;
  readonly informerLastEventAge: Gauge<'resource'>;
  readonly informerRestarts: Counter<'resource'>;
  readonly informerHealthy: Gauge<'resource'>;
  readonly jobs: Gauge<'phase'>;
  readonly jobReplicationDelay: Gauge<'namespace' | 'name'>;
  readonly jobFullSyncProgress: Gauge<'namespace' | 'name'>;
  readonly jobInfo: Gauge<'namespace' | 'name' | 'phase'>;
  readonly leader: Gauge;
  readonly pollIntervalStretched: Counter<'provider'>;

  /** Adapter for WorkQueue's metrics hooks, labelled with the queue's name. */
  workQueueMetrics(name: string): WorkQueueMetrics;
  /** Adapter for runWorkers' metrics hook. */
  readonly reconcileMetrics: ReconcileMetrics;
  observeProviderRequest(labels: ProviderRequestLabels, seconds: number): void;
  /** Records that an informer saw an event or a bookmark; the age is computed at scrape time. */
  recordInformerEvent(resource: string, atMs?: number): void;
  setInformerHealthy(resource: string, healthy: boolean): void;
  /** Where the jobs{phase} gauge reads its values from on each scrape. */
  setJobPhaseCounts(source: JobPhaseCounts): void;
  /** Where the per-job delay/progress/phase gauges read their values from on each scrape. */
  setJobProgressSource(source: JobProgressSource): void;
  setLeader(isLeader: boolean): void;
}

export function createMetrics(registry: Registry = new Registry(), options: MetricsOptions = {}): OperatorMetrics {
  const now = options.now ?? Date.now;
  const registers = [registry];
  const lastInformerEvent = new Map<string, number>();
  let jobPhaseCounts: JobPhaseCounts | undefined;

  if (options.collectDefaultMetrics) collectDefaultMetrics({ register: registry, prefix: PREFIX });

  const workqueueDepth = new Gauge({
    name: `${PREFIX}workqueue_depth`,
    help: 'Number of keys waiting in the work queue.',
    labelNames: ['name'] as const,
    registers,
  });
  const workqueueAdds = new Counter({
    name: `${PREFIX}workqueue_adds_total`,
    help: 'Keys added to the work queue (adds of an already waiting key are not counted).',
    labelNames: ['name'] as const,
    registers,
  });
  const workqueueQueueDuration = new Histogram({
    name: `${PREFIX}workqueue_queue_duration_seconds`,
    help: 'Seconds a key waited in the work queue before a worker took it.',
    labelNames: ['name'] as const,
    buckets: QUEUE_BUCKETS,
    registers,
  });
  const workqueueWorkDuration = new Histogram({
    name: `${PREFIX}workqueue_work_duration_seconds`,
    help: 'Seconds a worker spent on a key.',
    labelNames: ['name'] as const,
    buckets: QUEUE_BUCKETS,
    registers,
  });
  const workqueueRetries = new Counter({
    name: `${PREFIX}workqueue_retries_total`,
    help: 'Keys re-added with rate-limited backoff after a failed reconcile.',
    labelNames: ['name'] as const,
    registers,
  });
  const reconcileTotal = new Counter({
    name: `${PREFIX}reconcile_total`,
    help: 'Reconciles by result: success, requeue (success that asked to run again later), error (retried) or terminal (not retried).',
    labelNames: ['result'] as const,
    registers,
  });
  const reconcileDuration = new Histogram({
    name: `${PREFIX}reconcile_duration_seconds`,
    help: 'Seconds per reconcile, by result.',
    labelNames: ['result'] as const,
    buckets: RECONCILE_BUCKETS,
    registers,
  });
  const providerLabels = ['provider', 'operation', 'outcome'] as const;
  const providerRequests = new Counter({
    name: `${PREFIX}provider_requests_total`,
    help: 'Requests to replication providers (cloud APIs or the embedded engine).',
    labelNames: providerLabels,
    registers,
  });
  const providerRequestDuration = new Histogram({
    name: `${PREFIX}provider_request_duration_seconds`,
    help: 'Seconds per provider request.',
    labelNames: providerLabels,
    buckets: PROVIDER_BUCKETS,
    registers,
  });
  const informerLastEventAge = new Gauge({
    name: `${PREFIX}informer_last_event_age_seconds`,
    help: 'Seconds since the informer last saw an event or a bookmark; a growing value means a stalled watch.',
    labelNames: ['resource'] as const,
    registers,
    collect() {
      const at = now();
      for (const [resource, last] of lastInformerEvent) {
        informerLastEventAge.set({ resource }, Math.max(0, (at - last) / 1000));
      }
    },
  });
  const informerRestarts = new Counter({
    name: `${PREFIX}informer_restarts_total`,
    help: 'Informer restarts (watch errors, watchdog timeouts).',
    labelNames: ['resource'] as const,
    registers,
  });
  const informerHealthy = new Gauge({
    name: `${PREFIX}informer_healthy`,
    help: '1 when the informer is synced and watching, 0 otherwise.',
    labelNames: ['resource'] as const,
    registers,
  });
  const jobs = new Gauge({
    name: `${PREFIX}jobs`,
    help: 'ReplicationJobs by phase.',
    labelNames: ['phase'] as const,
    registers,
    collect() {
      if (!jobPhaseCounts) return;
      let counts: Readonly<Record<string, number>>;
      try {
        counts = jobPhaseCounts();
      } catch {
        return; // keep the last values rather than failing the whole scrape
      }
      jobs.reset();
      for (const [phase, count] of Object.entries(counts)) jobs.set({ phase }, count);
    },
  });
  // Per-job series are labelled by namespace and name, like kube-state-metrics, so alerts can
  // name the job; they are rebuilt from the job cache on each scrape, so deleted jobs vanish.
  let jobProgress: JobProgressSource | undefined;
  const samples = () => {
    try {
      return jobProgress ? [...jobProgress()] : undefined;
    } catch {
      return undefined;
    }
  };
  const jobReplicationDelay = new Gauge({
    name: `${PREFIX}job_replication_delay_seconds`,
    help: 'How far the target is behind the source during incremental sync (status.progress.incrementalDelaySeconds).',
    labelNames: ['namespace', 'name'] as const,
    registers,
    collect() {
      const all = samples();
      if (!all) return;
      jobReplicationDelay.reset();
      for (const s of all) if (s.delaySeconds !== undefined) jobReplicationDelay.set({ namespace: s.namespace, name: s.name }, s.delaySeconds);
    },
  });
  const jobFullSyncProgress = new Gauge({
    name: `${PREFIX}job_full_sync_progress_percent`,
    help: 'Full-sync progress of each job, 0-100 (status.progress.percent).',
    labelNames: ['namespace', 'name'] as const,
    registers,
    collect() {
      const all = samples();
      if (!all) return;
      jobFullSyncProgress.reset();
      for (const s of all) if (s.percent !== undefined) jobFullSyncProgress.set({ namespace: s.namespace, name: s.name }, s.percent);
    },
  });
  const jobInfo = new Gauge({
    name: `${PREFIX}job_info`,
    help: 'Always 1; the phase label carries each job\'s status.phase (for alerts on Failed or PrecheckFailed).',
    labelNames: ['namespace', 'name', 'phase'] as const,
    registers,
    collect() {
      const all = samples();
      if (!all) return;
      jobInfo.reset();
      for (const s of all) jobInfo.set({ namespace: s.namespace, name: s.name, phase: s.phase }, 1);
    },
  });
  const leader = new Gauge({
    name: `${PREFIX}leader`,
    help: '1 while this replica holds the leader lease, 0 otherwise.',
    registers,
  });
  leader.set(0);
  const pollIntervalStretched = new Counter({
    name: `${PREFIX}poll_interval_stretched_total`,
    help: 'Times a status poll interval was lengthened to stay within a provider rate limit.',
    labelNames: ['provider'] as const,
    registers,
  });

  const reconcileMetrics: ReconcileMetrics = {
    observeReconcile(outcome: ReconcileOutcome, seconds: number) {
      reconcileTotal.inc({ result: outcome });
      reconcileDuration.observe({ result: outcome }, seconds);
    },
  };

  return {
    registry,
    workqueueDepth,
    workqueueAdds,
    workqueueQueueDuration,
    workqueueWorkDuration,
    workqueueRetries,
    reconcileTotal,
    reconcileDuration,
    providerRequests,
    providerRequestDuration,
    informerLastEventAge,
    informerRestarts,
    informerHealthy,
    jobs,
    jobReplicationDelay,
    jobFullSyncProgress,
    jobInfo,
    leader,
    pollIntervalStretched,
    reconcileMetrics,
    workQueueMetrics(name: string): WorkQueueMetrics {
      const labels = { name };
      // Start at zero so dashboards show the queue before its first add.
      workqueueDepth.set(labels, 0);
      return {
        incAdds: () => workqueueAdds.inc(labels),
        setDepth: (depth) => workqueueDepth.set(labels, depth),
        observeQueueDuration: (seconds) => workqueueQueueDuration.observe(labels, seconds),
        observeWorkDuration: (seconds) => workqueueWorkDuration.observe(labels, seconds),
        incRetries: () => workqueueRetries.inc(labels),
      };
    },
    observeProviderRequest(labels: ProviderRequestLabels, seconds: number) {
      providerRequests.inc(labels);
      providerRequestDuration.observe(labels, seconds);
    },
    recordInformerEvent(resource: string, atMs: number = now()) {
      lastInformerEvent.set(resource, atMs);
    },
    setInformerHealthy(resource: string, healthy: boolean) {
      informerHealthy.set({ resource }, healthy ? 1 : 0);
    },
    setJobPhaseCounts(source: JobPhaseCounts) {
      jobPhaseCounts = source;
    },
    setJobProgressSource(source: JobProgressSource) {
      jobProgress = source;
    },
    setLeader(isLeader: boolean) {
      leader.set(isLeader ? 1 : 0);
    },
  };
}

import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../controller/src/observability/metrics.ts';
import { WorkQueue } from '../../../controller/src/runtime/work-queue.ts';
import { runWorkers } from '../../../controller/src/runtime/worker-pool.ts';

function metricLine(text: string, prefix: string): string | undefined {
  return text.split('\n').find((line) => line.startsWith(prefix));
}

describe('createMetrics', () => {
  it('registers every metric with the drs_operator_ prefix', async () => {
    const metrics = createMetrics();
    const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name).sort();
    expect(names).toEqual(
      [
        'drs_operator_informer_healthy',
        'drs_operator_informer_last_event_age_seconds',
        'drs_operator_informer_restarts_total',
        'drs_operator_jobs',
        'drs_operator_job_replication_delay_seconds',
        'drs_operator_job_full_sync_progress_percent',
        'drs_operator_job_info',
        'drs_operator_leader',
        'drs_operator_poll_interval_stretched_total',
        'drs_operator_provider_request_duration_seconds',
        'drs_operator_provider_requests_total',
        'drs_operator_reconcile_duration_seconds',
        'drs_operator_reconcile_total',
        'drs_operator_workqueue_adds_total',
        'drs_operator_workqueue_depth',
        'drs_operator_workqueue_queue_duration_seconds',
        'drs_operator_workqueue_retries_total',
        'drs_operator_workqueue_work_duration_seconds',
      ].sort(),
    );
  });

  it('uses the registry it is given, so two instances do not collide', () => {
    const registry = new Registry();
    expect(createMetrics(registry).registry).toBe(registry);
    expect(() => createMetrics(new Registry())).not.toThrow();
  });

  it('records work queue and reconcile metrics through the adapters', async () => {
    const metrics = createMetrics();
    const queue = new WorkQueue<string>({ name: 'replicationjobs', metrics: metrics.workQueueMetrics('replicationjobs') });
    const pool = runWorkers({
      queue,
      concurrency: 1,
      metrics: metrics.reconcileMetrics,
      handler: async (key) => (key === 'bad' ? { error: new Error('x') } : { requeueAfterMs: 60_000 }),
    });
    queue.add('good');
    queue.add('bad');
    await new Promise((resolve) => setImmediate(resolve));
    await pool.stop();

    const text = await metrics.registry.metrics();
    expect(metricLine(text, 'drs_operator_workqueue_adds_total{name="replicationjobs"}')).toMatch(/ 2$/);
    expect(metricLine(text, 'drs_operator_workqueue_retries_total{name="replicationjobs"}')).toMatch(/ 1$/);
    expect(metricLine(text, 'drs_operator_workqueue_queue_duration_seconds_count{name="replicationjobs"}')).toMatch(/ 2$/);
    expect(metricLine(text, 'drs_operator_workqueue_work_duration_seconds_count{name="replicationjobs"}')).toMatch(/ 2$/);
    expect(metricLine(text, 'drs_operator_workqueue_depth{name="replicationjobs"}')).toMatch(/ 0$/);
    expect(metricLine(text, 'drs_operator_reconcile_total{result="requeue"}')).toMatch(/ 1$/);
    expect(metricLine(text, 'drs_operator_reconcile_total{result="error"}')).toMatch(/ 1$/);
    expect(metricLine(text, 'drs_operator_reconcile_duration_seconds_count{result="error"}')).toMatch(/ 1$/);
    // Keys (job names) must never become label values.
    expect(text).not.toContain('good');
  });

  it('records provider requests', async () => {
    const metrics = createMetrics();
    metrics.observeProviderRequest({ provider: 'huawei-drs', operation: 'ShowJob', outcome: 'success' }, 0.3);
    const text = await metrics.registry.metrics();
    expect(
      metricLine(text, 'drs_operator_provider_requests_total{provider="huawei-drs",operation="ShowJob",outcome="success"}'),
    ).toMatch(/ 1$/);
    expect(text).toContain(
      'drs_operator_provider_request_duration_seconds_bucket{le="0.5",provider="huawei-drs",operation="ShowJob",outcome="success"} 1',
    );
  });

  it('computes the informer event age at scrape time', async () => {
    let now = 1_000_000;
    const metrics = createMetrics(new Registry(), { now: () => now });
    metrics.recordInformerEvent('replicationjobs');
    now += 42_000;
    expect(metricLine(await metrics.registry.metrics(), 'drs_operator_informer_last_event_age_seconds{resource="replicationjobs"}')).toMatch(/ 42$/);
    now += 8000;
    expect(metricLine(await metrics.registry.metrics(), 'drs_operator_informer_last_event_age_seconds{resource="replicationjobs"}')).toMatch(/ 50$/);
  });

  it('reads job phase counts on each scrape and drops phases that disappeared', async () => {
    const metrics = createMetrics();
    let counts: Record<string, number> = { Running: 3, Failed: 1 };
    metrics.setJobPhaseCounts(() => counts);
    let text = await metrics.registry.metrics();
    expect(metricLine(text, 'drs_operator_jobs{phase="Running"}')).toMatch(/ 3$/);
    expect(metricLine(text, 'drs_operator_jobs{phase="Failed"}')).toMatch(/ 1$/);
    counts = { Running: 4 };
    text = await metrics.registry.metrics();
    expect(metricLine(text, 'drs_operator_jobs{phase="Running"}')).toMatch(/ 4$/);
    expect(metricLine(text, 'drs_operator_jobs{phase="Failed"}')).toBeUndefined();
  });

  it('does not fail the scrape when the job phase source throws', async () => {
    const metrics = createMetrics();
    metrics.setJobPhaseCounts(() => {
      throw new Error('cache not synced');
    });
    await expect(metrics.registry.metrics()).resolves.toContain('drs_operator_leader 0');
  });

  it('tracks leadership, informer health and restarts, and stretched poll intervals', async () => {
    const metrics = createMetrics();
    metrics.setLeader(true);
    metrics.setInformerHealthy('replicationjobs', true);
    metrics.informerRestarts.inc({ resource: 'replicationjobs' });
    metrics.pollIntervalStretched.inc({ provider: 'tencent-dts' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('drs_operator_leader 1');
    expect(text).toContain('drs_operator_informer_healthy{resource="replicationjobs"} 1');
    expect(text).toContain('drs_operator_informer_restarts_total{resource="replicationjobs"} 1');
    expect(text).toContain('drs_operator_poll_interval_stretched_total{provider="tencent-dts"} 1');
  });

  it('optionally exports Node.js process metrics', async () => {
    const metrics = createMetrics(new Registry(), { collectDefaultMetrics: true });
    expect(await metrics.registry.metrics()).toContain('drs_operator_process_cpu_seconds_total');
  });
});

describe('per-job progress metrics', () => {
  it('exposes delay, full-sync progress and phase per job from the current source, dropping deleted jobs', async () => {
    const metrics = createMetrics();
    let jobs = [
      { namespace: 'orders', name: 'to-dr', phase: 'IncrementalSync', delaySeconds: 3.5, percent: 100 },
      { namespace: 'orders', name: 'new', phase: 'FullSync', percent: 42 },
    ];
    metrics.setJobProgressSource(() => jobs);
    const text = await metrics.registry.metrics();
    expect(text).toContain('drs_operator_job_replication_delay_seconds{namespace="orders",name="to-dr"} 3.5');
    expect(text).toContain('drs_operator_job_full_sync_progress_percent{namespace="orders",name="new"} 42');
    expect(text).toContain('drs_operator_job_info{namespace="orders",name="new",phase="FullSync"} 1');
    jobs = [jobs[0]!];
    const after = await metrics.registry.metrics();
    expect(after).not.toContain('name="new"');
  });
});

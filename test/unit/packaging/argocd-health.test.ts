import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ANNOTATIONS, FINALIZER } from '../../../controller/src/api/group.ts';
import { ReplicationJobSpec } from '../../../controller/src/api/replication-job-spec.ts';
import { ReplicationJobStatus } from '../../../controller/src/api/replication-job-status.ts';
import type { ReplicationJob } from '../../../controller/src/api/resources.ts';
import { retryableError, terminalError, type ReconcileError } from '../../../controller/src/reconcile/errors.ts';
import type { Observation } from '../../../controller/src/reconcile/observation.ts';
import type { PlanInput } from '../../../controller/src/reconcile/plan-input.ts';
import { plan } from '../../../controller/src/reconcile/plan.ts';
import { buildStatus } from '../../../controller/src/reconcile/status.ts';
import { input, NOW, observed, passedCheck } from '../reconcile/plan-fixtures.ts';
import { argoHealth, healthLua, toLuaLiteral } from './argocd-health-lua.ts';
import { ROOT } from './helm.ts';

/**
 * argocd/health.lua in a Lua VM, fed with ReplicationJobs as the operator leaves them: the
 * example from examples/, with status built by the real planner and status builder.
 */

const HEALTH_KEY = 'resource.customizations.health.replication.drs-operator.io_ReplicationJob';

function exampleJob(): ReplicationJob {
  const docs = parseAllDocuments(readFileSync(join(ROOT, 'examples', 'huawei-drs-mysql-sync.yaml'), 'utf8')).map((d) => d.toJS());
  const job = docs.find((d) => d.kind === 'ReplicationJob') as ReplicationJob;
  job.metadata = {
    ...job.metadata,
    uid: '3f0c9d2e-5b7a-4c1e-9d8f-2a6b7c8d9e01',
    generation: 1,
    resourceVersion: '48213',
    creationTimestamp: '2025-06-01T10:00:00Z',
    finalizers: [FINALIZER],
  };
  ReplicationJobSpec.parse(job.spec);
  return job;
}

/** The job after the operator reconciled it with this provider observation (and failure). */
function reconciled(overrides: Partial<PlanInput>, failure?: ReconcileError, jobOverrides: (job: ReplicationJob) => void = () => {}): ReplicationJob {
  const job = exampleJob();
  jobOverrides(job);
  const planInput = input({ generation: job.metadata.generation ?? 1, desiredState: job.spec.state ?? 'Running', ...overrides });
  const status = buildStatus({
    previous: {},
    plan: plan(planInput),
    observed: planInput.observed,
    ...(failure ? { failure } : {}),
    desiredState: planInput.desiredState,
    tolerateAlarms: false,
    generation: job.metadata.generation ?? 1,
    now: new Date(NOW).toISOString(),
  });
  job.status = ReplicationJobStatus.parse(status);
  return job;
}

const replicating: Observation = observed('IncrementalSync', { providerStatus: 'INCRE_TRANSFER_STARTED', progress: { percent: 100, incrementalDelaySeconds: 2 } });

describe('argocd/health.lua (Lua VM, realistic ReplicationJobs)', () => {
  // [what the job is doing, the job, Argo CD health, its message]
  const table: [string, () => ReplicationJob, string, RegExp][] = [
    ['just applied, no status yet', exampleJob, 'Progressing', /Waiting for the operator to report status/],
    ['replicating, status for this generation', () => reconciled({ observed: replicating }), 'Healthy', /Replicating changes/],
    [
      'replicating, but spec changed since (generation 2 not yet observed)',
      () => {
        const job = reconciled({ observed: replicating });
        job.metadata.generation = 2;
        return job;
      },
      'Progressing',
      /observe generation 2/,
    ],
    ['spec refused by the provider (Terminal)', () => reconciled({ observed: replicating }, terminalError('UnsupportedSpec', 'huawei-drs cannot run this job: engine db2')), 'Degraded', /^UnsupportedSpec: huawei-drs cannot run/],
    ['provider job stopped outside the operator (Terminal from the planner)', () => reconciled({ observed: observed('Stopped') }), 'Degraded', /^StoppedOutsideOperator:/],
    ['job failed and cannot be retried (Terminal)', () => reconciled({ observed: observed('Failed', { recoverable: false, error: { code: 'DRS.M05001', message: 'create failed' } }) }), 'Degraded', /^JobFailedPermanently:/],
    ['paused as spec.state asks', () => reconciled({ desiredState: 'Paused', observed: observed('Paused') }, undefined, (j) => (j.spec.state = 'Paused')), 'Suspended', /Paused as spec.state asks/],
    ['pausing (spec.state Paused, still in full sync)', () => reconciled({ desiredState: 'Paused', observed: observed('FullSync') }, undefined, (j) => (j.spec.state = 'Paused')), 'Progressing', /Pausing/],
    ['resuming (paused, spec.state back to Running)', () => reconciled({ observed: observed('Paused') }), 'Progressing', /Resuming/],
    [
      'reconciliation paused by annotation',
      () => reconciled({ observed: replicating }, undefined, (j) => (j.metadata.annotations = { [ANNOTATIONS.paused]: 'true' })),
      'Suspended',
      /paused annotation/,
    ],
    ['full sync under way', () => reconciled({ observed: observed('FullSync', { progress: { percent: 42 } }) }), 'Progressing', /Full sync 42% complete/],
    [
      'pre-check failed',
      () =>
        reconciled({
          configuredGeneration: 1,
          precheckRequestedAt: NOW - 60_000,
          observed: observed('Configuring', { precheck: { ...passedCheck, passed: false, passedRate: '80%', items: [{ item: 'binlog_format', result: 'FAILED', failedReason: 'binlog_format is STATEMENT' }] } }),
        }),
      'Progressing',
      /Pre-check items FAILED/,
    ],
    ['stopped as spec.state asks', () => reconciled({ desiredState: 'Stopped', observed: observed('Stopped') }, undefined, (j) => (j.spec.state = 'Stopped')), 'Healthy', /Stopped as spec.state asks/],
    ['full copy completed (mode full)', () => reconciled({ mode: 'full', observed: observed('Completed') }, undefined, (j) => (j.spec.mode = 'full')), 'Healthy', /Full copy completed/],
    ['a transient provider error while replicating (Synced=False) keeps it Healthy', () => reconciled({ observed: replicating }, retryableError('ProviderBusy', 'DRS is busy (DRS.M01504)')), 'Healthy', /Replicating/],
    [
      'automatic retries exhausted: Degraded (Terminal until a reconcile-request retries it)',
      () => reconciled({ retries: 3, lastRetryAt: NOW - 3_600_000, observed: observed('Failed', { error: { message: 'source unreachable' } }) }),
      'Degraded',
      /^RetriesExhausted: .*3 automatic retries did not help/,
    ],
  ];

  const cases = table.map(([name, job, health, message]) => ({ name, job, health, message }));
  it.each(cases)('$name → $health', async ({ job, health, message }) => {
    const result = await argoHealth(job());
    expect(result.status).toBe(health);
    expect(result.message).toMatch(message);
  });

  it('turns JSON into Lua tables as Argo CD does (1-based arrays, escapes, nulls dropped)', async () => {
    expect(toLuaLiteral({ a: [1, 'x"\n\\y'], b: null })).toBe('{["a"] = {1, "x\\034\\010\\092y"}}');
    const job = reconciled({ observed: replicating });
    job.status!.message = 'line one\nline "two" \\ 3';
    const health = await argoHealth(job, `return { status = obj.status.conditions[1].type, message = obj.status.message }`);
    expect(health).toEqual({ status: 'Ready', message: 'line one\nline "two" \\ 3' });
  });
});

describe('argocd/argocd-cm.yaml and docs/gitops.md', () => {
  it('embed argocd/health.lua verbatim under the ReplicationJob health key', () => {
    const cm = parse(readFileSync(join(ROOT, 'argocd', 'argocd-cm.yaml'), 'utf8')) as { kind: string; metadata: { name: string }; data: Record<string, string> };
    expect(cm).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'argocd-cm' } });
    expect(Object.keys(cm.data)).toEqual([HEALTH_KEY]);
    expect(cm.data[HEALTH_KEY], 'argocd/argocd-cm.yaml is stale: re-indent argocd/health.lua into it').toBe(healthLua());

    const gitops = readFileSync(join(ROOT, 'docs', 'gitops.md'), 'utf8');
    const blocks = [...gitops.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    const snippet = blocks.find((b) => b.includes(HEALTH_KEY));
    expect(snippet, 'docs/gitops.md shows the argocd-cm snippet').toBeDefined();
    expect(snippet, 'docs/gitops.md must show argocd/argocd-cm.yaml as it is').toBe(readFileSync(join(ROOT, 'argocd', 'argocd-cm.yaml'), 'utf8'));
  });
});

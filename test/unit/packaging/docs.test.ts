import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { PHASES } from '../../../controller/src/api/phase.ts';
import { createMetrics } from '../../../controller/src/observability/metrics.ts';
import { PROVIDER_ERROR_REASONS } from '../../../controller/src/providers/http/errors.ts';
import type { DesiredState } from '../../../controller/src/api/replication-job-spec.ts';
import type { ProviderPhase } from '../../../controller/src/reconcile/observation.ts';
import { plan } from '../../../controller/src/reconcile/plan.ts';
import { input, NOW, observed, passedCheck } from '../reconcile/plan-fixtures.ts';
import { helmRunsHere, renderChart, findManifest, ROOT } from './helm.ts';

/** The docs/ pages for the README, checked against the code and the chart they describe. */

const doc = (name: string) => readFileSync(join(ROOT, 'docs', name), 'utf8');
const source = (...path: string[]) => readFileSync(join(ROOT, 'controller', 'src', ...path), 'utf8');

/** Rows of the markdown table between `<!-- NAME:begin ... -->` and `<!-- NAME:end -->`, as cells. */
function markedTable(markdown: string, name: string): string[][] {
  const block = new RegExp(`<!-- ${name}:begin[^>]*-->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(markdown);
  if (!block) throw new Error(`no ${name} block`);
  return (block[1] as string)
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .slice(2)
    .map((l) => l.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
}

const unquote = (cell: string) => cell.replace(/^`|`$/g, '');

describe('docs/install.md', () => {
  it('lists every chart value with its default, and nothing else', () => {
    const values = parse(readFileSync(join(ROOT, 'charts', 'drs-operator', 'values.yaml'), 'utf8')) as Record<string, unknown>;
    const leaves: [string, unknown][] = [];
    const walk = (node: Record<string, unknown>, prefix: string) => {
      for (const [key, value] of Object.entries(node)) {
        const path = prefix ? `${prefix}.${key}` : key;
        if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) walk(value as Record<string, unknown>, path);
        else leaves.push([path, value]);
      }
    };
    walk(values, '');
    const rows = markedTable(doc('install.md'), 'values-reference');
    expect(rows.map((r) => unquote(r[0]!))).toEqual(leaves.map(([path]) => path));
    for (const [path, value] of leaves) {
      const row = rows.find((r) => unquote(r[0]!) === path)!;
      expect(row[1], `default of ${path}`).toBe(`\`${JSON.stringify(value)}\``);
      expect(row[2]!.length, `description of ${path}`).toBeGreaterThan(3);
    }
  });

  it('names the CRD directory the upgrade applies, which exists in the chart', () => {
    const text = doc('install.md');
    expect(text).toContain('kubectl apply --server-side --force-conflicts -f charts/drs-operator/crds/');
    expect(statSync(join(ROOT, 'charts', 'drs-operator', 'crds')).isDirectory()).toBe(true);
  });
});

describe('docs/monitoring.md', () => {
  const metrics = createMetrics(undefined, { collectDefaultMetrics: true });
  const operatorOnly = createMetrics();
  const labelsOf = (name: string): string[] | undefined => {
    const base = name.replace(/_(bucket|sum|count)$/, '');
    const metric = metrics.registry.getSingleMetric(name) ?? metrics.registry.getSingleMetric(base);
    return metric ? ((metric as unknown as { labelNames: string[] }).labelNames ?? []) : undefined;
  };

  it('documents every operator metric with its type and labels, and only real ones', async () => {
    const rows = markedTable(doc('monitoring.md'), 'metrics-reference');
    const documented = rows.map((r) => unquote(r[0]!));
    const real = (await operatorOnly.registry.getMetricsAsJSON()).map((m) => ({ name: m.name, type: String(m.type) }));
    expect([...documented].sort()).toEqual(real.map((m) => m.name).sort());
    for (const row of rows) {
      const name = unquote(row[0]!);
      expect(row[1], `type of ${name}`).toBe(real.find((m) => m.name === name)!.type);
      const labels = row[2] === '—' ? [] : row[2]!.split(',').map((l) => unquote(l.trim()));
      expect(labels, `labels of ${name}`).toEqual(labelsOf(name));
    }
  });

  it('mentions no metric name the operator does not export', () => {
    for (const name of new Set(doc('monitoring.md').match(/\bdrs_operator_[a-z0-9_]*/g) ?? [])) {
      if (name.endsWith('_')) {
        // A family prefix such as drs_operator_nodejs_.
        expect(metrics.registry.getMetricsAsArray().some((m) => (m as unknown as { name: string }).name.startsWith(name)), name).toBe(true);
      } else expect(labelsOf(name), name).toBeDefined();
    }
  });

  it.skipIf(!helmRunsHere)('shows the PrometheusRule the chart renders, whose expressions use real metrics, labels and phases', async () => {
    const rendered = findManifest(await renderChart({ metrics: { prometheusRule: { enabled: true } } }, { release: 'drs-operator' }), 'PrometheusRule');
    const blocks = [...doc('monitoring.md').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parseAllDocuments(m[1] as string).map((d) => d.toJS()));
    const shown = blocks.flat().find((d) => d?.kind === 'PrometheusRule');
    expect(shown?.spec, 'docs/monitoring.md shows the rendered rules').toEqual(rendered.spec);

    const rules = (rendered.spec.groups as { rules: { alert: string; expr: string }[] }[]).flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['ReplicationJobFailed', 'ReplicationDelayHigh', 'ReplicationPrecheckFailed']));
    // Labels Prometheus attaches to every scraped series (the ServiceMonitor's target labels).
    const targetLabels = ['namespace', 'service', 'pod', 'instance', 'job'];
    for (const { alert, expr } of rules) {
      expect(balanced(expr), `${alert}: parentheses`).toBe(true);
      const selectors = [...expr.matchAll(/\b(drs_operator_[a-z0-9_]+)(?:\{([^}]*)\})?/g)];
      expect(selectors.length, alert).toBeGreaterThan(0);
      const metricLabels = new Set<string>();
      for (const [, name, matchers] of selectors) {
        const labels = labelsOf(name!);
        expect(labels, `${alert}: ${name} is not an operator metric`).toBeDefined();
        for (const l of labels!) metricLabels.add(l);
        for (const [, label, value] of (matchers ?? '').matchAll(/(\w+)\s*=~?\s*"([^"]*)"/g)) {
          expect(labels, `${alert}: ${name} has no label ${label}`).toContain(label);
          if (label === 'phase') expect(PHASES, `${alert}: phase ${value}`).toContain(value);
        }
      }
      for (const [, by] of expr.matchAll(/\bby\s*\(([^)]*)\)/g)) {
        for (const label of by!.split(',').map((l) => l.trim())) expect([...metricLabels, ...targetLabels], `${alert}: by ${label}`).toContain(label);
      }
    }
  });
});

function balanced(expr: string): boolean {
  let depth = 0;
  for (const c of expr) {
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (depth < 0) return false;
  }
  return depth === 0;
}

describe('docs/troubleshooting.md', () => {
  const text = doc('troubleshooting.md');
  /** Backticked reasons in the first column of every table. */
  const documented = new Set(
    text
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .flatMap((l) => [...(l.split('|')[1] ?? '').matchAll(/`([A-Z][A-Za-z]+)`/g)].map((m) => m[1] as string)),
  );
  const quoted = (code: string, pattern: RegExp) => [...code.matchAll(pattern)].flatMap((m) => [...(m[1] ?? '').matchAll(/'([A-Z][A-Za-z]+)'/g)].map((q) => q[1] as string));

  it('lists only reasons the operator can write (each is a string in controller/src)', () => {
    const all = allSources(join(ROOT, 'controller', 'src'));
    expect(documented.size).toBeGreaterThan(50);
    for (const reason of documented) expect(all.includes(`'${reason}'`), `${reason} appears nowhere in controller/src`).toBe(true);
  });

  it('documents every reason the planner writes', () => {
    const code = source('reconcile', 'plan.ts');
    const fromPlanner = new Set([
      ...quoted(code, /\b(?:notReady|ready)\(\s*('[A-Za-z]+')/g),
      ...quoted(code, /\bwait\(\s*'[A-Za-z]+',\s*('[A-Za-z]+')/g),
      ...quoted(code, /\brefuse\([^,]+,\s*('[A-Za-z]+')/g),
      ...quoted(code, /\bgivenUp\(\s*('[A-Za-z]+')/g),
      ...quoted(code, /\breason:\s*('[A-Za-z]+')/g),
      ...quoted(code, /\bconst reason = ([^;]+);/g),
    ]);
    // The extraction must see what the planner really returns over a grid of inputs.
    const phases: ProviderPhase[] = ['Creating', 'Configuring', 'Starting', 'FullSync', 'IncrementalSync', 'Completed', 'Paused', 'Failed', 'Stopping', 'Stopped'];
    const states: DesiredState[] = ['Running', 'Paused', 'Stopped'];
    const seen = new Set<string>();
    for (const desiredState of states) {
      for (const phase of [...phases, undefined]) {
        for (const extra of [{}, { deleting: true }, { hasFinalizer: false }, { retries: 3, lastRetryAt: NOW - 3_600_000 }, { configuredGeneration: 0 }, { precheckRequestedAt: NOW - 1000 }]) {
          const result = plan(input({ desiredState, ...extra, ...(phase ? { observed: observed(phase, { precheck: { ...passedCheck, passed: false } }) } : { jobId: undefined }) }));
          seen.add(result.verdict.reason);
          if (result.terminal) seen.add(result.terminal.reason);
        }
      }
    }
    expect([...seen].filter((r) => !fromPlanner.has(r))).toEqual([]);
    expect(fromPlanner.size).toBeGreaterThan(25);
    expect([...fromPlanner].filter((r) => !documented.has(r)), 'planner reasons missing from docs/troubleshooting.md').toEqual([]);
  });

  it('documents every reason the reconciler, the ProviderConfig status and the provider HTTP layer write', () => {
    const reconcileDir = join(ROOT, 'controller', 'src', 'reconcile');
    const core = readdirSync(reconcileDir)
      .filter((f) => f.endsWith('.ts') && f !== 'plan.ts')
      .map((f) => readFileSync(join(reconcileDir, f), 'utf8'))
      .join('\n');
    const reasons = new Set([
      ...quoted(core, /\b(?:terminalError|retryableError)\(\s*('[A-Za-z]+')/g),
      ...quoted(core, /new ReconcileError\(\s*('[A-Za-z]+')/g),
      ...quoted(core, /\breason:\s*([^,\n}]+)/g),
      ...Object.values(PROVIDER_ERROR_REASONS),
    ]);
    expect(reasons).toContain('Conflict');
    expect(reasons).toContain('ReconcileSuccess');
    expect([...reasons].filter((r) => !documented.has(r)), 'reasons missing from docs/troubleshooting.md').toEqual([]);
  });
});

function allSources(dir: string): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return allSources(path);
      return entry.name.endsWith('.ts') ? readFileSync(path, 'utf8') : '';
    })
    .join('\n');
}

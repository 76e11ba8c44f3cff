import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { API_GROUP, API_VERSION } from '../../../controller/src/api/group.ts';
import { PROVIDER_IDS } from '../../../controller/src/api/provider-config.ts';
import { startKubeApiServer, type KubeApiServer } from '../../support/kube-apiserver/index.ts';
import { hasKubectl } from '../../support/kubectl.ts';
import { CRD_DIR } from '../../support/test-cluster.ts';

/**
 * The generated CRDs, installed in the API test server, admit and refuse what the API promises:
 * schema checks, and CEL rules making the fixed fields immutable and Stopped final.
 */
const base = { group: API_GROUP, version: API_VERSION, namespace: 'default', plural: 'replicationjobs' };
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

function job(name: string, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind: 'ReplicationJob',
    metadata: { name },
    spec: {
      providerRef: { kind: 'ProviderConfig', name: 'local' },
      type: 'sync',
      engine: 'postgresql',
      direction: 'up',
      mode: 'fullAndIncremental',
      nodeType: 'high',
      network: { type: 'eip', subnetId: 'subnet-1' },
      source: { host: '10.0.0.1', port: 5432, user: 'repl', passwordSecretRef: { name: 'db', key: 'password' } },
      target: { host: '10.0.0.2', port: 5432, user: 'repl', passwordSecretRef: { name: 'db', key: 'password' } },
      syncPolicy: { conflict: 'overwrite' },
      tags: { team: 'a' },
      ...spec,
    },
  };
}

const messageOf = (error: unknown) => {
  const body = (error as { body?: unknown }).body;
  return typeof body === 'string' ? (JSON.parse(body) as { message: string }).message : String(error);
};

describe('generated CRDs at admission', () => {
  let server: KubeApiServer;
  let api: CustomObjectsApi;

  beforeAll(async () => {
    server = await startKubeApiServer({ crdDir: CRD_DIR });
    api = server.kubeConfig().makeApiClient(CustomObjectsApi);
  });
  afterAll(() => server?.close());

  const create = (body: object) => api.createNamespacedCustomObject({ ...base, body });
  const patch = (name: string, body: object) => api.patchNamespacedCustomObject({ ...base, name, body }, mergePatch);

  it('accepts a valid job without adding anything to spec (no schema defaults)', async () => {
    const created = (await create(job('valid'))) as { spec: unknown };
    expect(created.spec).toEqual(job('valid').spec);
  });

  it.each([
    ['type', { type: 'migration' }],
    ['engine', { engine: 'mysql' }],
    ['direction', { direction: 'down' }],
    ['mode', { mode: 'full' }],
    ['nodeType', { nodeType: 'micro' }],
    ['network', { network: { type: 'vpc', subnetId: 'subnet-1' } }],
    ['source', { source: { host: '10.9.9.9', port: 5432, user: 'repl' } }],
    ['target', { target: { host: '10.9.9.9', port: 5432, user: 'repl' } }],
    ['providerRef', { providerRef: { kind: 'ClusterProviderConfig', name: 'other' } }],
    ['syncPolicy', { syncPolicy: { conflict: 'ignore' } }],
    ['tags', { tags: { team: 'b' } }],
  ])('refuses a change of %s after creation with the rule message', async (field, change) => {
    const name = `immutable-${field.toLowerCase()}`;
    await create(job(name));
    const error = await patch(name, { spec: change }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as { code?: number }).code).toBe(422);
    expect(messageOf(error)).toContain(`${field} is immutable: create a new ReplicationJob`);
  });

  it('refuses adding an optional fixed field that was unset at creation', async () => {
    const { direction: _d, ...spec } = job('added').spec;
    await create({ ...job('added'), spec });
    await expect(patch('added', { spec: { direction: 'up' } })).rejects.toMatchObject({ code: 422 });
  });

  it('changes in place what may change: state, speed limits, description, alarms', async () => {
    await create(job('mutable'));
    const patched = (await patch('mutable', {
      spec: { state: 'Paused', speedLimits: [{ begin: '01:00', end: '05:59', speedMBps: 10 }], description: 'nightly', alarms: { delaySeconds: 60 } },
    })) as { metadata: { generation: number } };
    expect(patched.metadata.generation).toBe(2);
  });

  it('makes Stopped final', async () => {
    await create(job('stopped', { state: 'Stopped' }));
    const error = await patch('stopped', { spec: { state: 'Running' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(messageOf(error)).toContain('a Stopped job cannot be started again: create a new ReplicationJob');
    await expect(patch('stopped', { spec: { state: null } })).rejects.toMatchObject({ code: 422 });
  });

  it.each([
    ['an unknown type', { type: 'replicate' }, 'spec.type: Unsupported value: "replicate"'],
    ['an endpoint with neither host nor instanceId', { source: { port: 5432, user: 'repl' } }, 'an endpoint needs host (self-built database) or instanceId (cloud instance)'],
    ['both objects.all and objects.databases', { objects: { all: true, databases: [{ name: 'shop' }] } }, 'set either objects.all: true or objects.databases, not both'],
    ['a speed window in the wrong format', { speedLimits: [{ begin: '4pm', end: '23:59', speedMBps: 1 }] }, 'spec.speedLimits[0].begin'],
    ['a port out of range', { source: { host: 'h', port: 70000 } }, 'spec.source.port'],
  ])('refuses %s at creation', async (_what, change, message) => {
    const error = await create(job(`bad-${Math.random().toString(36).slice(2, 8)}`, change)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as { code?: number }).code).toBe(422);
    expect(messageOf(error)).toContain(message);
  });

  it('prunes unknown fields instead of storing them', async () => {
    const created = (await create({ ...job('pruned'), spec: { ...job('pruned').spec, colour: 'blue' } })) as { spec: Record<string, unknown> };
    expect(created.spec.colour).toBeUndefined();
  });

  it('keeps providerOptions free-form (preserve-unknown-fields)', async () => {
    const created = (await create(job('options', { providerOptions: { expiredDays: 20, nested: { a: [1, 2] } } }))) as { spec: { providerOptions: unknown } };
    expect(created.spec.providerOptions).toEqual({ expiredDays: 20, nested: { a: [1, 2] } });
  });

  const kubectl = async (kubeconfig: string, args: string[]) =>
    new Promise<{ stdout: string; stderr: string; code: number }>((resolve) => {
      execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 30_000 }, (error, stdout, stderr) =>
        resolve({ stdout, stderr, code: error ? ((error as { code?: number }).code ?? 1) : 0 }),
      );
    });

  it.skipIf(!hasKubectl)('kubectl explain prints the field documentation, get prints the printer columns, apply shows CEL errors', async () => {
    const kubeconfig = await server.writeKubeconfig();
    const explain = await kubectl(kubeconfig, ['explain', 'replicationjob.spec.source']);
    expect(explain.code, explain.stderr).toBe(0);
    expect(explain.stdout).toContain('The database data is read from');
    expect(explain.stdout).toContain('passwordSecretRef');
    const explainState = await kubectl(kubeconfig, ['explain', 'rj.spec.state']);
    expect(explainState.stdout).toContain('Stopped is final');
    // Each provider's keys and refusals are documented where users look: kubectl explain.
    const explainOptions = await kubectl(kubeconfig, ['explain', 'rj.spec.providerOptions']);
    const flat = explainOptions.stdout.replace(/\s+/g, ' ');
    for (const id of PROVIDER_IDS) expect(flat).toContain(id);
    expect(flat).toContain('huawei-clickhouse: sourceNodeId');
    expect(explainState.stdout.replace(/\s+/g, ' ')).toContain('tencent-cdb and huawei-clickhouse have no pause and refuse it');

    const get = await kubectl(kubeconfig, ['get', 'rj', '-n', 'default']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout.split('\n')[0]).toMatch(/^NAME\s+STATE\s+PHASE\s+PROGRESS\s+DELAY\s+JOB ID\s+AGE/);

    const dir = await mkdtemp(join(tmpdir(), 'drs-admission-'));
    const file = join(dir, 'job.yaml');
    await writeFile(file, stringify({ ...job('valid'), spec: { ...job('valid').spec, engine: 'mysql' } }));
    const apply = await kubectl(kubeconfig, ['apply', '-f', file]);
    expect(apply.code).not.toBe(0);
    expect(apply.stderr).toContain('engine is immutable: create a new ReplicationJob');
  });
});

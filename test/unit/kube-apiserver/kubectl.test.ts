// The real kubectl against the test server: apply (CRD, then objects),
// get with printer columns, -o yaml, describe, explain, validation errors,
// get -w, delete, and the typed (protobuf) create commands.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../support/kube-apiserver/index.ts';
import { startKubeApiServer } from '../../support/kube-apiserver/index.ts';
import { hasKubectl } from '../../support/kubectl.ts';
import { CRD_DIR, widgets } from './helpers.ts';

let server: KubeApiServer;
let dir: string;
let kubeconfig: string;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function kubectl(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
      { timeout: 20_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function manifest(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const widgetYaml = (spec: string) => `apiVersion: test.example.io/v1
kind: Widget
metadata:
  name: k1
spec:
${spec}
`;

beforeAll(async () => {
  if (!hasKubectl) return;
  // No crdDir: kubectl installs the CRD itself, as `kubectl apply -f crds/` would.
  server = await startKubeApiServer();
  dir = await mkdtemp(join(tmpdir(), 'kubectl-test-'));
  kubeconfig = await server.writeKubeconfig(join(dir, 'kubeconfig'));
});
afterAll(async () => {
  if (server) await server.close();
});

describe.skipIf(!hasKubectl)('kubectl', () => {
  it('applies the CRD directory and then a widget', async () => {
    const crd = await kubectl('apply', '-f', CRD_DIR);
    expect(crd.stderr).toBe('');
    expect(crd.stdout).toContain('customresourcedefinition.apiextensions.k8s.io/widgets.test.example.io created');
    expect(crd.stdout).toContain('customresourcedefinition.apiextensions.k8s.io/gizmos.test.example.io created');
    const file = await manifest('k1.yaml', widgetYaml('  type: round\n  size: 3\n  displayName: first'));
    expect((await kubectl('apply', '-f', file)).stdout).toBe('widget.test.example.io/k1 created\n');
    expect((await kubectl('apply', '-f', file)).stdout).toBe('widget.test.example.io/k1 unchanged\n');
    const changed = await manifest('k1b.yaml', widgetYaml('  type: round\n  size: 4\n  displayName: first'));
    expect((await kubectl('apply', '-f', changed)).stdout).toBe('widget.test.example.io/k1 configured\n');
  });

  it('gets widgets with the printer columns', async () => {
    const { stdout, code } = await kubectl('get', 'widgets');
    expect(code).toBe(0);
    const [header, row] = stdout.trim().split('\n');
    expect(header?.split(/\s+/)).toEqual(['NAME', 'TYPE', 'SIZE', 'READY', 'AGE']);
    expect(row?.split(/\s+/).slice(0, 3)).toEqual(['k1', 'round', '4']);
    expect((await kubectl('get', 'wd', 'k1', '-o', 'name')).stdout).toBe('widget.test.example.io/k1\n');
  });

  it('prints the object as YAML', async () => {
    const { stdout } = await kubectl('get', 'widget', 'k1', '-o', 'yaml');
    expect(stdout).toContain('kind: Widget');
    expect(stdout).toMatch(/spec:\n {2}displayName: first\n {2}phase: Running\n {2}size: 4\n {2}type: round/);
    expect(stdout).toContain('generation: 2');
  });

  it('describes a widget, including its events', async () => {
    const obj = await widgets(server.kubeConfig()).get('k1');
    await server
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .createNamespacedEvent({
        namespace: 'default',
        body: {
          metadata: { name: 'k1.event' },
          involvedObject: { apiVersion: 'test.example.io/v1', kind: 'Widget', name: 'k1', namespace: 'default', uid: obj.metadata.uid },
          reason: 'Polished',
          message: 'the widget shines',
          type: 'Normal',
          source: { component: 'tests' },
          firstTimestamp: new Date(),
          lastTimestamp: new Date(),
          count: 1,
        },
      });
    const { stdout } = await kubectl('describe', 'widget', 'k1');
    expect(stdout).toMatch(/^Name:\s+k1$/m);
    expect(stdout).toMatch(/^Kind:\s+Widget$/m);
    expect(stdout).toMatch(/Display Name:\s+first/);
    expect(stdout).toMatch(/Normal\s+Polished\s+\S+\s+tests\s+the widget shines/);
  });

  it('explains fields from the CRD schema', async () => {
    const { stdout } = await kubectl('explain', 'widget.spec.size');
    expect(stdout).toContain('KIND:       Widget');
    expect(stdout).toContain('FIELD: size <integer>');
    expect(stdout).toContain('How big the widget is, from 1 to 100.');
    const spec = await kubectl('explain', 'widgets.spec');
    expect(spec.stdout).toMatch(/type\s+<string> -required-\n\s+enum: round, square\n\s+The shape of the widget\. Immutable once set\./);
  });

  it('shows the server validation message for an invalid apply', async () => {
    const immutable = await manifest('k1c.yaml', widgetYaml('  type: square\n  size: 4\n  displayName: first'));
    const result = await kubectl('apply', '-f', immutable);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('The Widget "k1" is invalid: spec.type: Invalid value: "string": type is immutable\n');

    // kubectl validates strictly on the server: unknown fields fail the create (decode) and the patch path.
    const unknown = await manifest('bad.yaml', widgetYaml('  type: round\n  size: 4\n  colour: red').replace('name: k1', 'name: k2'));
    const strict = await kubectl('apply', '-f', unknown);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe(
      `Error from server (BadRequest): error when creating "${unknown}": Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.colour"\n`,
    );
    const existing = await manifest('k1d.yaml', widgetYaml('  type: round\n  size: 4\n  displayName: first\n  colour: red'));
    const patched = await kubectl('apply', '-f', existing);
    expect(patched.code).toBe(1);
    expect(patched.stderr).toContain(`error when patching "${existing}": strict decoding error: unknown field "spec.colour"`);
  });

  it('streams changes with get -w', async () => {
    const child = spawn('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'get', 'widgets', '-w']);
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      await waitFor(() => out.includes('k1'));
      await widgets(server.kubeConfig()).merge('k1', { spec: { size: 9 } });
      await waitFor(() => /k1\s+round\s+9/.test(out));
    } finally {
      child.kill();
    }
    expect(out.split('\n')[0]?.split(/\s+/)).toEqual(['NAME', 'TYPE', 'SIZE', 'READY', 'AGE']);
  });

  it('creates secrets and namespaces with the typed (protobuf) commands', async () => {
    expect((await kubectl('create', 'secret', 'generic', 'db-creds', '--from-literal=password=s3cret')).stdout).toBe('secret/db-creds created\n');
    const secret = await server.kubeConfig().makeApiClient(CoreV1Api).readNamespacedSecret({ name: 'db-creds', namespace: 'default' });
    expect(Buffer.from(secret.data?.password ?? '', 'base64').toString()).toBe('s3cret');
    expect((await kubectl('create', 'namespace', 'team-b')).stdout).toBe('namespace/team-b created\n');
  });

  it('deletes a widget and waits for it to be gone', async () => {
    const { stdout, code } = await kubectl('delete', 'widget', 'k1');
    expect(code).toBe(0);
    expect(stdout).toBe('widget.test.example.io "k1" deleted\n');
    const gone = await kubectl('get', 'widget', 'k1');
    expect(gone.stderr).toBe('Error from server (NotFound): widgets.test.example.io "k1" not found\n');
  });
});

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Kubeconfig for the test server: a plain-http cluster, a user with a dummy
// bearer token (the server accepts any credentials), namespace `default`.
// Both kubectl and @kubernetes/client-node load it like a real cluster's.
// client-node 2.x refuses http:// servers unless the cluster sets
// insecure-skip-tls-verify (config.js createDispatcherOptions); kubectl
// ignores that flag for plain http, so it is set.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';

export const CONTEXT_NAME = 'kube-apiserver-test';

export function kubeconfigDocument(serverUrl: string, namespace = 'default') {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: CONTEXT_NAME, cluster: { server: serverUrl, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'test-user', user: { token: 'test-token' } }],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: 'test-user', namespace } }],
    'current-context': CONTEXT_NAME,
    preferences: {},
  };
}

/** Writes the kubeconfig (to a fresh temp dir unless `path` is given) and returns its path. */
export async function writeKubeconfigFile(serverUrl: string, path?: string): Promise<string> {
  const target = path ?? join(await mkdtemp(join(tmpdir(), 'kube-apiserver-')), 'kubeconfig');
  await writeFile(target, stringify(kubeconfigDocument(serverUrl)), { mode: 0o600 });
  return target;
}

export function loadKubeConfig(serverUrl: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(stringify(kubeconfigDocument(serverUrl)));
  return kc;
}

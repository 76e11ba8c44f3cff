import { loadConfig, type Config } from '../../../controller/src/config.ts';
import { RELEASE_NAMESPACE } from './chart-values.ts';
import { findManifest, type Manifest } from './helm.ts';

/**
 * The configuration the operator would run with in the rendered Deployment: its args and env
 * through the operator's own config loader (unknown or invalid flags throw ConfigError).
 */
export function renderedOperatorConfig(manifests: Manifest[]): Config {
  const pod = findManifest(manifests, 'Deployment').spec.template.spec;
  const container = pod.containers[0];
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    // The downward API fills metadata.namespace with the pod's, i.e. the release, namespace.
    env[variable.name] = variable.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace' ? RELEASE_NAMESPACE : variable.value;
  }
  return loadConfig(container.args, env, { hostname: () => 'drs-operator-7d9f-abcde', randomSuffix: () => '0000' });
}

/** The ServiceAccount the rendered Deployment runs as. */
export function renderedServiceAccount(manifests: Manifest[]): { namespace: string; name: string } {
  const deployment = findManifest(manifests, 'Deployment');
  return { namespace: deployment.metadata.namespace ?? RELEASE_NAMESPACE, name: deployment.spec.template.spec.serviceAccountName };
}

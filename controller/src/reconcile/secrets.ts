import type { ReplicationJobSpec } from '../api/replication-job-spec.ts';
import { retryableError } from './errors.ts';
import type { ClusterView } from './ports.ts';
import type { ResolvedSecrets } from './provider.ts';

export interface JobSecrets {
  secrets: ResolvedSecrets;
  /** Every secret value resolved for this job: scrubbed from any text the operator writes. */
  values: string[];
  sourcePasswordVersion?: string;
  targetPasswordVersion?: string;
}

/**
 * Resolve the Secrets a job refers to. A missing Secret or key is retryable (the Secret watch
 * wakes the job when it appears) and the message names the ref, never a value.
 */
export function resolveJobSecrets(view: ClusterView, namespace: string, spec: ReplicationJobSpec): JobSecrets {
  const values: string[] = [];
  const get = (ref: { name: string; key: string }): string => {
    const secret = view.getSecret(namespace, ref.name);
    if (!secret) throw retryableError('SecretNotFound', `Secret ${namespace}/${ref.name} does not exist: create it with key ${ref.key}`);
    const value = secret.data[ref.key];
    if (value === undefined) throw retryableError('SecretKeyNotFound', `Secret ${namespace}/${ref.name} has no key ${ref.key}`);
    if (value.length > 0) values.push(value);
    return value;
  };
  const version = (ref: { name: string } | undefined) => (ref ? view.getSecret(namespace, ref.name)?.resourceVersion : undefined);
  const sourceRef = spec.source.passwordSecretRef;
  const targetRef = spec.target.passwordSecretRef;
  const sourcePassword = sourceRef ? get(sourceRef) : undefined;
  const targetPassword = targetRef ? get(targetRef) : undefined;
  const sourcePasswordVersion = version(sourceRef);
  const targetPasswordVersion = version(targetRef);
  return {
    secrets: {
      get,
      ...(sourcePassword !== undefined ? { sourcePassword } : {}),
      ...(targetPassword !== undefined ? { targetPassword } : {}),
    },
    values,
    ...(sourcePasswordVersion !== undefined ? { sourcePasswordVersion } : {}),
    ...(targetPasswordVersion !== undefined ? { targetPasswordVersion } : {}),
  };
}

/** Every Secret name a job refers to (for the Secret → jobs index). */
export function referencedSecretNames(spec: Partial<ReplicationJobSpec>): string[] {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (key.endsWith('SecretRef') && child && typeof child === 'object' && typeof (child as { name?: unknown }).name === 'string') {
        names.add((child as { name: string }).name);
      } else visit(child);
    }
  };
  visit(spec.source);
  visit(spec.target);
  return [...names];
}

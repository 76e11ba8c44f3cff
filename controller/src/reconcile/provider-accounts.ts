import { ClusterProviderConfigSpec, accountOptionsProblem, ProviderConfigSpec, type ProviderId } from '../api/provider-config.ts';
import type { ReplicationJob } from '../api/resources.ts';
import { ReconcileError, retryableError, terminalError } from './errors.ts';
import type { ClusterView } from './ports.ts';
import type { ProviderAccount } from './provider.ts';

/** Everything a provider needs to build an account client. Credentials are values: handle with care. */
export interface AccountConfig {
  /** kind/namespace/name of the (Cluster)ProviderConfig, for logs and metrics. */
  key: string;
  provider: ProviderId;
  spec: ProviderConfigSpec;
  credentials: Record<string, string>;
  hooks: AccountHooks;
}

/** Operator-wide settings and observability every provider account reports into. */
export interface AccountHooks {
  /** Poll interval when the ProviderConfig sets none (--default-poll-interval). */
  defaultPollIntervalMs: number;
  onRequest?: (request: { provider: string; operation: string; outcome: string; seconds: number }) => void;
  onPollStretched?: (provider: string) => void;
  log?: { warn(obj: object, msg: string): void; debug(obj: object, msg: string): void };
}

export type ProviderFactory = (config: AccountConfig) => ProviderAccount;

interface CachedAccount {
  version: string;
  account: ProviderAccount;
}

/**
 * Resolves a job's providerRef to a live ProviderAccount, building one per (Cluster)ProviderConfig
 * and rebuilding it when the config or its credentials Secret changes. One account = one poller
 * and one rate limiter, shared by every job that refers to it.
 */
export class ProviderAccounts {
  readonly #view: ClusterView;
  readonly #factories: ReadonlyMap<string, ProviderFactory>;
  readonly #onJobChanged: (accountKey: string, jobId: string) => void;
  readonly #hooks: AccountHooks;
  readonly #accounts = new Map<string, CachedAccount>();

  constructor(
    view: ClusterView,
    factories: ReadonlyMap<string, ProviderFactory>,
    onJobChanged: (accountKey: string, jobId: string) => void,
    hooks: AccountHooks = { defaultPollIntervalMs: 30_000 },
  ) {
    this.#view = view;
    this.#factories = factories;
    this.#onJobChanged = onJobChanged;
    this.#hooks = hooks;
  }

  /** The account for this job; throws ReconcileError (terminal when only a change to an object fixes it). */
  resolve(job: ReplicationJob): { key: string; account: ProviderAccount } {
    const ref = job.spec.providerRef;
    const namespace = job.metadata.namespace ?? 'default';
    const resolved = ref.kind === 'ClusterProviderConfig' ? this.#clusterConfig(ref.name, namespace) : this.#namespacedConfig(namespace, ref.name);
    const factory = this.#factories.get(resolved.spec.provider);
    if (!factory) {
      throw terminalError('ProviderUnavailable', `${resolved.key} uses provider ${resolved.spec.provider}, which this operator build does not include`);
    }
    const cached = this.#accounts.get(resolved.key);
    if (cached && cached.version === resolved.version) return { key: resolved.key, account: cached.account };
    if (cached) void cached.account.close();
    const account = factory({ key: resolved.key, provider: resolved.spec.provider, spec: resolved.spec, credentials: resolved.credentials, hooks: this.#hooks });
    account.onJobChanged((jobId) => this.#onJobChanged(resolved.key, jobId));
    this.#accounts.set(resolved.key, { version: resolved.version, account });
    return { key: resolved.key, account };
  }

  async closeAll(): Promise<void> {
    const accounts = [...this.#accounts.values()];
    this.#accounts.clear();
    await Promise.allSettled(accounts.map((a) => a.account.close()));
  }

  #namespacedConfig(namespace: string, name: string) {
    const key = `ProviderConfig/${namespace}/${name}`;
    const config = this.#view.getProviderConfig(namespace, name);
    if (!config) {
      throw retryableError('ProviderConfigNotFound', `ProviderConfig ${namespace}/${name} does not exist: create it, or fix spec.providerRef`);
    }
    const spec = parseConfig(ProviderConfigSpec, config.spec, key);
    const secretRef = spec.credentialsSecretRef ? { namespace, name: spec.credentialsSecretRef.name } : undefined;
    return this.#withCredentials(key, `${config.metadata.generation ?? 0}`, spec, secretRef);
  }

  #clusterConfig(name: string, jobNamespace: string) {
    const key = `ClusterProviderConfig/${name}`;
    const config = this.#view.getClusterProviderConfig(name);
    if (!config) {
      throw retryableError('ProviderConfigNotFound', `ClusterProviderConfig ${name} does not exist: create it, or fix spec.providerRef`);
    }
    const spec = parseConfig(ClusterProviderConfigSpec, config.spec, key);
    if (spec.allowedNamespaces?.length && !spec.allowedNamespaces.includes(jobNamespace)) {
      throw terminalError('ProviderConfigNotAllowed', `${key} does not allow namespace ${jobNamespace}: add it to spec.allowedNamespaces or use another provider config`);
    }
    const { allowedNamespaces: _allowed, credentialsSecretRef, ...rest } = spec;
    const plain: ProviderConfigSpec = { ...rest, ...(credentialsSecretRef ? { credentialsSecretRef: { name: credentialsSecretRef.name } } : {}) };
    return this.#withCredentials(key, `${config.metadata.generation ?? 0}`, plain, credentialsSecretRef);
  }

  #withCredentials(key: string, generation: string, spec: ProviderConfigSpec, secretRef: { namespace: string; name: string } | undefined) {
    if (!secretRef) return { key, spec, credentials: {}, version: `${generation}/-` };
    const secret = this.#view.getSecret(secretRef.namespace, secretRef.name);
    if (!secret) {
      throw retryableError('CredentialsNotFound', `Secret ${secretRef.namespace}/${secretRef.name} named by ${key} does not exist: create it with the provider's credential keys`);
    }
    return { key, spec, credentials: secret.data, version: `${generation}/${secret.resourceVersion}` };
  }
}

function parseConfig<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown, key: string): T {
  const result = schema.safeParse(value);
  if (result.success) {
    const problem = accountOptionsProblem(result.data as ProviderConfigSpec);
    if (problem) throw new ReconcileError('InvalidProviderConfig', `${key} is invalid: ${problem}`, { terminal: true });
    return result.data;
  }
  const problems = result.error.issues.map((i) => `spec.${i.path.map(String).join('.')}: ${i.message}`).join('; ');
  throw new ReconcileError('InvalidProviderConfig', `${key} is invalid: ${problems}`, { terminal: true });
}

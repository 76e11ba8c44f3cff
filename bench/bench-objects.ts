import type { KubeConfig } from '@kubernetes/client-node';
import type { ReplicationJob } from '../controller/src/api/resources.ts';
import { API_GROUP, API_VERSION } from '../controller/src/api/group.ts';
import { objects } from '../test/support/operator-harness.ts';
import { forEachBounded } from './bounded.ts';

/**
 * The Kubernetes objects of a run: credentials and DB password Secrets, one ProviderConfig
 * pointing at the simulator, and N ReplicationJobs shaped like the huawei-drs integration
 * test's. Every request made here is counted, so the report can tell the operator's
 * Kubernetes traffic from the benchmark's own.
 */

export const PROVIDER_CONFIG = 'drs';
const CREDENTIALS_SECRET = 'drs-aksk';
const DB_SECRET = 'bench-db';
/** Jobs created at once: enough to make creation quick, few enough not to measure client socket pools. */
const CREATE_PARALLELISM = 50;

export interface ProviderConfigInput {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  requestsPerSecond: number;
  pollActive: string;
  pollSteady: string;
}

export function jobSpec() {
  return {
    providerRef: { kind: 'ProviderConfig', name: PROVIDER_CONFIG },
    type: 'sync',
    engine: 'mysql',
    direction: 'up',
    mode: 'fullAndIncremental',
    nodeType: 'high',
    network: { type: 'eip', subnetId: 'subnet-1' },
    source: { host: '203.0.113.10', port: 3306, user: 'repl', passwordSecretRef: { name: DB_SECRET, key: 'password' } },
    target: { host: '203.0.113.20', port: 3306, user: 'root', passwordSecretRef: { name: DB_SECRET, key: 'password' } },
    objects: { databases: [{ name: 'orders', tables: ['orders'] }] },
    syncPolicy: { conflict: 'overwrite' },
  };
}

/** `bench-0001` ... : sortable, and wide enough for the job count. */
export function jobNames(count: number): string[] {
  const width = String(count).length;
  return Array.from({ length: count }, (_, i) => `bench-${String(i + 1).padStart(width, '0')}`);
}

export class BenchObjects {
  readonly #api: ReturnType<typeof objects>;
  readonly #namespace: string;
  /** The benchmark's own Kubernetes requests by verb. */
  readonly requests: Record<string, number> = {};

  constructor(kubeConfig: KubeConfig, namespace: string) {
    this.#api = objects(kubeConfig, namespace);
    this.#namespace = namespace;
  }

  async createProviderSide(input: ProviderConfigInput): Promise<void> {
    await this.#count('create', this.#api.createSecret(CREDENTIALS_SECRET, { accessKey: input.accessKey, secretKey: input.secretKey }));
    await this.#count('create', this.#api.createSecret(DB_SECRET, { password: 'Orders-db-Passw0rd' }));
    await this.#count(
      'create',
      this.#api.createProviderConfig(PROVIDER_CONFIG, {
        provider: 'huawei-drs',
        endpoint: input.endpoint,
        projectId: '054ba152d480d55b2f5dc0069e7ddef0',
        credentialsSecretRef: { name: CREDENTIALS_SECRET },
        requestsPerSecond: input.requestsPerSecond,
        pollIntervals: { active: input.pollActive, steady: input.pollSteady },
      }),
    );
  }

  async createJobs(names: readonly string[]): Promise<void> {
    const spec = jobSpec();
    await forEachBounded(names, CREATE_PARALLELISM, (name) => this.#count('create', this.#api.createJob(name, spec)));
  }

  /** Every job's phase, in one list call (N gets would load the server more than the operator does). */
  async phases(): Promise<(string | undefined)[]> {
    const list = (await this.#count(
      'list',
      this.#api.custom.listNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: this.#namespace, plural: 'replicationjobs' }),
    )) as { items: ReplicationJob[] };
    return list.items.map((job) => job.status?.phase);
  }

  #count<T>(verb: string, request: Promise<T>): Promise<T> {
    this.requests[verb] = (this.requests[verb] ?? 0) + 1;
    return request;
  }
}

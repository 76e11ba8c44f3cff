import type { Operator } from '../../controller/src/operator.ts';
import { providerFactories } from '../../controller/src/providers/registry.ts';
import type { ProviderFactory } from '../../controller/src/reconcile/provider-accounts.ts';
import { objects, startOperator, type TestObjects } from './operator-harness.ts';
import { startTestCluster, type TestCluster } from './test-cluster.ts';

/** What the operator talks to in a provider test: a simulator, or the built-in engine. */
export interface ProviderApi {
  url: string;
  close(): unknown;
}

export interface ProviderTestbedSetup<P extends ProviderApi> {
  /** The test file's namespace. */
  namespace: string;
  /** Starts the provider API; it gets the cluster for the ones that live in it (the embedded engine). */
  startProvider: (cluster: TestCluster) => Promise<P>;
  /** Secrets to create, name → stringData: the account's credentials, the databases' passwords. */
  secrets: Record<string, Record<string, string>>;
  /** ProviderConfigs to create, name → spec, given the provider API's URL (their endpoint). */
  providerConfigs?: (url: string) => Record<string, object>;
  /** The provider factories the operator runs with; all of the registry's by default. */
  providers?: Map<string, ProviderFactory>;
}

/**
 * The end-to-end setup every provider test shares: the Kubernetes API test server (or the real
 * cluster), the provider API, the credentials Secret and ProviderConfig pointing at it, and the
 * real operator watching the namespace. `start()` in beforeAll, `close()` in afterAll; close
 * stops what did start (operator, provider, cluster, in that order) even after a failed start.
 * The getters are for what runs after start: tests, and helpers made at describe time.
 */
export function providerTestbed<P extends ProviderApi>(setup: ProviderTestbedSetup<P>) {
  let cluster: TestCluster | undefined;
  let api: TestObjects | undefined;
  let provider: P | undefined;
  let operator: Operator | undefined;
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the provider testbed has no ${what}: call start() in beforeAll first`);
    return value;
  };

  const testbed = {
    get cluster() {
      return started(cluster, 'cluster');
    },
    get api() {
      return started(api, 'cluster');
    },
    get provider() {
      return started(provider, 'provider API');
    },
    get operator() {
      return started(operator, 'operator');
    },
    async start() {
      cluster = await startTestCluster(setup.namespace);
      api = objects(cluster.kubeConfig, cluster.namespace);
      provider = await setup.startProvider(cluster);
      for (const [name, data] of Object.entries(setup.secrets)) await api.createSecret(name, data);
      for (const [name, spec] of Object.entries(setup.providerConfigs?.(provider.url) ?? {})) await api.createProviderConfig(name, spec);
      await testbed.startOperator();
      return { cluster, api, provider };
    },
    /** Starts a new operator: at start, and again after a test stopped one (a controller restart). */
    async startOperator() {
      const { kubeConfig, namespace } = testbed.cluster;
      operator = startOperator(kubeConfig, setup.providers ?? providerFactories(), { namespace });
      await operator.start();
    },
    async close() {
      await operator?.stop();
      await provider?.close();
      await cluster?.close();
    },
  };
  return testbed;
}

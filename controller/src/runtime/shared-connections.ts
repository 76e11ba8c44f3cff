import { createHash } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';

interface Closable {
  close?(): Promise<void>;
}

type CreateDispatcher = (cluster: unknown, agentOptions: unknown) => Closable | undefined;

const SHARED = Symbol.for('drs-operator.shared-connections');

/**
 * client-node 2.0.1 builds a new undici Agent for every request whenever the cluster has TLS
 * options (a CA, client certificates, or skip-verify: i.e. always in a real cluster). Each Agent
 * has its own connection pool, so every API call opens a new TCP+TLS connection and the idle ones
 * linger: at a thousand jobs the operator runs out of file descriptors (EMFILE). This makes the
 * KubeConfig hand out one dispatcher per distinct (server, TLS options), so requests reuse
 * keep-alive connections. A rotated client certificate yields a new key, hence a new dispatcher.
 */
export function shareConnections(kubeConfig: KubeConfig): KubeConfig {
  const target = kubeConfig as unknown as { createDispatcher?: CreateDispatcher; [SHARED]?: true };
  if (typeof target.createDispatcher !== 'function' || target[SHARED]) return kubeConfig;
  const create = target.createDispatcher.bind(kubeConfig);
  const cache = new Map<string, Closable | undefined>();
  target.createDispatcher = (cluster, agentOptions) => {
    const key = createHash('sha256')
      .update(JSON.stringify([(cluster as { server?: string; proxyUrl?: string } | undefined)?.server, (cluster as { proxyUrl?: string } | undefined)?.proxyUrl, agentOptions]))
      .digest('hex');
    if (!cache.has(key)) {
      // Keep a handful: more than that means credentials rotate; close what is no longer used.
      if (cache.size >= 4) {
        const [oldest] = cache.keys();
        void cache.get(oldest!)?.close?.().catch(() => undefined);
        cache.delete(oldest!);
      }
      cache.set(key, create(cluster, agentOptions));
    }
    return cache.get(key);
  };
  target[SHARED] = true;
  return kubeConfig;
}

/**
 * drs-operator entry point: wiring only. config → logger/metrics → Kubernetes client →
 * operator (informers, queue, reconciler, leader election) → health server; signals.
 */
import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError, configHelp, isHelpRequested, loadConfig, type Config } from './config.ts';
import { startEmbeddedEngine } from './embedded-engine.ts';
import { startHealthServer, type HealthServer } from './observability/health-server.ts';
import { createLogger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import { Operator } from './operator.ts';
import { providerFactories } from './providers/registry.ts';
import { shareConnections } from './runtime/shared-connections.ts';

async function main(argv: string[]): Promise<void> {
  if (isHelpRequested(argv)) {
    process.stdout.write(`${configHelp()}\n`);
    return;
  }
  let config: Config;
  try {
    config = loadConfig(argv, process.env, { hostname });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`drs-operator: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger({ level: config.logLevel });
  const kubeConfig = new KubeConfig();
  if (config.kubeconfig && !process.env.KUBECONFIG?.includes(config.kubeconfig)) kubeConfig.loadFromFile(config.kubeconfig);
  else kubeConfig.loadFromDefault();
  shareConnections(kubeConfig);
  const metrics = createMetrics(undefined, { collectDefaultMetrics: true });
  const engine = config.embeddedEngine
    ? await startEmbeddedEngine({ kubeConfig, dataDir: config.engineDataDir, listen: config.engineListen, namespace: config.leaderElectionNamespace, log })
    : undefined;
  const operator = new Operator({ kubeConfig, settings: config, providers: providerFactories(), log, metrics });

  const servers: HealthServer[] = [];
  const checks = { live: () => true, ready: () => operator.ready() };
  const same = config.metricsBindAddress.host === config.healthBindAddress.host && config.metricsBindAddress.port === config.healthBindAddress.port;
  if (same) servers.push(await startHealthServer({ ...config.healthBindAddress, registry: metrics.registry, checks }));
  else {
    servers.push(await startHealthServer({ ...config.metricsBindAddress, registry: metrics.registry }));
    servers.push(await startHealthServer({ ...config.healthBindAddress, checks }));
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight reconciles and releasing the lease');
    await operator.stop();
    await engine?.close();
    await Promise.all(servers.map((s) => s.close()));
    log.info({}, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => log.error({ error: String(reason) }, 'unhandled promise rejection (bug): continuing'));

  log.info(
    { identity: config.identity, namespace: config.namespace ?? '(all)', leaderElect: config.leaderElect, cluster: kubeConfig.getCurrentCluster()?.server },
    'starting drs-operator',
  );
  await operator.start();
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`drs-operator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createAdminHandler } from './admin.ts';
import type { ApiContext } from './api/api-context.ts';
import { TaskNames } from './api/task-names.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Executor } from './executor.ts';
import type { PostgresExecutorOptions } from './executors/postgres/executor.ts';
import { SimulatedExecutor, type SimulatedDelays, type SimulatedExecutorOptions } from './executors/simulated.ts';
import { FaultInjector, type FaultSettings } from './faults.ts';
import { JobRuntime } from './job-runtime.ts';
import { silentLogger, type EngineLogger } from './logger.ts';
import { createDrsServer } from './server.ts';
import { RequestStats, type StatsSnapshot } from './stats.ts';
import { JobStore, type JobStoreOptions } from './store.ts';

/**
 * The built-in engine: a Huawei DRS v3-compatible HTTP server over a durable job store, with a
 * pluggable executor doing the data plane ("simulated" here; a PostgreSQL logical-replication
 * executor plugs in through the same Executor interface).
 */
export interface EngineOptions {
  /** Where to listen (default 127.0.0.1, an ephemeral port). */
  listen?: { host?: string; port?: number };
  /** Job store directory; created if missing. One engine per directory. */
  dataDir: string;
  /** The data plane: the simulator (default), PostgreSQL logical replication, or your own. */
  executor?: 'simulated' | 'postgres' | Executor;
  /** PostgreSQL executor options (poll interval, connect timeout, pg_dump location). */
  postgres?: Omit<PostgresExecutorOptions, 'logger'>;
  /** AK/SK the clients must sign with. */
  credentials: { accessKey: string; secretKey: string };
  /** Also accept X-Auth-Token with this value. */
  token?: string;
  /** Simulated executor step durations (ms). */
  delays?: Partial<SimulatedDelays>;
  /** More simulated executor options (engines, default lag). */
  simulated?: Omit<SimulatedExecutorOptions, 'delays'>;
  faults?: Partial<FaultSettings>;
  clock?: Clock;
  /** Random source for fault injection (default Math.random). */
  random?: () => number;
  /** UUID source for task IDs (default crypto.randomUUID). */
  randomUUID?: () => string;
  /** Refuse duplicate task names with DRS.M00277 (default true). */
  uniqueNames?: boolean;
  /** Serve /_sim (default: when the executor is simulated). */
  admin?: boolean;
  adminToken?: string;
  logger?: EngineLogger;
  store?: JobStoreOptions;
}

export interface Engine {
  /** Base URL, e.g. http://127.0.0.1:8088 (the DRS "endpoint"). */
  readonly url: string;
  readonly port: number;
  readonly executor: Executor;
  /** The simulated executor's controls, when that is the executor. */
  readonly simulated: SimulatedExecutor | undefined;
  readonly faults: FaultInjector;
  readonly runtime: JobRuntime;
  stats(): StatsSnapshot;
  resetStats(): StatsSnapshot;
  /** Resolves when no operation or transition is in flight (for tests with a manual clock). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startEngine(options: EngineOptions): Promise<Engine> {
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? silentLogger;
  const executor: Executor =
    options.executor === undefined || options.executor === 'simulated'
      ? new SimulatedExecutor({ ...options.simulated, ...(options.delays ? { delays: options.delays } : {}) })
      : options.executor === 'postgres'
        ? await postgresExecutor({ ...options.postgres, logger: log })
        : options.executor;
  const simulated = executor instanceof SimulatedExecutor ? executor : undefined;

  const store = JobStore.open(options.dataDir, options.store);
  const runtime = new JobRuntime({ store, executor, clock, log });
  const faults = new FaultInjector({ clock, ...(options.faults ? { settings: options.faults } : {}), ...(options.random ? { random: options.random } : {}) });
  const stats = new RequestStats(() => clock.now());
  const uuid = options.randomUUID ?? randomUUID;
  const api: ApiContext = {
    runtime,
    executor,
    clock,
    newJobId: (dbUseType) => drsJobId(uuid(), dbUseType),
    names: options.uniqueNames === false ? undefined : new TaskNames(store),
    itemBusy: (endpoint) => faults.itemBusy(endpoint),
  };
  try {
    await runtime.start();
  } catch (error) {
    await store.close();
    throw error;
  }

  const adminEnabled = options.admin ?? simulated !== undefined;
  const server = createDrsServer({
    api,
    auth: { accessKey: options.credentials.accessKey, secretKey: options.credentials.secretKey, token: options.token },
    faults,
    stats,
    clock,
    log,
    admin: adminEnabled ? createAdminHandler({ runtime, faults, stats, simulated, token: options.adminToken }) : undefined,
  });
  const host = options.listen?.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen?.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  log.info({ url: `http://${urlHost}:${port}`, executor: executor.kind, jobs: store.size }, 'DRS engine listening');

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    executor,
    simulated,
    faults,
    runtime,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    idle: () => runtime.idle(),
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await runtime.close();
        await executor.close?.();
        await store.close();
      })()),
  };
}

/** Loaded on demand: engines with the simulator never load the PostgreSQL driver. */
async function postgresExecutor(options: PostgresExecutorOptions): Promise<Executor> {
  const { PostgresExecutor } = await import('./executors/postgres/executor.ts');
  return new PostgresExecutor(options);
}

/** DRS task IDs are UUIDs whose last group ends in "jb" + a scenario code (seed examples: ...453jb101, ...9jb502). */
const SCENARIO_CODES: Record<string, string> = { migration: '101', sync: '201', cloudDataGuard: '502' };

export function drsJobId(uuid: string, dbUseType: string): string {
  return `${uuid.slice(0, uuid.length - 5)}jb${SCENARIO_CODES[dbUseType] ?? '101'}`;
}

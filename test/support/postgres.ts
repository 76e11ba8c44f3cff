import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findPostgresBinDir } from '../../engine/src/executors/postgres/binaries.ts';

/**
 * Real PostgreSQL servers for tests: N throwaway clusters on loopback, each in its own temp
 * dir, started in parallel, stopped (and removed) by `stop()` — and by a process exit hook if a
 * test run dies first. Share them across the tests of a file and give each test its own
 * databases (`createDatabase`).
 *
 * initdb refuses to run as root, so as root the servers run as the `postgres` system user that
 * Debian's package creates (.ci/postgres-setup.sh installs it). Auth: trust on the Unix
 * socket, scram-sha-256 on 127.0.0.1 — the superuser `postgres` has PASSWORD below, so a
 * wrong password really fails.
 */
export const SUPERUSER = 'postgres';
export const SUPERUSER_PASSWORD = 'pg-Test-Superuser-1';

export interface PgClusterOptions {
  /** postgresql.conf settings on top of the defaults below (e.g. {wal_level: 'replica'}). */
  settings?: Record<string, string>;
}

export interface PgCluster {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** Runs SQL as the superuser in `database` (default postgres). */
  query<R extends pg.QueryResultRow = any>(sql: string, params?: unknown[], database?: string): Promise<pg.QueryResult<R>>;
  createDatabase(name: string, owner?: string): Promise<void>;
  /** Creates a LOGIN role with a password (and REPLICATION, SUPERUSER, ... as given). */
  createRole(name: string, password: string, attributes?: string): Promise<void>;
  stop(): Promise<void>;
}

/** Every cluster gets these: logical decoding on, room for slots/senders/workers, no durability (speed). */
const DEFAULT_SETTINGS: Record<string, string> = {
  listen_addresses: "'127.0.0.1'",
  wal_level: 'logical',
  max_replication_slots: '20',
  max_wal_senders: '20',
  max_logical_replication_workers: '12',
  max_sync_workers_per_subscription: '4',
  max_worker_processes: '24',
  max_connections: '60',
  shared_buffers: '16MB',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  // The subscriber's feedback interval: replication delay is measured from it (default 10 s).
  wal_receiver_status_interval: '1s',
  // The launcher starts a new subscription's workers at most this often (default 5 s per start).
  wal_retrieve_retry_interval: '200ms',
  log_min_messages: 'warning',
};

export function postgresBinDir(): string | undefined {
  const dir = findPostgresBinDir();
  if (!dir) return undefined;
  const probe = spawnSync(join(dir, 'initdb'), ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? dir : undefined;
}

/**
 * Whether the PostgreSQL suites run: they need server binaries. Without them they skip — unless
 * ENGINE_POSTGRES_TESTS=require (CI), where missing binaries fail the run.
 */
export function postgresTestsEnabled(): boolean {
  if (postgresBinDir()) return true;
  const message = 'PostgreSQL server binaries not found (initdb/pg_ctl): run .ci/postgres-setup.sh, or set ENGINE_PG_BINDIR.';
  if (process.env.ENGINE_POSTGRES_TESTS === 'require') throw new Error(message);
  console.warn(`${message} Skipping the PostgreSQL executor suites.`);
  return false;
}

export async function startPostgresClusters(options: PgClusterOptions[]): Promise<PgCluster[]> {
  const settled = await Promise.allSettled(options.map((one) => startPostgresCluster(one)));
  const started = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = settled.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(started.map((cluster) => cluster.stop()));
    throw (failure as PromiseRejectedResult).reason;
  }
  return started;
}

const running = new Set<{ pgCtl: string; dataDir: string; asUser: string | undefined }>();
let exitHookInstalled = false;

export async function startPostgresCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const binDir = postgresBinDir();
  if (!binDir) throw new Error('PostgreSQL server binaries not found: run .ci/postgres-setup.sh (installs Debian\'s postgresql package).');
  const asUser = process.getuid?.() === 0 ? 'postgres' : undefined;
  const root = mkdtempSync(join(tmpdir(), 'drs-pg-'));
  const dataDir = join(root, 'data');
  const pwfile = join(root, 'pwfile');
  writeFileSync(pwfile, `${SUPERUSER_PASSWORD}\n`);
  if (asUser) {
    const uid = Number(execFileSync('id', ['-u', asUser], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', asUser], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
    chownSync(pwfile, uid, gid);
  }
  // Asynchronous, so the clusters of one startPostgresClusters call really initialize in parallel.
  const run = (program: string, args: string[]): Promise<void> =>
    new Promise((resolve, reject) => {
      const [file, argv] = asUser ? ['runuser', ['-u', asUser, '--', join(binDir, program), ...args]] : [join(binDir, program), args];
      execFile(file, argv, { cwd: root, encoding: 'utf8' }, (error, stdout, stderr) =>
        error ? reject(new Error(`${program} failed (${error.code ?? error.message}): ${stderr || stdout}`)) : resolve(),
      );
    });

  const pgCtl = join(binDir, 'pg_ctl');
  const entry = { pgCtl, dataDir, asUser };
  let port: number;
  try {
    await run('initdb', ['-D', dataDir, '-U', SUPERUSER, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '-N']);
    port = await freePort();
    const settings = { ...DEFAULT_SETTINGS, port: String(port), unix_socket_directories: `'${root}'`, ...options.settings };
    const conf = Object.entries(settings).map(([key, value]) => `${key} = ${value}`).join('\n');
    writeFileSync(join(dataDir, 'postgresql.auto.conf'), `${conf}\n`);
    if (asUser) execFileSync('chown', [asUser, join(dataDir, 'postgresql.auto.conf')]);
    running.add(entry);
    installExitHook();
    await run('pg_ctl', ['-D', dataDir, '-l', join(root, 'server.log'), '-w', '-t', '30', 'start']);
  } catch (error) {
    stopServer(entry);
    rmSync(root, { recursive: true, force: true });
    throw error;
  }

  const pools = new Map<string, pg.Pool>();
  const poolFor = (database: string): pg.Pool => {
    let pool = pools.get(database);
    if (!pool) {
      pool = new pg.Pool({ host: '127.0.0.1', port, user: SUPERUSER, password: SUPERUSER_PASSWORD, database, max: 3, idleTimeoutMillis: 2000 });
      pool.on('error', () => {}); // idle connections die when the server stops; nothing to do
      pools.set(database, pool);
    }
    return pool;
  };
  let stopped: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    dataDir,
    query: (sql, params, database = 'postgres') => poolFor(database).query(sql, params),
    createDatabase: async (name, owner) => {
      await poolFor('postgres').query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${owner ? ` OWNER ${pg.escapeIdentifier(owner)}` : ''}`);
    },
    createRole: async (name, password, attributes = '') => {
      await poolFor('postgres').query(`CREATE ROLE ${pg.escapeIdentifier(name)} LOGIN PASSWORD ${pg.escapeLiteral(password)} ${attributes}`);
    },
    stop: () =>
      (stopped ??= (async () => {
        await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => {})));
        stopServer(entry);
        rmSync(root, { recursive: true, force: true });
      })()),
  };
}

function stopServer(entry: { pgCtl: string; dataDir: string; asUser: string | undefined }): void {
  if (!running.delete(entry)) return;
  const args = ['-D', entry.dataDir, '-m', 'immediate', '-w', 'stop'];
  if (entry.asUser) spawnSync('runuser', ['-u', entry.asUser, '--', entry.pgCtl, ...args], { stdio: 'ignore' });
  else spawnSync(entry.pgCtl, args, { stdio: 'ignore' });
}

/** A dying test process must not leave servers behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const entry of [...running]) stopServer(entry);
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Walking a PostgreSQL task through the DRS API (signed HTTP, as a client would).

export interface PgEndpointSpec {
  cluster: PgCluster;
  user: string;
  password: string;
  database: string;
}

export interface PgTaskSpec {
  name: string;
  taskType: 'FULL_TRANS' | 'FULL_INCR_TRANS' | 'INCR_TRANS';
  source: PgEndpointSpec;
  target: PgEndpointSpec;
  /** batch-select-objects `job` entries; omitted = every table of the source database. */
  objects?: Array<Record<string, unknown>>;
}

/** The calls a DRS client makes (DrsTestClient from the engine unit tests fits). */
export interface DrsCaller {
  post(action: string, body: unknown): Promise<{ status: number; body: any }>;
  put(action: string, body: unknown): Promise<{ status: number; body: any }>;
  delete(action: string, body: unknown): Promise<{ status: number; body: any }>;
  status(ids: string[]): Promise<Record<string, string>>;
}

export function endpointRecord(endpoint: PgEndpointSpec): Record<string, unknown> {
  return {
    db_type: 'postgresql',
    ip: endpoint.cluster.host,
    db_port: endpoint.cluster.port,
    db_user: endpoint.user,
    db_password: endpoint.password,
    db_name: endpoint.database,
  };
}

export function connectionItem(id: string, endpoint: PgEndpointSpec, type: 'so' | 'ta'): Record<string, unknown> {
  return { id, net_type: 'eip', end_point_type: type, ...endpointRecord(endpoint) };
}

export async function createTask(drs: DrsCaller, spec: PgTaskSpec, overrides: Record<string, unknown> = {}): Promise<{ status: number; body: any }> {
  return drs.post('/batch-creation', {
    jobs: [
      {
        name: spec.name,
        node_type: 'high',
        engine_type: 'postgresql',
        net_type: 'eip',
        job_direction: 'down',
        db_use_type: 'sync',
        task_type: spec.taskType,
        customize_sutnet_id: 'local',
        source_endpoint: endpointRecord(spec.source),
        target_endpoint: endpointRecord(spec.target),
        ...overrides,
      },
    ],
  });
}

/** Creates the task and configures it: connection tests, modification, object selection. */
export async function configureTask(drs: DrsCaller, spec: PgTaskSpec): Promise<string> {
  const created = await createTask(drs, spec);
  const id: string | undefined = created.body.results[0].id;
  if (!id) throw new Error(`creation refused: ${JSON.stringify(created.body)}`);
  await waitForStatus(drs, id, 'CONFIGURATION');
  const tested = await drs.post('/batch-connection', { jobs: [connectionItem(id, spec.source, 'so'), connectionItem(id, spec.target, 'ta')] });
  const failedTests = tested.body.results.filter((result: { success: boolean }) => !result.success);
  if (failedTests.length > 0) throw new Error(`connection test failed: ${JSON.stringify(failedTests)}`);
  const modified = await drs.put('/batch-modification', {
    jobs: [{ job_id: id, name: spec.name, engine_type: 'postgresql', source_endpoint: endpointRecord(spec.source), target_endpoint: endpointRecord(spec.target) }],
  });
  if (modified.body.results[0].status !== 'success') throw new Error(`modification failed: ${JSON.stringify(modified.body)}`);
  const selected = await drs.put('/batch-select-objects', {
    jobs: [spec.objects ? { job_id: id, selected: true, job: spec.objects } : { job_id: id, selected: false, job: [] }],
  });
  if (selected.body.results[0].status !== true) throw new Error(`object selection failed: ${JSON.stringify(selected.body)}`);
  return id;
}

/** Runs the forStartJob pre-check and returns its result (batch-precheck-result entry). */
export async function precheckTask(drs: DrsCaller, id: string): Promise<any> {
  const started = await drs.post('/batch-precheck', { jobs: [{ job_id: id, precheck_mode: 'forStartJob' }] });
  if (started.body.results[0].status !== 'success') throw new Error(`pre-check refused: ${JSON.stringify(started.body)}`);
  return eventually(async () => {
    const answer = await drs.post('/batch-precheck-result', { jobs: [id] });
    const result = answer.body.results[0];
    return result.process === '100%' ? result : undefined;
  }, `pre-check of ${id} to finish`);
}

/** Configured, pre-checked (must pass) and started. */
export async function startTask(drs: DrsCaller, spec: PgTaskSpec): Promise<string> {
  const id = await configureTask(drs, spec);
  const precheck = await precheckTask(drs, id);
  if (!precheck.result) throw new Error(`pre-check failed: ${JSON.stringify(precheck.precheck_result.filter((item: { result: string }) => item.result === 'FAILED'))}`);
  const started = await drs.post('/batch-starting', { jobs: [{ job_id: id }] });
  if (started.body.results[0].status !== 'success') throw new Error(`start refused: ${JSON.stringify(started.body)}`);
  return id;
}

export async function waitForStatus(drs: DrsCaller, id: string, status: string, timeoutMs = 20_000): Promise<void> {
  let last = '';
  await eventually(
    async () => {
      last = (await drs.status([id]))[id] ?? '';
      return last === status ? true : undefined;
    },
    () => `task ${id} to reach ${status} (last seen: ${last})`,
    timeoutMs,
  );
}

export async function progressOf(drs: DrsCaller, id: string): Promise<any> {
  return (await drs.post('/batch-progress', { jobs: [id] })).body.results[0];
}

/** Polls `probe` until it returns something other than undefined. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string | (() => string), timeoutMs = 20_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const description = typeof what === 'string' ? what : what();
      throw new Error(`timed out waiting for ${description}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Row count of a table (as the superuser). */
export async function countRows(cluster: PgCluster, database: string, table: string): Promise<number> {
  const { rows } = await cluster.query(`SELECT count(*)::int AS n FROM ${table}`, [], database);
  return rows[0].n;
}

/** Waits until `table` on the target has `expected` rows. */
export async function waitForRows(cluster: PgCluster, database: string, table: string, expected: number, timeoutMs = 20_000): Promise<void> {
  let last = -1;
  await eventually(
    async () => {
      last = await countRows(cluster, database, table);
      return last === expected ? true : undefined;
    },
    () => `${table} in ${database} to hold ${expected} rows (has ${last})`,
    timeoutMs,
  );
}

import { startPostgresClusters, SUPERUSER, SUPERUSER_PASSWORD, type PgCluster, type PgEndpointSpec } from '../test/support/postgres.ts';
import type { Cleanup } from './postgres-cleanup.ts';

/**
 * Two throwaway PostgreSQL clusters from the test harness (loopback, wal_level=logical, fsync
 * off): a source and a target. On top of the harness's settings the benchmark gives each a
 * more usual buffer cache and room for WAL, so neither the copy nor the baseline is measuring
 * a 16 MB cache or back-to-back checkpoints. The harness's max_sync_workers_per_subscription
 * (4: tables copied in parallel) is kept.
 */
export const BENCH_PG_SETTINGS: Record<string, string> = {
  shared_buffers: '128MB',
  max_wal_size: '4GB',
  checkpoint_timeout: '30min',
};

/** The source database's owner: a REPLICATION role owning the tables, as the executor's pre-check wants. */
export const SOURCE_OWNER = 'drs_bench_src';
export const SOURCE_OWNER_PASSWORD = 'Bench-Src-Passw0rd-1';
export const DATABASE = 'bench';

export interface BenchServers {
  source: PgCluster;
  target: PgCluster;
  /** The task's endpoints: the owner role on the source, the superuser on the target (< 16 needs one). */
  from: PgEndpointSpec;
  to: PgEndpointSpec;
}

export async function startServers(cleanup: Cleanup): Promise<BenchServers> {
  const [source, target] = (await startPostgresClusters([{ settings: BENCH_PG_SETTINGS }, { settings: BENCH_PG_SETTINGS }])) as [PgCluster, PgCluster];
  cleanup.add('stopping the source server', () => source.stop());
  cleanup.add('stopping the target server', () => target.stop());
  await source.createRole(SOURCE_OWNER, SOURCE_OWNER_PASSWORD, 'REPLICATION');
  await source.createDatabase(DATABASE, SOURCE_OWNER);
  await target.createDatabase(DATABASE);
  return {
    source,
    target,
    from: { cluster: source, user: SOURCE_OWNER, password: SOURCE_OWNER_PASSWORD, database: DATABASE },
    to: { cluster: target, user: SUPERUSER, password: SUPERUSER_PASSWORD, database: DATABASE },
  };
}

/** Writes dirty buffers out on both servers, so a timed phase does not pay for the previous one's writes. */
export async function checkpoint(servers: BenchServers): Promise<void> {
  await Promise.all([servers.source.query('CHECKPOINT'), servers.target.query('CHECKPOINT')]);
}

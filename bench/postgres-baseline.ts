import { performance } from 'node:perf_hooks';
import { totalRows, type BenchTables } from './postgres-data.ts';
import { conninfo, pipe } from './postgres-programs.ts';
import { checkpoint, DATABASE, type BenchServers } from './postgres-servers.ts';

/**
 * The yardstick: the same tables copied by `pg_dump --data-only | psql` into an empty database
 * on the target server that already has their definitions (primary keys included — as the
 * engine's target does when its copy starts). One pg_dump, one psql: tables one after another,
 * each as one COPY. The schema step is not timed; the database is dropped afterwards.
 */
export const BASELINE_DATABASE = 'bench_baseline';
export const BASELINE_METHOD = 'pg_dump --data-only | psql (one stream, tables one after another; definitions created first, untimed)';

export interface BaselineRun {
  seconds: number;
}

export async function runBaseline(servers: BenchServers, tables: BenchTables, expectedRows: number): Promise<BaselineRun> {
  const { source, target } = servers;
  await target.createDatabase(BASELINE_DATABASE);
  try {
    const tableArgs = tables.names.flatMap((name) => ['-t', `public.${name}`]);
    const dump = (section: string) => ({ name: 'pg_dump', args: [section, '--no-owner', '--no-privileges', ...tableArgs, '-d', conninfo(source, DATABASE)] });
    const psql = { name: 'psql', args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', conninfo(target, BASELINE_DATABASE)] };
    await pipe(dump('--schema-only'), psql);
    await checkpoint(servers);

    const started = performance.now();
    await pipe(dump('--data-only'), psql);
    const seconds = (performance.now() - started) / 1000;

    const copied = await totalRows(target, BASELINE_DATABASE, tables);
    if (copied !== expectedRows) throw new Error(`the baseline copied ${copied} rows, expected ${expectedRows}`);
    return { seconds };
  } finally {
    await target.query(`DROP DATABASE IF EXISTS ${BASELINE_DATABASE} WITH (FORCE)`);
  }
}

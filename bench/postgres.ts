import { performance } from 'node:perf_hooks';
import { postgresBinDir } from '../test/support/postgres.ts';
import { parsePgBenchArgs, type PgBenchArgs } from './postgres-args.ts';
import { runBaseline } from './postgres-baseline.ts';
import { Cleanup, exitOnInterrupt } from './postgres-cleanup.ts';
import { benchTables, loadTables, tableSizes, totalRows } from './postgres-data.ts';
import { startBenchEngine } from './postgres-engine.ts';
import { environment } from './postgres-environment.ts';
import { runFullCopy } from './postgres-full-copy.ts';
import { killPrograms } from './postgres-programs.ts';
import { pgBenchReport } from './postgres-report.ts';
import { DATABASE, startServers } from './postgres-servers.ts';
import { runSteadyState } from './postgres-steady.ts';
import { pgBenchSummary } from './postgres-summary.ts';

/**
 * The built-in engine's PostgreSQL executor against real servers (see bench/README.md):
 * full-copy throughput against a `pg_dump | psql` baseline, then the replication delay the
 * engine reports under a pgbench write load, and the catch-up after it. One JSON line on
 * stdout, progress and a summary on stderr. Exit 0 done, 1 failed (or out of time), 2 bad
 * arguments; the servers are stopped and removed either way.
 */
let args: PgBenchArgs;
try {
  args = parsePgBenchArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
if (!postgresBinDir()) {
  process.stderr.write('PostgreSQL server binaries not found (initdb/pg_ctl): run .ci/postgres-setup.sh, or set ENGINE_PG_BINDIR.\n');
  process.exit(1);
}

const began = performance.now();
let phase = 'starting';
const step = (name: string): void => {
  phase = name;
  process.stderr.write(`[${((performance.now() - began) / 1000).toFixed(1)} s] ${name}\n`);
};

const cleanup = new Cleanup();
cleanup.add('ending pg_dump/psql/pgbench', killPrograms);
const disarm = exitOnInterrupt(cleanup, args.timeoutSeconds, () => `during: ${phase}`);
let exitCode = 0;
try {
  step('starting two PostgreSQL servers');
  const servers = await startServers(cleanup);
  const tables = benchTables(args.rows, args.tables, args.rowBytes);

  step(`loading ${args.rows} rows of ~${args.rowBytes} B into ${args.tables} tables`);
  const loadStarted = performance.now();
  await loadTables(servers.source, DATABASE, tables);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const rows = await totalRows(servers.source, DATABASE, tables);
  const sizes = await tableSizes(servers.source, DATABASE, tables);

  step('baseline: pg_dump --data-only | psql');
  const baseline = await runBaseline(servers, tables, rows);

  step('engine: full copy (FULL_INCR_TRANS)');
  const { drs } = await startBenchEngine(cleanup);
  const fullCopy = await runFullCopy(drs, servers, tables, rows);

  step(`engine: incremental under ${args.loadRps} writes/s for ${args.loadSeconds} s, then catch-up`);
  const steady = await runSteadyState(drs, servers, tables, fullCopy.taskId, fullCopy.subscription, args.loadRps, args.loadSeconds);

  const report = pgBenchReport({ args, rows, sizes, loadSeconds, baseline, fullCopy, steady, environment: await environment(servers.source) });
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.stderr.write(pgBenchSummary(report));
} catch (error) {
  // Interrupted: the servers went away under the run, which then fails for that reason alone.
  if (!cleanup.started) process.stderr.write(`\nbenchmark failed during "${phase}": ${(error as Error).stack ?? error}\n`);
  exitCode = 1;
} finally {
  if (!cleanup.started) step('cleaning up');
  disarm();
  await cleanup.run();
}
process.exit(exitCode);

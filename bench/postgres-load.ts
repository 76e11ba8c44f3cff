import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PgCluster } from '../test/support/postgres.ts';
import type { BenchTables } from './postgres-data.ts';
import { conninfo, run } from './postgres-programs.ts';

/**
 * The steady-state write load: pgbench (a separate process, so it does not compete with the
 * engine for this process's event loop) with two custom scripts per table, chosen with equal
 * weight — half the transactions insert a new row, half update one existing row by primary key
 * (`k = k + 1, updated_at = now()`), spread evenly over the tables. Each transaction is one
 * autocommitted statement; pgbench paces them with `-R` (a Poisson schedule averaging the rate)
 * for `-T` seconds, prepared statements, 4 connections on 2 threads.
 */
export const LOAD_CLIENTS = 4;
export const LOAD_THREADS = 2;
export const LOAD_DESCRIPTION = 'pgbench -R: 50% single-row INSERT, 50% single-row UPDATE by primary key, spread over the tables, one statement per transaction';

export interface LoadRun {
  transactions: number;
  /** pgbench's own rate ("tps ... without initial connection time"). */
  achievedRps: number;
  /** How far behind its schedule pgbench ran (average, ms): large = the source could not keep up. */
  scheduleLagMsAvg: number | undefined;
}

function scripts(tables: BenchTables): Array<{ file: string; text: string }> {
  return tables.names.flatMap((name, i) => [
    {
      file: `insert_${name}.sql`,
      text: `\\set k random(1, 1000000000)\nINSERT INTO public.${name} (k, payload) VALUES (:k, rpad(md5(CAST(:k AS text)), ${tables.payloadLength}, 'x'));\n`,
    },
    {
      file: `update_${name}.sql`,
      text: `\\set id random(1, ${Math.max(1, tables.rowsPerTable[i]!)})\nUPDATE public.${name} SET k = k + 1, updated_at = now() WHERE id = :id;\n`,
    },
  ]);
}

export async function runLoad(source: PgCluster, database: string, tables: BenchTables, rps: number, seconds: number): Promise<LoadRun> {
  const dir = await mkdtemp(join(tmpdir(), 'drs-bench-pgbench-'));
  try {
    const files = scripts(tables);
    for (const script of files) await writeFile(join(dir, script.file), script.text);
    const output = await run('pgbench', [
      '--no-vacuum',
      '--protocol=prepared',
      `--client=${LOAD_CLIENTS}`,
      `--jobs=${LOAD_THREADS}`,
      `--rate=${rps}`,
      `--time=${seconds}`,
      ...files.flatMap((script) => ['-f', `${join(dir, script.file)}@1`]),
      conninfo(source, database),
    ]);
    return parsePgbench(output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function parsePgbench(output: string): LoadRun {
  const transactions = /number of transactions actually processed: (\d+)/.exec(output);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output);
  const lag = /rate limit schedule lag: avg ([\d.]+)/.exec(output);
  if (!transactions || !tps) throw new Error(`unexpected pgbench output:\n${output}`);
  return { transactions: Number(transactions[1]), achievedRps: Number(tps[1]), scheduleLagMsAvg: lag ? Number(lag[1]) : undefined };
}

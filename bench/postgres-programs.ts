import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { postgresBinDir, SUPERUSER, SUPERUSER_PASSWORD, type PgCluster } from '../test/support/postgres.ts';

/**
 * The PostgreSQL client programs the benchmark runs (pg_dump, psql, pgbench), as the superuser
 * over TCP. Every child is remembered so a failed or interrupted run can end it.
 */

const children = new Set<ChildProcess>();

/** Ends the programs still running (the benchmark's own children, by their process). */
export function killPrograms(): void {
  for (const child of children) child.kill('SIGTERM');
  children.clear();
}

export function program(name: string): string {
  const dir = postgresBinDir();
  if (!dir) throw new Error('PostgreSQL binaries not found: run .ci/postgres-setup.sh or set ENGINE_PG_BINDIR');
  return `${dir}/${name}`;
}

/** A libpq connection string for `database` on `cluster` (the password comes from PGPASSWORD). */
export function conninfo(cluster: PgCluster, database: string): string {
  return `host=${cluster.host} port=${cluster.port} user=${SUPERUSER} dbname=${database}`;
}

const ENV = { ...process.env, PGPASSWORD: SUPERUSER_PASSWORD, PGAPPNAME: 'drs-bench' };

function started(name: string, args: string[], stdin: 'ignore' | Readable = 'ignore'): ChildProcess {
  const child = spawn(program(name), args, { env: ENV, stdio: [stdin, 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function finished(child: ChildProcess, keepStdout: boolean): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  if (keepStdout) child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a program to completion; rejects (with its stderr) on a non-zero exit. */
export async function run(name: string, args: string[]): Promise<string> {
  const result = await finished(started(name, args), true);
  if (result.code !== 0) throw new Error(`${name} exited with ${result.code}: ${result.stderr.trim()}`);
  return result.stdout;
}

/**
 * `producer | consumer` through an OS pipe (the data does not pass through this process):
 * resolves when both have exited successfully.
 */
export async function pipe(producer: { name: string; args: string[] }, consumer: { name: string; args: string[] }): Promise<void> {
  const from = started(producer.name, producer.args);
  const to = started(consumer.name, consumer.args, from.stdout!);
  // The consumer has its own copy of the pipe's read end; ours would only keep the producer's 'close' from coming.
  from.stdout!.destroy();
  const [produced, consumed] = await Promise.all([finished(from, false), finished(to, false)]);
  if (produced.code !== 0) throw new Error(`${producer.name} exited with ${produced.code}: ${produced.stderr.trim()}`);
  if (consumed.code !== 0) throw new Error(`${consumer.name} exited with ${consumed.code}: ${consumed.stderr.trim()}`);
}

import { availableParallelism, cpus, totalmem } from 'node:os';
import type { PgCluster } from '../test/support/postgres.ts';

/** Where the figures were measured. */
export interface PgBenchEnvironment {
  postgres: string;
  node: string;
  cores: number;
  cpu: string;
  memoryGB: number;
}

export async function environment(source: PgCluster): Promise<PgBenchEnvironment> {
  const { rows } = await source.query(`SELECT current_setting('server_version') AS version`);
  return {
    postgres: rows[0].version,
    node: process.version,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
  };
}

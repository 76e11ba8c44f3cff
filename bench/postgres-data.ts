import type { PgCluster } from '../test/support/postgres.ts';
import { SOURCE_OWNER } from './postgres-servers.ts';

/**
 * The benchmark's tables: `public.bench_1 .. bench_N`, each
 *   id bigserial PRIMARY KEY, k int, updated_at timestamptz, payload text
 * with the payload sized so that a heap tuple is about `rowBytes` (tuple header 24 + id 8 +
 * k 4 + padding 4 + updated_at 8 + payload with its 1- or 4-byte length). Rows are spread
 * evenly over the tables; ids run 1..n in each.
 */
export interface BenchTables {
  names: string[];
  rowsPerTable: number[];
  /** Text length of every payload. */
  payloadLength: number;
}

export function benchTables(rows: number, tables: number, rowBytes: number): BenchTables {
  const base = Math.floor(rows / tables);
  return {
    names: Array.from({ length: tables }, (_, i) => `bench_${i + 1}`),
    rowsPerTable: Array.from({ length: tables }, (_, i) => base + (i < rows % tables ? 1 : 0)),
    payloadLength: Math.max(1, rowBytes - (rowBytes - 48 > 127 ? 52 : 49)),
  };
}

export function tableDdl(name: string): string {
  return `CREATE TABLE public.${name} (id bigserial PRIMARY KEY, k int NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)`;
}

/**
 * Creates the tables (owned by the source owner), fills them (in parallel, three at a time: the
 * harness's pool size), then VACUUM FREEZE ANALYZE: hint bits and the visibility map are set
 * and the planner's row estimates (which the executor's progress uses) are right, so neither
 * the baseline nor the engine pays for the load's leftovers.
 */
export async function loadTables(source: PgCluster, database: string, tables: BenchTables): Promise<void> {
  const ddl = tables.names.map(tableDdl).join('; ');
  await source.query(`BEGIN; SET LOCAL ROLE ${SOURCE_OWNER}; ${ddl}; COMMIT`, [], database);
  await Promise.all(
    tables.names.map((name, i) =>
      source.query(
        `INSERT INTO public.${name} (k, payload)
         SELECT g, rpad(md5(g::text), $2, md5((g + 1)::text)) FROM generate_series(1, $1::int) g`,
        [tables.rowsPerTable[i], tables.payloadLength],
        database,
      ),
    ),
  );
  for (const name of tables.names) await source.query(`VACUUM (FREEZE, ANALYZE) public.${name}`, [], database);
}

export interface TableSizes {
  /** pg_total_relation_size: heap, TOAST and the primary key index. */
  totalBytes: number;
  /** pg_relation_size of the heaps alone. */
  heapBytes: number;
}

export async function tableSizes(cluster: PgCluster, database: string, tables: BenchTables): Promise<TableSizes> {
  const { rows } = await cluster.query(
    `SELECT sum(pg_total_relation_size(c.oid))::float8 AS total, sum(pg_relation_size(c.oid))::float8 AS heap
       FROM pg_class c WHERE c.oid = ANY ($1::regclass[])`,
    [tables.names.map((name) => `public.${name}`)],
    database,
  );
  return { totalBytes: Number(rows[0].total), heapBytes: Number(rows[0].heap) };
}

/** Rows in all the tables together (one statement: one snapshot). */
export async function totalRows(cluster: PgCluster, database: string, tables: BenchTables): Promise<number> {
  const sum = tables.names.map((name) => `(SELECT count(*) FROM public.${name})`).join(' + ');
  const { rows } = await cluster.query(`SELECT (${sum})::int8 AS n`, [], database);
  return Number(rows[0].n);
}

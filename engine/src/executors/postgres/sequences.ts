import type { PgEndpoint } from './endpoints.ts';
import type { PoolRegistry } from './pools.ts';
import type { QualifiedName } from './selection.ts';

/**
 * Logical replication copies rows but not sequence positions: after a cut-over the target's
 * serial/identity columns would hand out numbers already used. When a task ends (full-only
 * completion, or stop), the sequences owned by the selected tables are set on the target to
 * the source's current values. Returns how many were set.
 */
export async function syncOwnedSequences(pools: PoolRegistry, source: PgEndpoint, target: PgEndpoint, tables: readonly QualifiedName[]): Promise<number> {
  if (tables.length === 0) return 0;
  const { rows } = await pools.query(
    source,
    `SELECT sn.nspname AS schema, s.relname AS name, ps.last_value::text AS last_value
       FROM pg_depend d
       JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
       JOIN pg_namespace sn ON sn.oid = s.relnamespace
       JOIN pg_class t ON t.oid = d.refobjid
       JOIN pg_namespace tn ON tn.oid = t.relnamespace
       JOIN pg_sequences ps ON ps.schemaname = sn.nspname AND ps.sequencename = s.relname
      WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
        AND (tn.nspname, t.relname) IN (SELECT * FROM unnest($1::text[], $2::text[]))
        AND ps.last_value IS NOT NULL`,
    [tables.map((t) => t.schema), tables.map((t) => t.name)],
  );
  let set = 0;
  for (const row of rows) {
    const result = await pools.query(
      target,
      `SELECT setval(to_regclass(format('%I.%I', $1::text, $2::text)), $3::bigint, true) AS value WHERE to_regclass(format('%I.%I', $1::text, $2::text)) IS NOT NULL`,
      [row.schema, row.name, row.last_value],
    );
    set += result.rowCount ?? 0;
  }
  return set;
}

import pg from 'pg';
import type { PgEndpoint } from './endpoints.ts';
import type { PoolRegistry } from './pools.ts';
import { qualified, type QualifiedName, type Selection } from './selection.ts';

/** Catalog reads the pre-check, the start and the progress poller share. */

export interface SourceTable extends QualifiedName {
  /** On-disk size: the weight of the table in full-sync progress. */
  bytes: number;
  /** Planner row estimate (-1 or 0 when never analyzed). */
  estimatedRows: number;
  hasPrimaryKey: boolean;
  /** pg_class.relreplident: d default (primary key), n nothing, f full, i index. */
  replicaIdentity: string;
  /** The connecting user owns it (or is superuser): needed to add it to a publication. */
  owned: boolean;
  canSelect: boolean;
}

export interface ResolvedTables {
  tables: SourceTable[];
  /** Selected tables the source database does not have. */
  missing: QualifiedName[];
  /** Selected schemas without any table. */
  emptySchemas: string[];
}

const USER_TABLES = `
  SELECT n.nspname AS schema, c.relname AS name,
         pg_relation_size(c.oid)::float8 AS bytes, c.reltuples::float8 AS estimated_rows,
         EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_primary_key,
         c.relreplident::text AS replica_identity,
         pg_has_role(c.relowner, 'USAGE') AS owned,
         has_table_privilege(c.oid, 'SELECT') AS can_select
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind = 'r' AND NOT c.relispartition
     AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
   ORDER BY 1, 2`;

/** The selected tables as the source database has them (plain, non-partition tables). */
export async function resolveSourceTables(pools: PoolRegistry, source: PgEndpoint, selection: Selection): Promise<ResolvedTables> {
  const { rows } = await pools.query(source, USER_TABLES);
  const all: SourceTable[] = rows.map((row) => ({
    schema: row.schema,
    name: row.name,
    bytes: Number(row.bytes),
    estimatedRows: Number(row.estimated_rows),
    hasPrimaryKey: row.has_primary_key,
    replicaIdentity: row.replica_identity,
    owned: row.owned,
    canSelect: row.can_select,
  }));
  const key = (table: QualifiedName): string => JSON.stringify([table.schema, table.name]);
  const wanted = new Set(selection.tables.map(key));
  const schemas = new Set(selection.schemas);
  const tables = all.filter((table) => selection.allTables || schemas.has(table.schema) || wanted.has(key(table)));
  const found = new Set(all.map(key));
  return {
    tables,
    missing: selection.tables.filter((table) => !found.has(key(table))),
    emptySchemas: selection.schemas.filter((schema) => !all.some((table) => table.schema === schema)),
  };
}

export interface TargetTableState extends QualifiedName {
  exists: boolean;
  hasRows: boolean;
}

/** Which of `tables` exist on the target, and whether they hold rows. */
export async function targetTableStates(pools: PoolRegistry, target: PgEndpoint, tables: readonly QualifiedName[]): Promise<TargetTableState[]> {
  if (tables.length === 0) return [];
  const { rows } = await pools.query(
    target,
    `SELECT n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE (n.nspname, c.relname) IN (SELECT * FROM unnest($1::text[], $2::text[])) AND c.relkind IN ('r', 'p')`,
    [tables.map((t) => t.schema), tables.map((t) => t.name)],
  );
  const existing = new Set(rows.map((row) => JSON.stringify([row.schema, row.name])));
  const states: TargetTableState[] = [];
  for (const table of tables) {
    const exists = existing.has(JSON.stringify([table.schema, table.name]));
    let hasRows = false;
    if (exists) {
      const probe = await pools.query(target, `SELECT EXISTS (SELECT 1 FROM ${quoteTable(table)}) AS has_rows`);
      hasRows = probe.rows[0]?.has_rows === true;
    }
    states.push({ ...table, exists, hasRows });
  }
  return states;
}

export interface ServerFacts {
  versionNum: number;
  major: number;
  version: string;
  walLevel: string;
  maxReplicationSlots: number;
  usedReplicationSlots: number;
  maxWalSenders: number;
  usedWalSenders: number;
  maxLogicalReplicationWorkers: number;
  usedLogicalReplicationWorkers: number;
  maxSyncWorkersPerSubscription: number;
  superuser: boolean;
  replication: boolean;
  canCreateInDatabase: boolean;
  /** PostgreSQL 16+: member of pg_create_subscription (may create subscriptions without superuser). */
  createSubscriptionRole: boolean;
  encoding: string;
  inRecovery: boolean;
}

export async function serverFacts(pools: PoolRegistry, endpoint: PgEndpoint): Promise<ServerFacts> {
  const { rows } = await pools.query(
    endpoint,
    `SELECT current_setting('server_version_num')::int AS version_num,
           current_setting('server_version') AS version,
           current_setting('wal_level') AS wal_level,
           current_setting('max_replication_slots')::int AS max_replication_slots,
           (SELECT count(*) FROM pg_replication_slots)::int AS used_replication_slots,
           current_setting('max_wal_senders')::int AS max_wal_senders,
           (SELECT count(*) FROM pg_stat_replication)::int AS used_wal_senders,
           current_setting('max_logical_replication_workers')::int AS max_logical_replication_workers,
           (SELECT count(*) FROM pg_stat_subscription WHERE pid IS NOT NULL)::int AS used_logical_replication_workers,
           current_setting('max_sync_workers_per_subscription')::int AS max_sync_workers,
           r.rolsuper AS superuser, r.rolreplication AS replication,
           has_database_privilege(current_database(), 'CREATE') AS can_create,
           COALESCE((SELECT pg_has_role(oid, 'USAGE') FROM pg_roles WHERE rolname = 'pg_create_subscription'), false) AS create_subscription_role,
           pg_encoding_to_char(d.encoding) AS encoding,
           pg_is_in_recovery() AS in_recovery
      FROM pg_roles r, pg_database d
     WHERE r.rolname = current_user AND d.datname = current_database()`,
  );
  const row = rows[0]!;
  return {
    versionNum: row.version_num,
    major: Math.floor(row.version_num / 10000),
    version: row.version,
    walLevel: row.wal_level,
    maxReplicationSlots: row.max_replication_slots,
    usedReplicationSlots: row.used_replication_slots,
    maxWalSenders: row.max_wal_senders,
    usedWalSenders: row.used_wal_senders,
    maxLogicalReplicationWorkers: row.max_logical_replication_workers,
    usedLogicalReplicationWorkers: row.used_logical_replication_workers,
    maxSyncWorkersPerSubscription: row.max_sync_workers,
    superuser: row.superuser,
    replication: row.replication,
    canCreateInDatabase: row.can_create,
    createSubscriptionRole: row.create_subscription_role,
    encoding: row.encoding,
    inRecovery: row.in_recovery,
  };
}

export function quoteTable(table: QualifiedName): string {
  return `${pg.escapeIdentifier(table.schema)}.${pg.escapeIdentifier(table.name)}`;
}

export function describeTables(tables: readonly QualifiedName[], limit = 10): string {
  const names = tables.slice(0, limit).map(qualified);
  return tables.length > limit ? `${names.join(', ')} and ${tables.length - limit} more` : names.join(', ');
}

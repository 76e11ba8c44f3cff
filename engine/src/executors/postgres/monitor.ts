import type { PgEndpoint } from './endpoints.ts';
import type { PoolRegistry } from './pools.ts';

/** Reads that say how far replication is: table sync states on the target, slot position on the source. */

export interface TableSyncState {
  schema: string;
  name: string;
  /** pg_subscription_rel.srsubstate: i init, d copying, f copy finished, s synchronized, r ready. */
  state: string;
  /** Rows the table-sync worker's COPY has written so far (while state is d). */
  copiedRows?: number;
}

export async function tableSyncStates(pools: PoolRegistry, target: PgEndpoint, subscriptionOid: number): Promise<TableSyncState[]> {
  const { rows } = await pools.query(
    target,
    `SELECT n.nspname AS schema, c.relname AS name, sr.srsubstate::text AS state, p.tuples_processed::float8 AS copied_rows
       FROM pg_subscription_rel sr
       JOIN pg_class c ON c.oid = sr.srrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_stat_progress_copy p ON p.relid = sr.srrelid AND p.datid = (SELECT oid FROM pg_database WHERE datname = current_database())
      WHERE sr.srsubid = $1`,
    [subscriptionOid],
  );
  return rows.map((row) => ({ schema: row.schema, name: row.name, state: row.state, ...(row.copied_rows === null ? {} : { copiedRows: Number(row.copied_rows) }) }));
}

export interface SlotPosition {
  /** The source's current WAL position (bytes). */
  currentLsn: bigint;
  /** What the subscriber confirmed it has (bytes); undefined when the slot does not exist. */
  confirmedLsn?: bigint;
  /** A walsender streams from the slot. */
  active: boolean;
}

export async function slotPosition(pools: PoolRegistry, source: PgEndpoint, slot: string): Promise<SlotPosition> {
  const { rows } = await pools.query(
    source,
    `SELECT pg_current_wal_lsn()::text AS current_lsn,
            (SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = $1) AS confirmed_lsn,
            COALESCE((SELECT active FROM pg_replication_slots WHERE slot_name = $1), false) AS active`,
    [slot],
  );
  const row = rows[0]!;
  return {
    currentLsn: lsnToBigInt(row.current_lsn),
    ...(row.confirmed_lsn ? { confirmedLsn: lsnToBigInt(row.confirmed_lsn) } : {}),
    active: row.active,
  };
}

/** "16/B374D848" → byte position. */
export function lsnToBigInt(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

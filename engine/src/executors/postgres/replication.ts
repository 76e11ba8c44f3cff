import pg from 'pg';
import { quoteTable } from './catalog.ts';
import { subscriptionConnInfo, type PgEndpoint } from './endpoints.ts';
import { tableSyncSlotPattern, type ReplicationNames } from './names.ts';
import type { PoolRegistry } from './pools.ts';
import type { QualifiedName } from './selection.ts';

/**
 * The PostgreSQL side of a task's life: the publication on the source, the subscription (and
 * through it the replication slot) on the target, enabling/disabling it, and taking it all
 * down again. Every step checks what exists first, so repeating it after a crash is safe.
 */

const ident = pg.escapeIdentifier;
const literal = pg.escapeLiteral;

/** Creates the publication for exactly `tables`, or sets its table list if it exists already. */
export async function ensurePublication(pools: PoolRegistry, source: PgEndpoint, name: string, tables: readonly QualifiedName[]): Promise<void> {
  const list = tables.map(quoteTable).join(', ');
  const existing = await pools.query(source, 'SELECT 1 FROM pg_publication WHERE pubname = $1', [name]);
  if (existing.rowCount === 0) await pools.query(source, `CREATE PUBLICATION ${ident(name)} FOR TABLE ${list}`);
  else await pools.query(source, `ALTER PUBLICATION ${ident(name)} SET TABLE ${list}`);
}

export interface SubscriptionState {
  oid: number;
  enabled: boolean;
}

export async function subscriptionState(pools: PoolRegistry, target: PgEndpoint, name: string): Promise<SubscriptionState | undefined> {
  const { rows } = await pools.query(
    target,
    `SELECT oid::int8 AS oid, subenabled FROM pg_subscription WHERE subname = $1 AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [name],
  );
  const row = rows[0];
  return row ? { oid: Number(row.oid), enabled: row.subenabled } : undefined;
}

export interface SubscriptionSpec {
  names: ReplicationNames;
  source: PgEndpoint;
  target: PgEndpoint;
  /** Initial copy of the existing rows (false for incremental-only tasks). */
  copyData: boolean;
  /** The target's major version (disable_on_error needs 15+). */
  targetMajor: number;
}

/**
 * Creates the subscription unless it exists. The slot is created on the source first, by us
 * (pg_create_logical_replication_slot), and the subscription told to use it (create_slot =
 * false): CREATE SUBSCRIPTION creating its own slot hangs when source and target databases
 * share a cluster, and a slot left by an interrupted attempt is simply reused (it predates the
 * copy, so nothing is missed).
 */
export async function ensureSubscription(pools: PoolRegistry, spec: SubscriptionSpec): Promise<SubscriptionState> {
  const existing = await subscriptionState(pools, spec.target, spec.names.subscription);
  if (existing) return existing;
  await ensureSlot(pools, spec.source, spec.names.slot);
  const options = [
    `slot_name = ${literal(spec.names.slot)}`,
    `copy_data = ${spec.copyData}`,
    'create_slot = false',
    'enabled = true',
    // Stop at the first apply error instead of retrying forever: the engine sees the subscription
    // disabled and reports the task failed (batch-retry-task enables it again).
    ...(spec.targetMajor >= 15 ? ['disable_on_error = true'] : []),
  ];
  await pools.query(
    spec.target,
    `CREATE SUBSCRIPTION ${ident(spec.names.subscription)} CONNECTION ${literal(subscriptionConnInfo(spec.source))} PUBLICATION ${ident(spec.names.publication)} WITH (${options.join(', ')})`,
  );
  const created = await subscriptionState(pools, spec.target, spec.names.subscription);
  if (!created) throw new Error(`subscription ${spec.names.subscription} was created but is not visible on the target`);
  return created;
}

async function ensureSlot(pools: PoolRegistry, source: PgEndpoint, slot: string): Promise<void> {
  const { rows } = await pools.query(source, 'SELECT plugin FROM pg_replication_slots WHERE slot_name = $1', [slot]);
  if (rows[0]?.plugin === 'pgoutput') return;
  if (rows.length > 0) await dropSlotIfUnused(pools, source, slot);
  await pools.query(source, `SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);
}

export async function setSubscriptionEnabled(pools: PoolRegistry, target: PgEndpoint, name: string, enabled: boolean): Promise<void> {
  await pools.query(target, `ALTER SUBSCRIPTION ${ident(name)} ${enabled ? 'ENABLE' : 'DISABLE'}`);
}

/** New source credentials for a running subscription (batch-modify-pwd on the source). */
export async function setSubscriptionConnection(pools: PoolRegistry, target: PgEndpoint, name: string, source: PgEndpoint): Promise<void> {
  await pools.query(target, `ALTER SUBSCRIPTION ${ident(name)} CONNECTION ${literal(subscriptionConnInfo(source))}`);
}

/** Apply and table-sync workers of the subscription still running (a disabled subscription's workers exit shortly after). */
export async function runningWorkers(pools: PoolRegistry, target: PgEndpoint, subscriptionOid: number): Promise<number> {
  const { rows } = await pools.query(target, 'SELECT count(*)::int AS n FROM pg_stat_subscription WHERE subid = $1 AND pid IS NOT NULL', [subscriptionOid]);
  return rows[0]?.n ?? 0;
}

/**
 * Stops the subscription's workers now. A table-sync worker in the middle of a COPY does not
 * look at DISABLE until the copy is done; terminated, its copy rolls back and starts over when
 * the subscription is enabled again. The launcher does not restart workers of a disabled one.
 */
export async function terminateWorkers(pools: PoolRegistry, target: PgEndpoint, subscriptionOid: number): Promise<void> {
  await pools.query(target, 'SELECT pg_terminate_backend(pid) FROM pg_stat_subscription WHERE subid = $1 AND pid IS NOT NULL', [subscriptionOid]);
}

export interface TeardownOptions {
  names: ReplicationNames;
  source: PgEndpoint;
  target: PgEndpoint;
  /** force_terminate: if the source cannot be reached, drop the subscription anyway (its slot may remain: reported). */
  force: boolean;
}

/**
 * Drops the subscription (which drops its slot on the source), then whatever is left on the
 * source: our slot, the table-sync slots of the subscription, the publication. Ends by checking
 * that no slot of ours is left; throws if one is.
 */
export async function teardown(pools: PoolRegistry, options: TeardownOptions): Promise<{ warnings: string[] }> {
  const { names, source, target } = options;
  const warnings: string[] = [];
  const subscription = await subscriptionState(pools, target, names.subscription);
  if (subscription) {
    try {
      await pools.query(target, `DROP SUBSCRIPTION ${ident(names.subscription)}`);
    } catch (error) {
      if (!options.force) throw new Error(`dropping subscription ${names.subscription} on the target failed: ${(error as Error).message}`);
      // The publisher is unreachable: detach the slot so the subscription can go (the slot is dropped below if we can).
      await pools.query(target, `ALTER SUBSCRIPTION ${ident(names.subscription)} DISABLE`);
      await pools.query(target, `ALTER SUBSCRIPTION ${ident(names.subscription)} SET (slot_name = NONE)`);
      await pools.query(target, `DROP SUBSCRIPTION ${ident(names.subscription)}`);
      warnings.push(`subscription dropped without reaching the source: ${(error as Error).message}`);
    }
  }
  try {
    await dropSlotIfUnused(pools, source, names.slot, true);
    if (subscription) {
      const sync = await pools.query(source, 'SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE $1', [tableSyncSlotPattern(subscription.oid)]);
      for (const row of sync.rows) await dropSlotIfUnused(pools, source, row.slot_name, true);
    }
    await pools.query(source, `DROP PUBLICATION IF EXISTS ${ident(names.publication)}`);
    const left = await pools.query(source, 'SELECT slot_name FROM pg_replication_slots WHERE slot_name = $1', [names.slot]);
    if ((left.rowCount ?? 0) > 0) throw new Error(`replication slot ${names.slot} is still on the source`);
  } catch (error) {
    const message = `cleaning up the source failed: ${(error as Error).message}; drop it by hand with SELECT pg_drop_replication_slot('${names.slot}') and DROP PUBLICATION ${names.publication}, or terminate the task again`;
    if (!options.force) throw new Error(message);
    warnings.push(message);
  }
  return { warnings };
}

/**
 * Drops a replication slot if it exists and no walsender uses it. With `wait`, waits up to a
 * few seconds for the walsender of a just-dropped subscription to go away.
 */
async function dropSlotIfUnused(pools: PoolRegistry, source: PgEndpoint, slot: string, wait = false): Promise<void> {
  const deadline = Date.now() + (wait ? 10_000 : 0);
  for (;;) {
    const { rows } = await pools.query(source, 'SELECT active FROM pg_replication_slots WHERE slot_name = $1', [slot]);
    if (rows.length === 0) return;
    if (!rows[0]!.active) {
      try {
        await pools.query(source, 'SELECT pg_drop_replication_slot($1)', [slot]);
        return;
      } catch (error) {
        // Became active (or was dropped) meanwhile: look again.
        if ((error as { code?: string }).code === '42704') return;
      }
    }
    if (Date.now() >= deadline) throw new Error(`replication slot ${slot} is in use on the source; stop whatever streams from it and try again`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

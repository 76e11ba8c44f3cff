import { createHash } from 'node:crypto';

/**
 * The PostgreSQL objects a task owns, named from its task ID alone — so after a restart (even
 * kill -9) the engine finds them again without having to have written anything down first.
 * Names are lowercase [a-z0-9_] (valid unquoted identifiers and valid replication slot names)
 * and at most 63 bytes (NAMEDATALEN - 1).
 */
export interface ReplicationNames {
  /** On the source: the tables being replicated. */
  publication: string;
  /** On the target: pulls from the publication. */
  subscription: string;
  /** On the source: keeps the WAL the subscription has not confirmed yet. */
  slot: string;
}

const MAX_SLUG = 50;

export function replicationNames(taskId: string): ReplicationNames {
  const slug = slugOf(taskId);
  return { publication: `drs_pub_${slug}`, subscription: `drs_sub_${slug}`, slot: `drs_slot_${slug}` };
}

function slugOf(taskId: string): string {
  const slug = taskId.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (slug.length > 0 && slug.length <= MAX_SLUG && slug === taskId.toLowerCase().replace(/-/g, '_')) return slug;
  // Unusual IDs (long, or with characters that would collide after cleaning): keep a readable
  // prefix and make the rest unique with a hash of the exact ID.
  const hash = createHash('sha256').update(taskId).digest('hex').slice(0, 12);
  return `${slug.slice(0, MAX_SLUG - 13)}_${hash}`.replace(/^_/, '');
}

/** The temporary slots PostgreSQL's table-sync workers create for a subscription (pg_<suboid>_sync_<relid>_<sysid>). */
export function tableSyncSlotPattern(subscriptionOid: number): string {
  return `pg\\_${subscriptionOid}\\_sync\\_%`;
}

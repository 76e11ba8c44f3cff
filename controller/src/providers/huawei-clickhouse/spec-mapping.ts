import type { Endpoint, ReplicationJobSpec } from '../../api/replication-job-spec.ts';
import { formatJobId, type ReplicationKey } from './job-id.ts';
import { parseClickHouseProviderOptions } from './provider-options.ts';
import type { CreateReplicationRequest, DatabaseCheckRequest, TableCheckRequest } from './schemas.ts';

/**
 * ReplicationJob spec → replication API requests, and the fields this API cannot honour. Pure.
 *
 * One ReplicationJob is one synchronized source database: the API replicates whole databases,
 * one task per (ClickHouse instance, database), and takes nothing but the source instance, an
 * optional read replica and the database name. Everything else in the common spec is refused
 * with a message naming the field, so nothing is silently ignored.
 */

/** Accepted spec.engine values: the source is GaussDB(for MySQL), which speaks MySQL. */
export const CLICKHOUSE_ENGINES = ['gaussdb-mysql', 'mysql'] as const;
const SOURCE_DB_TYPES = new Set(['gaussdb-mysql', 'mysql']);
const TARGET_DB_TYPES = new Set(['clickhouse']);

/** Endpoint fields that describe a connection this API never makes (it works by instance ID). */
const CONNECTION_FIELDS = ['host', 'port', 'database', 'user', 'passwordSecretRef', 'ssl', 'kafka', 'vpcId', 'subnetId', 'securityGroupId'] as const;

/** Problems only a spec change fixes; empty when the API can run this spec. */
export function validateForClickHouse(spec: ReplicationJobSpec, account: { projectId: string }): string[] {
  const problems: string[] = [];
  if (!(CLICKHOUSE_ENGINES as readonly string[]).includes(spec.engine)) {
    problems.push(`spec.engine ${spec.engine} is not offered: huawei-clickhouse reads GaussDB(for MySQL); set engine: gaussdb-mysql`);
  }
  if (spec.type !== 'sync') {
    problems.push(`spec.type ${spec.type} is not offered: huawei-clickhouse keeps ClickHouse in sync with a GaussDB(for MySQL) database; set type: sync`);
  }
  if (spec.mode !== undefined && spec.mode !== 'fullAndIncremental') {
    problems.push(`spec.mode ${spec.mode} is not offered: the synchronization always copies the database, then streams its changes; remove spec.mode or set fullAndIncremental`);
  }
  for (const field of ['direction', 'nodeType', 'network'] as const) {
    if (spec[field] !== undefined) problems.push(`spec.${field} is not used: the synchronization runs inside the ClickHouse instance; remove spec.${field}`);
  }
  problems.push(...endpointProblems('source', spec.source, SOURCE_DB_TYPES, 'the GaussDB(for MySQL) instance to read from', account.projectId));
  problems.push(...endpointProblems('target', spec.target, TARGET_DB_TYPES, 'the ClickHouse instance to write to', account.projectId));
  problems.push(...objectProblems(spec));
  if (spec.syncPolicy !== undefined) problems.push('spec.syncPolicy cannot be honoured: the API applies its own conflict and DDL handling; remove spec.syncPolicy');
  if ((spec.speedLimits ?? []).length > 0) problems.push('spec.speedLimits cannot be honoured: the API has no flow control; remove spec.speedLimits');
  if (spec.alarms !== undefined) problems.push('spec.alarms cannot be honoured: the API has no notifications; remove spec.alarms');
  if (spec.description !== undefined) problems.push('spec.description cannot be stored: the API keeps no description; remove spec.description');
  if (spec.tags !== undefined) problems.push('spec.tags cannot be stored: the API keeps no tags; remove spec.tags');
  if (spec.retryPolicy !== undefined) problems.push('spec.retryPolicy has no effect: the API cannot retry a failed synchronization (delete and re-create the ReplicationJob); remove spec.retryPolicy');
  if (spec.state === 'Paused') problems.push('spec.state Paused cannot be honoured: the API cannot pause a synchronization; set spec.state to Running, or Stopped to remove it');
  problems.push(...parseClickHouseProviderOptions(spec.providerOptions).problems);
  return problems;
}

function endpointProblems(side: 'source' | 'target', e: Endpoint, dbTypes: Set<string>, what: string, projectId: string): string[] {
  const problems: string[] = [];
  if (!e.instanceId) problems.push(`spec.${side}.instanceId is required: ${what}`);
  const given = CONNECTION_FIELDS.filter((field) => e[field] !== undefined);
  if (given.length > 0) {
    problems.push(`spec.${side}.${given.join(', ')} cannot be used: the API reaches ${what} by instance ID only; remove ${given.length > 1 ? 'them' : 'it'} and set spec.${side}.instanceId`);
  }
  if (e.dbType !== undefined && !dbTypes.has(e.dbType)) problems.push(`spec.${side}.dbType ${e.dbType} is not offered (${[...dbTypes].join(' or ')}); remove it or fix it`);
  if (e.projectId !== undefined && e.projectId !== projectId) {
    problems.push(`spec.${side}.projectId ${e.projectId} differs from the ProviderConfig's project ${projectId}: the API works within one project; remove it or use a ProviderConfig of that project`);
  }
  return problems;
}

function objectProblems(spec: ReplicationJobSpec): string[] {
  const objects = spec.objects;
  if (objects?.all) return ['spec.objects.all cannot be honoured: one ReplicationJob synchronizes one database; list it in spec.objects.databases'];
  const databases = objects?.databases ?? [];
  if (databases.length !== 1) {
    return [`spec.objects.databases must list exactly one database (got ${databases.length}): the API synchronizes whole databases, one per ReplicationJob; create one ReplicationJob per database`];
  }
  const db = databases[0]!;
  const problems: string[] = [];
  if (db.tables !== undefined) problems.push(`spec.objects.databases[0].tables cannot be honoured: the whole database ${db.name} is synchronized; remove tables`);
  if (db.tableAliases !== undefined) problems.push('spec.objects.databases[0].tableAliases cannot be honoured: tables keep their names; remove tableAliases');
  if (db.alias !== undefined) problems.push(`spec.objects.databases[0].alias cannot be honoured: the ClickHouse database is named by the API; remove alias`);
  return problems;
}

/** Which synchronization a (valid) spec means; the provider job ID is derived from it. */
export function replicationKey(spec: ReplicationJobSpec): ReplicationKey {
  const database = spec.objects?.databases?.[0]?.name;
  const instanceId = spec.target.instanceId;
  if (!database || !instanceId) throw new Error('replicationKey: the spec has no database or target instance (validate() refuses such specs)');
  return { instanceId, database };
}

export function jobIdOf(spec: ReplicationJobSpec): string {
  return formatJobId(replicationKey(spec));
}

function sourceNode(spec: ReplicationJobSpec): { source_node_id?: string } {
  const node = parseClickHouseProviderOptions(spec.providerOptions).options.sourceNodeId;
  return node ? { source_node_id: node } : {};
}

/** The seed's create request. */
export function createRequest(spec: ReplicationJobSpec): CreateReplicationRequest {
  return { source_instance_id: spec.source.instanceId!, ...sourceNode(spec), source_database: replicationKey(spec).database };
}

/**
 * The database check as create will run it: the whole database (black_list with no tables) and
 * the API's default settings (no db_configs: create takes none).
 */
export function databaseCheckRequest(spec: ReplicationJobSpec): DatabaseCheckRequest {
  return {
    source_instance_id: spec.source.instanceId!,
    ...sourceNode(spec),
    source_database_name: replicationKey(spec).database,
    db_configs: [],
    table_repl_config: { repl_type: 'black_list', tables: [] },
  };
}

/** The table check for the same scope; no per-table ClickHouse settings (create takes none). */
export function tableCheckRequest(spec: ReplicationJobSpec): TableCheckRequest {
  return { ...databaseCheckRequest(spec), tables_configs: [] };
}

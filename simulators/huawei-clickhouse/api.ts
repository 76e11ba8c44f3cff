import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CH_ERROR_CODES } from '../../controller/src/providers/huawei-clickhouse/errors.ts';
import type { SourceChecks } from './checks.ts';
import type { ReplicationStore, SimReplication } from './replications.ts';
import { SimError, invalidParameter } from './sim-error.ts';

/**
 * The replication API's six operations over the store, with the reference's request shapes
 * (checked here independently of the operator's client) and per-state refusals.
 */
export interface ApiRequest {
  instanceId: string;
  query: URLSearchParams;
  body: unknown;
  /** DELETE .../replication/{database_name} */
  databaseName?: string;
}

export type ApiOperation = 'create-replication' | 'list-replications' | 'delete-replication' | 'show-replication-config' | 'check-database' | 'check-tables';

export interface ApiState {
  store: ReplicationStore;
  checks: SourceChecks;
  /** ClickHouse instances that exist; undefined = any ID. */
  instances: Set<string> | undefined;
}

const required = z.string().min(1);
const CreateBody = z.object({ source_instance_id: required, source_node_id: z.string().optional(), source_database: required });
const TableReplConfig = z
  .object({ repl_type: z.enum(['white_list', 'black_list']), tables: z.array(z.string()) })
  .refine((c) => c.repl_type === 'black_list' || c.tables.length > 0, { message: 'a white_list needs at least one table' });
const DatabaseCheckBody = z.object({
  source_instance_id: required,
  source_node_id: z.string().optional(),
  source_database_name: required,
  db_configs: z.array(z.object({ param_name: required, value: z.string() })),
  table_repl_config: TableReplConfig,
});
const TableCheckBody = DatabaseCheckBody.extend({ tables_configs: z.array(z.object({ table_name: required, table_config: z.string() })) });

export function handle(operation: ApiOperation, req: ApiRequest, state: ApiState): unknown {
  if (state.instances && !state.instances.has(req.instanceId)) {
    throw new SimError(400, CH_ERROR_CODES.instanceNotFound, `The ClickHouse instance ${req.instanceId} does not exist.`);
  }
  switch (operation) {
    case 'create-replication': {
      const body = parse(CreateBody, req.body);
      state.checks.assertPasses(body.source_database);
      const created = state.store.create(req.instanceId, {
        sourceInstanceId: body.source_instance_id,
        ...(body.source_node_id ? { sourceNodeId: body.source_node_id } : {}),
        database: body.source_database,
      });
      return { job_id: created.jobId };
    }
    case 'list-replications': {
      const limit = integer(req.query, 'limit', 100, 1, 100);
      const offset = integer(req.query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
      const all = state.store.list(req.instanceId);
      return { total_count: all.length, replications: all.slice(offset, offset + limit).map(listEntry) };
    }
    case 'delete-replication': {
      state.store.remove(req.instanceId, req.databaseName ?? '');
      // The removal (dropping the ClickHouse database) runs as an asynchronous workflow.
      return { job_id: randomUUID() };
    }
    case 'show-replication-config': {
      const database = req.query.get('database_name');
      if (!database) throw invalidParameter('The query parameter database_name is required.');
      return configOf(state.store.require(req.instanceId, database));
    }
    case 'check-database': {
      const body = parse(DatabaseCheckBody, req.body);
      notSynchronized(state, req.instanceId, body.source_database_name);
      return state.checks.databaseCheck(body.source_database_name, body.db_configs);
    }
    case 'check-tables': {
      const body = parse(TableCheckBody, req.body);
      notSynchronized(state, req.instanceId, body.source_database_name);
      return state.checks.tableCheck(body.source_database_name, body.tables_configs);
    }
  }
}

export function listEntry(r: SimReplication) {
  return {
    source_database: r.database,
    target_database: r.targetDatabase,
    status: r.status,
    stage: r.stage,
    percentage: String(r.percentage),
    catchup_stage: r.catchupStage,
  };
}

function configOf(r: SimReplication) {
  const whole = { repl_type: 'black_list', tables: [] as string[] };
  return {
    source_instance_id: r.sourceInstanceId,
    source_node_id: r.sourceNodeId ?? '',
    database_info: { database_name: r.database, db_config_check_results: [] },
    table_infos: [],
    table_repl_config: whole,
    is_tables_change: false,
    new_table_repl_config: whole,
    last_error_of_alter_table: '',
  };
}

/** A database already synchronized cannot be checked for a new task. */
function notSynchronized(state: ApiState, instanceId: string, database: string): void {
  if (state.store.get(instanceId, database)) {
    throw new SimError(400, CH_ERROR_CODES.replicationExists, `Database ${database} already has a synchronization task on instance ${instanceId}.`);
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw invalidParameter(`Invalid request parameter ${issue.path.join('.') || 'body'}: ${issue.message}.`);
}

function integer(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw invalidParameter(`The query parameter ${name} must be an integer from ${min} to ${max}.`);
  return value;
}

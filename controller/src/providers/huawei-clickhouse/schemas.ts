import { z } from 'zod';

/**
 * Request and response bodies of the replication API. Requests follow the seed (create) and the
 * TaurusDB "HTAP (Lightweight Edition)" reference (checks, config); responses are parsed
 * leniently (unknown fields ignored, absent ones tolerated) and checked only where the
 * operator relies on a field.
 */

const text = z.string().nullish();

/** POST .../clickhouse/replication (the seed). Creating a task starts it. */
export const CreateReplicationRequest = z.object({
  source_instance_id: z.string().min(1),
  source_node_id: z.string().min(1).optional(),
  source_database: z.string().min(1),
});
export type CreateReplicationRequest = z.infer<typeof CreateReplicationRequest>;

export const JobIdResponse = z.object({ job_id: text });

/** One entry of GET .../clickhouse/replication. */
export const ListedReplication = z.object({
  source_database: z.string(),
  target_database: text,
  /** normal | abnormal */
  status: text,
  /** wait | failed | incremental | full | other */
  stage: text,
  catchup_stage: text,
  /** Full-sync progress; the SDK types it as a string ("45"), a number is accepted too. */
  percentage: z.union([z.string(), z.number()]).nullish(),
});
export type ListedReplication = z.infer<typeof ListedReplication>;

export const ListReplicationsResponse = z.object({
  total_count: z.number().int().min(0).nullish(),
  replications: z.array(ListedReplication).nullish(),
});

/** Whole database or some tables: black_list with no tables selects every table. */
export const TableReplConfig = z.object({
  repl_type: z.enum(['white_list', 'black_list']),
  tables: z.array(z.string()),
});

export const DatabaseConfig = z.object({ param_name: z.string(), value: z.string() });

/** POST .../database-check. */
export const DatabaseCheckRequest = z.object({
  source_instance_id: z.string().min(1),
  source_node_id: z.string().min(1).optional(),
  source_database_name: z.string().min(1),
  db_configs: z.array(DatabaseConfig),
  table_repl_config: TableReplConfig,
});
export type DatabaseCheckRequest = z.infer<typeof DatabaseCheckRequest>;

/** POST .../table-check: the database check's body plus per-table ClickHouse settings. */
export const TableCheckRequest = DatabaseCheckRequest.extend({
  tables_configs: z.array(z.object({ table_name: z.string(), table_config: z.string() })),
});
export type TableCheckRequest = z.infer<typeof TableCheckRequest>;

export const DatabaseConfigCheckResult = z.object({ param_name: text, value: text, check_result: text });
export type DatabaseConfigCheckResult = z.infer<typeof DatabaseConfigCheckResult>;

export const DatabaseCheckResponse = z.object({
  database_name: text,
  db_config_check_results: z.array(DatabaseConfigCheckResult).nullish(),
});
export type DatabaseCheckResponse = z.infer<typeof DatabaseCheckResponse>;

export const TableConfigCheckResult = z.object({ table_name: text, table_config: text, check_result: text });
export type TableConfigCheckResult = z.infer<typeof TableConfigCheckResult>;

export const TableCheckResponse = z.object({
  source_database_name: text,
  table_config_check_results: z.array(TableConfigCheckResult).nullish(),
});
export type TableCheckResponse = z.infer<typeof TableCheckResponse>;

/** GET .../clickhouse/replication/config?database_name= */
export const ReplicationConfigResponse = z.object({
  source_instance_id: text,
  source_node_id: text,
  database_info: z.object({ database_name: text, db_config_check_results: z.array(DatabaseConfigCheckResult).nullish() }).nullish(),
  table_infos: z.array(TableConfigCheckResult).nullish(),
  table_repl_config: TableReplConfig.nullish(),
  is_tables_change: z.boolean().nullish(),
  new_table_repl_config: TableReplConfig.nullish(),
  last_error_of_alter_table: text,
});
export type ReplicationConfigResponse = z.infer<typeof ReplicationConfigResponse>;

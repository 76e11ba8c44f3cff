import { z } from 'zod';
import {
  AlarmProtocol,
  ClusterMode,
  ConflictPolicy,
  DbType,
  DbUseType,
  DeleteType,
  DrsJobStatus,
  EndPointType,
  EngineType,
  FilterDdlPolicy,
  JobDirection,
  KafkaSecurityProtocol,
  NetType,
  NodeType,
  ObjectSelect,
  ObjectType,
  PauseMode,
  PrecheckItemResult,
  PrecheckMode,
  PublicIpType,
  SaslMechanism,
  TaskType,
} from './enums.ts';

export * from './enums.ts';

/**
 * Request and response bodies of the Huawei DRS v3 batch API, mirroring the tables of the
 * OpenAPI reference (../shared/seeds/huawei-drs-v3-openapi-reference.md, section 4.1 unless
 * noted). Shared by the client (validates what it sends and reads) and the built-in engine
 * (validates what it receives), so this module imports nothing but zod.
 *
 * Requests: field names, types, enums and required-ness as in the tables; unknown fields are
 * dropped by parse(). Responses: loose objects (unknown fields pass through), every field
 * optional and nullable (the service emits nulls, see 4.1.19's example), but typed strictly.
 *
 * Where a table and the wire disagree, the wire name is used (the reference's own examples and
 * the official SDKs agree on it): `customize_sutnet_id` (table: customize_sut_net_id),
 * `is_target_readonly` (table: is_target_read_only), `is_show_breakpoint_position` (table:
 * is_show_break_point_position), `ssl_cert_check_sum` (4.1.1 table: ssl_cert_checksum),
 * `delegation_tokens` (tables: delegation_to_kens / delegation_to_kafka).
 */

// ---------------------------------------------------------------------------------------------
// Building blocks

/** A nullable, optional field of a response. */
const opt = <T extends z.ZodType>(schema: T) => schema.nullish();

/** An ID the API requires (UUID-like in practice; the reference only says non-empty). */
const id = () => z.string().min(1);

/**
 * An integer that a seed example sends as a numeric string ("db_port": "3306" in 4.1.4);
 * accepted and turned into a number.
 */
const integerLike = (schema: z.ZodNumber) =>
  z.preprocess((value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value), schema);

/** Task description: at most 256 characters, none of ! < > ' & " \ (4.1.1). */
const description = z
  .string()
  .max(256)
  .regex(/^[^!<>'&"\\]*$/, 'must not contain ! < > \' & " or \\');

/** Table 4-6 / 4-32: Kafka security settings of an endpoint. */
export const KafkaSecurityConfig = z.object({
  type: KafkaSecurityProtocol.optional(),
  trust_store_key_name: z.string().optional(),
  trust_store_key: z.string().optional(),
  trust_store_password: z.string().optional(),
  endpoint_algorithm: z.string().optional(),
  sasl_mechanism: SaslMechanism.optional(),
  delegation_tokens: z.boolean().optional(),
  enable_key_store: z.boolean().optional(),
  key_store_key: z.string().optional(),
  key_store_key_name: z.string().optional(),
  key_store_password: z.string().optional(),
  set_private_key_password: z.boolean().optional(),
  key_password: z.string().optional(),
});
export type KafkaSecurityConfig = z.output<typeof KafkaSecurityConfig>;

/**
 * Table 4-5 (batch-creation) and 4-31 (batch-modification): a source or destination database.
 * db_port 0 is accepted because MongoDB/DDS endpoints require it (4.1.2).
 */
export const Endpoint = z.object({
  db_type: DbType.optional(),
  az_code: z.string().optional(),
  region: z.string().optional(),
  inst_id: z.string().optional(),
  vpc_id: z.string().optional(),
  subnet_id: z.string().optional(),
  security_group_id: z.string().optional(),
  project_id: z.string().optional(),
  db_name: z.string().max(128).optional(),
  db_password: z.string().optional(),
  db_port: integerLike(z.number().int().min(0).max(65535)).optional(),
  db_user: z.string().optional(),
  inst_name: z.string().optional(),
  ip: z.string().optional(),
  mongo_ha_mode: z.string().optional(),
  safe_mode: z.number().int().min(0).max(1).optional(),
  ssl_cert_password: z.string().optional(),
  ssl_cert_check_sum: z.string().optional(),
  ssl_cert_key: z.string().optional(),
  ssl_cert_name: z.string().optional(),
  ssl_link: z.boolean().optional(),
  topic: z.string().optional(),
  cluster_mode: ClusterMode.optional(),
  kafka_security_config: KafkaSecurityConfig.optional(),
});
export type Endpoint = z.output<typeof Endpoint>;

/** Table 4-7 / 4-33: tags and sys_tags. */
export const Tag = z.object({
  key: z.string().max(36).optional(),
  value: z.string().max(43).optional(),
});
export type Tag = z.output<typeof Tag>;

/** Table 4-8. */
export const PublicIp = z.object({
  id: id(),
  public_ip: z.string().min(1),
  type: PublicIpType,
});

/** Every per-item result of an action call carries these (error_code set on failure). */
const itemError = {
  error_code: opt(z.string()),
  error_msg: opt(z.string()),
};

/** {id, status success|failed, error_code, error_msg}: the result item of most action calls. */
export const ActionResult = z.looseObject({
  id: opt(z.string()),
  status: opt(z.string()),
  ...itemError,
});
export type ActionResult = z.output<typeof ActionResult>;

/** {results, count}: the envelope of most batch responses. */
const resultsOf = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    results: z.array(item),
    count: opt(z.number().int()),
  });

/** A.1: the body of an abnormal response. */
export const DrsErrorBody = z.looseObject({
  error_code: z.string(),
  error_msg: z.string(),
});
export type DrsErrorBody = z.output<typeof DrsErrorBody>;

// ---------------------------------------------------------------------------------------------
// 4.1.1 POST /v3/{project_id}/jobs/batch-creation

/** Table 4-4. */
export const CreateJobItem = z.object({
  name: z
    .string()
    .min(4)
    .max(50)
    .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and contain only letters, digits, - and _'),
  db_use_type: DbUseType,
  engine_type: EngineType,
  job_direction: JobDirection,
  bind_eip: z.boolean().optional(),
  customize_sutnet_id: z.string().min(1),
  is_target_readonly: z.boolean().optional(),
  net_type: NetType,
  node_type: NodeType,
  node_num: z.number().int().min(1).max(32).optional(),
  source_endpoint: Endpoint,
  target_endpoint: Endpoint,
  task_type: TaskType,
  tags: z.array(Tag).max(20).optional(),
  description: description.optional(),
  multi_write: z.boolean().optional(),
  sys_tags: z.array(Tag).max(1).optional(),
  expired_days: z.string().regex(/^\d+$/).optional(),
  public_ip_list: z.array(PublicIp).optional(),
  is_open_fast_clean: z.boolean().optional(),
});
export type CreateJobItem = z.output<typeof CreateJobItem>;

export const BatchCreationRequest = z.object({ jobs: z.array(CreateJobItem).min(1) });
export type BatchCreationRequest = z.output<typeof BatchCreationRequest>;

/** Table 4-10. */
export const CreateJobResult = z.looseObject({
  id: opt(z.string()),
  child_ids: opt(z.array(z.string())),
  name: opt(z.string()),
  status: opt(DrsJobStatus),
  create_time: opt(z.string()),
  ...itemError,
});
export type CreateJobResult = z.output<typeof CreateJobResult>;

export const BatchCreationResponse = resultsOf(CreateJobResult);
export type BatchCreationResponse = z.output<typeof BatchCreationResponse>;

// ---------------------------------------------------------------------------------------------
// 4.1.2 POST /v3/{project_id}/jobs/batch-connection

/** Table 4-14 (kafka_security_config: sent by the reference's Kafka examples). */
export const ConnectionTestItem = z.object({
  id: id(),
  net_type: NetType,
  db_type: DbType,
  ip: z.string().min(1),
  db_port: integerLike(z.number().int().min(0).max(65535)).optional(),
  inst_id: z.string().optional(),
  db_user: z.string(),
  db_password: z.string(),
  ssl_link: z.boolean().optional(),
  ssl_cert_key: z.string().optional(),
  ssl_cert_name: z.string().optional(),
  ssl_cert_check_sum: z.string().optional(),
  ssl_cert_password: z.string().optional(),
  vpc_id: z.string().optional(),
  subnet_id: z.string().optional(),
  end_point_type: EndPointType,
  region: z.string().optional(),
  project_id: z.string().optional(),
  db_name: z.string().optional(),
  kafka_security_config: KafkaSecurityConfig.optional(),
});
export type ConnectionTestItem = z.output<typeof ConnectionTestItem>;

export const BatchConnectionRequest = z.object({ jobs: z.array(ConnectionTestItem).min(1) });
export type BatchConnectionRequest = z.output<typeof BatchConnectionRequest>;

/** Table 4-16: passed only when success is true (and status "success"). */
export const ConnectionTestResult = z.looseObject({
  id: opt(z.string()),
  status: opt(z.string()),
  success: opt(z.boolean()),
  ...itemError,
});
export type ConnectionTestResult = z.output<typeof ConnectionTestResult>;

export const BatchConnectionResponse = resultsOf(ConnectionTestResult);
export type BatchConnectionResponse = z.output<typeof BatchConnectionResponse>;

// ---------------------------------------------------------------------------------------------
// 4.1.4 PUT /v3/{project_id}/jobs/batch-modification

/** Table 4-29 / 4-30. */
export const AlarmNotify = z.object({
  delay_time: z.number().int().min(0).max(3600).optional(),
  rto_delay: z.number().int().min(0).max(3600).optional(),
  rpo_delay: z.number().int().min(0).max(3600).optional(),
  alarm_to_user: z.boolean().optional(),
  subscriptions: z
    .array(
      z.object({
        endpoints: z.array(z.string()).max(10).optional(),
        protocol: AlarmProtocol.optional(),
      }),
    )
    .max(2)
    .optional(),
});
export type AlarmNotify = z.output<typeof AlarmNotify>;

/** Table 4-28. After a connection test, send the full job with both endpoints (see lifecycle notes). */
export const ModifyJobItem = z.object({
  job_id: id(),
  description: description.optional(),
  name: z.string().optional(),
  alarm_notify: AlarmNotify.optional(),
  task_type: TaskType.optional(),
  source_endpoint: Endpoint.optional(),
  target_endpoint: Endpoint.optional(),
  node_type: NodeType.optional(),
  engine_type: EngineType.optional(),
  net_type: NetType.optional(),
  store_db_info: z.boolean().optional(),
  is_recreate: z.boolean().optional(),
  job_direction: JobDirection.optional(),
  is_target_readonly: z.boolean().optional(),
  replace_definer: z.boolean().optional(),
  tags: z.array(Tag).optional(),
  db_use_type: DbUseType.optional(),
});
export type ModifyJobItem = z.output<typeof ModifyJobItem>;

export const BatchModificationRequest = z.object({ jobs: z.array(ModifyJobItem).min(1) });
export type BatchModificationRequest = z.output<typeof BatchModificationRequest>;

/** Table 4-35. */
export const BatchModificationResponse = resultsOf(ActionResult);
export type BatchModificationResponse = z.output<typeof BatchModificationResponse>;

// ---------------------------------------------------------------------------------------------
// 4.1.5 PUT /v3/{project_id}/jobs/batch-select-objects

/** Table 4-40. For a table: id "db-*-*-table", parent_id the database. */
export const SelectedObject = z.object({
  id: z.string().optional(),
  parent_id: z.string().nullish(),
  object_type: ObjectType.optional(),
  object_name: z.string().optional(),
  select: ObjectSelect.optional(),
  object_alias_name: z.string().nullish(),
});
export type SelectedObject = z.output<typeof SelectedObject>;

/** Table 4-39. selected false (or absent): migrate everything. */
export const SelectObjectsItem = z.object({
  job_id: id(),
  selected: z.boolean().optional(),
  sync_database: z.boolean().optional(),
  job: z.array(SelectedObject).optional(),
});
export type SelectObjectsItem = z.output<typeof SelectObjectsItem>;

export const BatchSelectObjectsRequest = z.object({ jobs: z.array(SelectObjectsItem).min(1) });
export type BatchSelectObjectsRequest = z.output<typeof BatchSelectObjectsRequest>;

/** Table 4-42: keyed by job_id, status is a boolean here. */
export const SelectObjectsResult = z.looseObject({
  job_id: opt(z.string()),
  status: opt(z.boolean()),
  ...itemError,
});
export type SelectObjectsResult = z.output<typeof SelectObjectsResult>;

/** Table 4-41: the envelope counts with all_counts, not count. */
export const BatchSelectObjectsResponse = z.looseObject({
  all_counts: opt(z.number().int()),
  results: z.array(SelectObjectsResult),
});
export type BatchSelectObjectsResponse = z.output<typeof BatchSelectObjectsResponse>;

// ---------------------------------------------------------------------------------------------
// 4.3.2 POST /v3/{project_id}/jobs/batch-sync-policy

/** Table 4-275. */
export const SyncPolicyItem = z.object({
  job_id: id(),
  conflict_policy: ConflictPolicy.optional(),
  filter_ddl_policy: FilterDdlPolicy.optional(),
  ddl_trans: z.boolean().optional(),
  index_trans: z.boolean().optional(),
  is_fill_materialized_view: z.boolean().optional(),
  export_snapshot: z.boolean().optional(),
  slot_name: z.string().optional(),
  file_and_position: z.string().max(100).optional(),
  gtid_set: z.string().max(2048).optional(),
  ddl_topic: z.string().optional(),
});
export type SyncPolicyItem = z.output<typeof SyncPolicyItem>;

export const BatchSyncPolicyRequest = z.object({ jobs: z.array(SyncPolicyItem).min(1) });
export type BatchSyncPolicyRequest = z.output<typeof BatchSyncPolicyRequest>;

/** Table 4-277. */
export const BatchSyncPolicyResponse = resultsOf(ActionResult);
export type BatchSyncPolicyResponse = z.output<typeof BatchSyncPolicyResponse>;

// ---------------------------------------------------------------------------------------------
// 4.1.8 PUT /v3/{project_id}/jobs/batch-limit-speed

/**
 * Table 4-60: one flow-control window, UTC. The minutes of begin are ignored; end must end in
 * :59; begin 16:00 / end 15:59 limits the whole day. Speed in MB/s, 1 to 9999, as a string.
 */
export const SpeedLimitWindow = z.object({
  begin: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be hh:mm'),
  end: z.string().regex(/^([01]\d|2[0-3]):59$/, 'must be hh:59'),
  speed: z
    .string()
    .regex(/^\d{1,4}$/, 'must be 1 to 9999 (MB/s)')
    .refine((value) => Number(value) >= 1, 'must be 1 to 9999 (MB/s)'),
  is_utc: z.boolean().optional(),
});
export type SpeedLimitWindow = z.output<typeof SpeedLimitWindow>;

/** Table 4-59. An empty speed_limit removes the limit. At most ten windows, not overlapping. */
export const SpeedLimitItem = z.object({
  job_id: id(),
  speed_limit: z.array(SpeedLimitWindow).max(10),
});
export type SpeedLimitItem = z.output<typeof SpeedLimitItem>;

/** Table 4-58: the list is called speed_limits here, not jobs. */
export const BatchLimitSpeedRequest = z.object({ speed_limits: z.array(SpeedLimitItem).min(1) });
export type BatchLimitSpeedRequest = z.output<typeof BatchLimitSpeedRequest>;

/** Table 4-62. */
export const BatchLimitSpeedResponse = resultsOf(ActionResult);
export type BatchLimitSpeedResponse = z.output<typeof BatchLimitSpeedResponse>;

// ---------------------------------------------------------------------------------------------
// 4.1.6 POST /v3/{project_id}/jobs/batch-precheck

/** Table 4-46. */
export const PrecheckItem = z.object({
  job_id: id(),
  precheck_mode: PrecheckMode,
});
export type PrecheckItem = z.output<typeof PrecheckItem>;

export const BatchPrecheckRequest = z.object({ jobs: z.array(PrecheckItem).min(1) });
export type BatchPrecheckRequest = z.output<typeof BatchPrecheckRequest>;

/** Table 4-48. */
export const PrecheckStartResult = z.looseObject({
  id: opt(z.string()),
  precheck_id: opt(z.string()),
  status: opt(z.string()),
  ...itemError,
});
export type PrecheckStartResult = z.output<typeof PrecheckStartResult>;

export const BatchPrecheckResponse = resultsOf(PrecheckStartResult);
export type BatchPrecheckResponse = z.output<typeof BatchPrecheckResponse>;

// ---------------------------------------------------------------------------------------------
// 4.1.7 POST /v3/{project_id}/jobs/batch-precheck-result

/** Table 4-51: job IDs, unique. */
export const BatchPrecheckResultRequest = z.object({
  jobs: z
    .array(id())
    .min(1)
    .refine((ids) => new Set(ids).size === ids.length, 'job IDs must be unique'),
});
export type BatchPrecheckResultRequest = z.output<typeof BatchPrecheckResultRequest>;

/** Table 4-54 / 4-55. */
export const PrecheckCheck = z.looseObject({
  item: opt(z.string()),
  result: opt(PrecheckItemResult),
  failed_reason: opt(z.string()),
  data: opt(z.string()),
  raw_error_msg: opt(z.string()),
  group: opt(z.string()),
  failed_sub_jobs: opt(
    z.array(
      z.looseObject({
        id: opt(z.string()),
        name: opt(z.string()),
        check_result: opt(z.string()),
      }),
    ),
  ),
});
export type PrecheckCheck = z.output<typeof PrecheckCheck>;

/** Table 4-53: still running while process != "100%"; passed when result is true. */
export const PrecheckResult = z.looseObject({
  precheck_id: opt(z.string()),
  result: opt(z.boolean()),
  process: opt(z.string()),
  total_passed_rate: opt(z.string()),
  rds_instance_id: opt(z.string()),
  job_direction: opt(z.string()),
  precheck_result: opt(z.array(PrecheckCheck)),
  ...itemError,
});
export type PrecheckResult = z.output<typeof PrecheckResult>;

export const BatchPrecheckResultResponse = resultsOf(PrecheckResult);
export type BatchPrecheckResultResponse = z.output<typeof BatchPrecheckResultResponse>;

// ---------------------------------------------------------------------------------------------
// 4.1.11 POST /v3/{project_id}/jobs/batch-starting

/** Table 4-77: start_time is a millisecond timestamp string; empty or absent starts now. */
export const StartJobItem = z.object({
  job_id: id(),
  start_time: z
    .string()
    .regex(/^\d*$/, 'must be a millisecond timestamp')
    .optional(),
});
export type StartJobItem = z.output<typeof StartJobItem>;

export const BatchStartingRequest = z.object({ jobs: z.array(StartJobItem).min(1) });
export type BatchStartingRequest = z.output<typeof BatchStartingRequest>;

/** Table 4-79 (StartJobResp). */
export const BatchStartingResponse = resultsOf(ActionResult);
export type BatchStartingResponse = z.output<typeof BatchStartingResponse>;

// ---------------------------------------------------------------------------------------------
// 4.1.12 POST /v3/{project_id}/jobs/batch-retry-task

/** Table 4-83: resumes a paused job or retries a failed one; is_sync_re_edit must be true then. */
export const RetryJobItem = z.object({
  job_id: id(),
  is_sync_re_edit: z.boolean().optional(),
});
export type RetryJobItem = z.output<typeof RetryJobItem>;

export const BatchRetryTaskRequest = z.object({ jobs: z.array(RetryJobItem).min(1) });
export type BatchRetryTaskRequest = z.output<typeof BatchRetryTaskRequest>;

/** Table 4-85. */
export const BatchRetryTaskResponse = resultsOf(ActionResult);
export type BatchRetryTaskResponse = z.output<typeof BatchRetryTaskResponse>;

// ---------------------------------------------------------------------------------------------
// 4.1.13 POST /v3/{project_id}/jobs/batch-pause-task

/** Table 4-89. */
export const PauseJobItem = z.object({
  job_id: id(),
  pause_mode: PauseMode,
});
export type PauseJobItem = z.output<typeof PauseJobItem>;

export const BatchPauseTaskRequest = z.object({ jobs: z.array(PauseJobItem).min(1) });
export type BatchPauseTaskRequest = z.output<typeof BatchPauseTaskRequest>;

/** Table 4-91. */
export const BatchPauseTaskResponse = resultsOf(ActionResult);
export type BatchPauseTaskResponse = z.output<typeof BatchPauseTaskResponse>;

// ---------------------------------------------------------------------------------------------
// 4.1.14 DELETE /v3/{project_id}/jobs/batch-jobs (with a JSON body)

/** Table 4-95. */
export const DeleteJobItem = z.object({
  delete_type: DeleteType,
  job_id: id(),
  is_show_breakpoint_position: z.boolean().optional(),
});
export type DeleteJobItem = z.output<typeof DeleteJobItem>;

export const BatchJobsDeleteRequest = z.object({ jobs: z.array(DeleteJobItem).min(1) });
export type BatchJobsDeleteRequest = z.output<typeof BatchJobsDeleteRequest>;

/** Table 4-97. A busy item comes back as status "failed", error_code DRS.M01504. */
export const BatchJobsDeleteResponse = resultsOf(ActionResult);
export type BatchJobsDeleteResponse = z.output<typeof BatchJobsDeleteResponse>;

// ---------------------------------------------------------------------------------------------
// 4.1.15 PUT /v3/{project_id}/jobs/batch-modify-pwd

/** Table 4-102. */
export const Kerberos = z.object({
  krb5_conf_file: z.string().optional(),
  key_tab_file: z.string().optional(),
  domain_name: z.string().optional(),
  user_principal: z.string().optional(),
});

/** Table 4-101. */
export const ModifyPasswordItem = z.object({
  db_password: z.string().min(1),
  end_point_type: EndPointType,
  job_id: id(),
  kerberos: Kerberos.optional(),
});
export type ModifyPasswordItem = z.output<typeof ModifyPasswordItem>;

export const BatchModifyPwdRequest = z.object({ jobs: z.array(ModifyPasswordItem).min(1) });
export type BatchModifyPwdRequest = z.output<typeof BatchModifyPwdRequest>;

/** Table 4-104: one result per (job, endpoint). */
export const ModifyPasswordResult = z.looseObject({
  id: opt(z.string()),
  status: opt(z.string()),
  end_point_type: opt(z.string()),
  ...itemError,
});
export type ModifyPasswordResult = z.output<typeof ModifyPasswordResult>;

export const BatchModifyPwdResponse = resultsOf(ModifyPasswordResult);
export type BatchModifyPwdResponse = z.output<typeof BatchModifyPwdResponse>;

// ---------------------------------------------------------------------------------------------
// 4.1.22 POST /v3/{project_id}/jobs/batch-status and 4.1.21 batch-detail

/** Table 4-155 / 4-177: per_page defaults to 5, so always send it. 0 = all. */
export const PageRequest = z.object({
  cur_page: z.number().int().min(1).optional(),
  per_page: z.number().int().min(0).max(100).optional(),
});
export type PageRequest = z.output<typeof PageRequest>;

/** Table 4-154 / 4-176. */
export const BatchQueryRequest = z.object({
  jobs: z.array(id()).min(1),
  page_req: PageRequest.optional(),
});
export type BatchQueryRequest = z.output<typeof BatchQueryRequest>;

export const BatchStatusRequest = BatchQueryRequest;
export type BatchStatusRequest = BatchQueryRequest;

/** Table 4-179: note error_message, not error_msg. */
export const JobStatusResult = z.looseObject({
  id: opt(z.string()),
  status: opt(DrsJobStatus),
  error_code: opt(z.string()),
  error_message: opt(z.string()),
});
export type JobStatusResult = z.output<typeof JobStatusResult>;

export const BatchStatusResponse = resultsOf(JobStatusResult);
export type BatchStatusResponse = z.output<typeof BatchStatusResponse>;

export const BatchDetailRequest = BatchQueryRequest;
export type BatchDetailRequest = BatchQueryRequest;

/** Table 4-158 (response side: may echo db_password, masked or not — never log a detail). */
export const EndpointInfo = z.looseObject({
  db_type: opt(z.string()),
  az_code: opt(z.string()),
  region: opt(z.string()),
  inst_id: opt(z.string()),
  vpc_id: opt(z.string()),
  subnet_id: opt(z.string()),
  security_group_id: opt(z.string()),
  project_id: opt(z.string()),
  db_password: opt(z.string()),
  db_port: opt(z.number().int()),
  db_user: opt(z.string()),
  inst_name: opt(z.string()),
  ip: opt(z.string()),
  mongo_ha_mode: opt(z.string()),
  safe_mode: opt(z.number().int()),
  ssl_cert_password: opt(z.string()),
  ssl_cert_check_sum: opt(z.string()),
  ssl_cert_key: opt(z.string()),
  ssl_cert_name: opt(z.string()),
  ssl_link: opt(z.boolean()),
  topic: opt(z.string()),
  cluster_mode: opt(z.string()),
  kafka_security_config: opt(z.looseObject({})),
});
export type EndpointInfo = z.output<typeof EndpointInfo>;

/** Table 4-161. */
export const SpeedLimitInfo = z.looseObject({
  begin: opt(z.string()),
  end: opt(z.string()),
  is_utc: opt(z.boolean()),
  speed: opt(z.string()),
});

/** Table 4-165 (the reference's example also carries select). */
export const ObjectInfo = z.looseObject({
  id: opt(z.string()),
  parent_id: opt(z.string()),
  type: opt(z.string()),
  name: opt(z.string()),
  alias_name: opt(z.string()),
  select: opt(z.string()),
});

/** Table 4-157. Enumerated strings we only display stay plain strings: the service adds values. */
export const JobDetail = z.looseObject({
  id: opt(z.string()),
  parent_id: opt(z.string()),
  name: opt(z.string()),
  status: opt(DrsJobStatus),
  description: opt(z.string()),
  create_time: opt(z.string()),
  task_type: opt(z.string()),
  source_endpoint: opt(EndpointInfo),
  dmq_endpoint: opt(EndpointInfo),
  source_sharding: opt(z.array(EndpointInfo)),
  target_endpoint: opt(EndpointInfo),
  net_type: opt(z.string()),
  failed_reason: opt(z.string()),
  inst_info: opt(
    z.looseObject({
      engine_type: opt(z.string()),
      inst_type: opt(z.string()),
      ip: opt(z.string()),
      public_ip: opt(z.string()),
      start_time: opt(z.string()),
      status: opt(z.string()),
      volume_size: opt(z.number().int()),
    }),
  ),
  actual_start_time: opt(z.string()),
  full_transfer_complete_time: opt(z.string()),
  update_time: opt(z.string()),
  job_direction: opt(z.string()),
  db_use_type: opt(z.string()),
  need_restart: opt(z.boolean()),
  is_target_readonly: opt(z.boolean()),
  conflict_policy: opt(z.string()),
  filter_ddl_policy: opt(z.string()),
  speed_limit: opt(z.array(SpeedLimitInfo)),
  schema_type: opt(z.string()),
  node_num: opt(z.string()),
  object_switch: opt(z.boolean()),
  master_job_id: opt(z.string()),
  full_mode: opt(z.string()),
  struct_trans: opt(z.boolean()),
  index_trans: opt(z.boolean()),
  replace_definer: opt(z.boolean()),
  migrate_user: opt(z.boolean()),
  sync_database: opt(z.boolean()),
  error_code: opt(z.string()),
  error_message: opt(z.string()),
  target_root_db: opt(z.looseObject({ db_name: opt(z.string()), db_encoding: opt(z.string()) })),
  az_code: opt(z.string()),
  vpc_id: opt(z.string()),
  subnet_id: opt(z.string()),
  security_group_id: opt(z.string()),
  multi_write: opt(z.boolean()),
  support_ip_v6: opt(z.boolean()),
  inherit_id: opt(z.string()),
  gtid: opt(z.string()),
  alarm_notify: opt(z.looseObject({})),
  incre_start_position: opt(z.string()),
  object_infos: opt(z.array(ObjectInfo)),
  original_job_direction: opt(z.string()),
  data_transformation: opt(z.looseObject({})),
  tags: opt(z.array(z.looseObject({ key: opt(z.string()), value: opt(z.string()) }))),
  public_ip_list: opt(z.array(z.looseObject({ id: opt(z.string()), public_ip: opt(z.string()), type: opt(z.string()) }))),
  bind_public_ip_state: opt(z.string()),
  children: opt(z.array(z.looseObject({ id: opt(z.string()), name: opt(z.string()) }))),
  is_open_fast_clean: opt(z.boolean()),
});
export type JobDetail = z.output<typeof JobDetail>;

export const BatchDetailResponse = resultsOf(JobDetail);
export type BatchDetailResponse = z.output<typeof BatchDetailResponse>;

// ---------------------------------------------------------------------------------------------
// 4.1.19 POST /v3/{project_id}/jobs/batch-progress

/** Table 4-141. */
export const BatchProgressRequest = z.object({ jobs: z.array(id()).min(1) });
export type BatchProgressRequest = z.output<typeof BatchProgressRequest>;

/** Table 4-144: keys of progress_map are struct, data, index. */
export const ProgressInfo = z.looseObject({
  completed: opt(z.string()),
  remaining_time: opt(z.string()),
});
export type ProgressInfo = z.output<typeof ProgressInfo>;

/** Table 4-143: numbers arrive as strings ("100", "100%", "-1"). */
export const JobProgress = z.looseObject({
  job_id: opt(z.string()),
  progress: opt(z.string()),
  incre_trans_delay: opt(z.string()),
  incre_trans_delay_millis: opt(z.string()),
  task_mode: opt(z.string()),
  transfer_status: opt(z.string()),
  process_time: opt(z.string()),
  remaining_time: opt(z.string()),
  progress_map: opt(z.record(z.string(), ProgressInfo)),
  ...itemError,
});
export type JobProgress = z.output<typeof JobProgress>;

export const BatchProgressResponse = resultsOf(JobProgress);
export type BatchProgressResponse = z.output<typeof BatchProgressResponse>;

// ---------------------------------------------------------------------------------------------
// 4.1.20 POST /v3/{project_id}/jobs (list the tenant's jobs)

/** An optional filter the reference's examples send as "" to mean "any". */
const filter = <T extends z.ZodType>(schema: T) => z.union([schema, z.literal('')]).optional();

/** Table 4-147. name: a name, or up to 100 job IDs separated by commas. */
export const ListJobsRequest = z.object({
  cur_page: z.number().int().min(0),
  per_page: z.number().int().min(0).max(100),
  db_use_type: DbUseType,
  engine_type: filter(EngineType),
  enterprise_project_id: z.string().optional(),
  name: z.string().optional(),
  net_type: filter(NetType),
  service_name: z.string().optional(),
  status: filter(DrsJobStatus),
  tags: z.record(z.string(), z.string()).optional(),
  instance_ids: z.array(z.string()).optional(),
  instance_ip: z.string().optional(),
});
export type ListJobsRequest = z.output<typeof ListJobsRequest>;

/** Table 4-151. Action names are plain strings: the service returns more than the table lists. */
export const JobAction = z.looseObject({
  available_actions: opt(z.array(z.string())),
  unavailable_actions: opt(z.array(z.string())),
  current_action: opt(z.string()),
});

/** Table 4-149 / 4-150. */
export const ListedJob = z.looseObject({
  id: opt(z.string()),
  name: opt(z.string()),
  status: opt(DrsJobStatus),
  description: opt(z.string()),
  create_time: opt(z.string()),
  engine_type: opt(z.string()),
  net_type: opt(z.string()),
  billing_tag: opt(z.boolean()),
  job_direction: opt(z.string()),
  db_use_type: opt(z.string()),
  task_type: opt(z.string()),
  children: opt(z.array(z.looseObject({ id: opt(z.string()), name: opt(z.string()), status: opt(z.string()) }))),
  node_newFramework: opt(z.boolean()),
  job_action: opt(JobAction),
  error_msg: opt(z.string()),
});
export type ListedJob = z.output<typeof ListedJob>;

/** Table 4-148. */
export const ListJobsResponse = z.looseObject({
  total_record: opt(z.number().int()),
  jobs: z.array(ListedJob),
});
export type ListJobsResponse = z.output<typeof ListJobsResponse>;

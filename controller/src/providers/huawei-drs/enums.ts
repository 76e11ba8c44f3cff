import { z } from 'zod';

/**
 * Enumerations of the Huawei DRS v3 API, as listed in the OpenAPI reference
 * (../shared/seeds/huawei-drs-v3-openapi-reference.md). Shared by the client and the built-in
 * engine, so no I/O imports here.
 */

/**
 * Task statuses. A.4 lists 23 of them; the enumerations of 4.1.20 (list), 4.1.21 (detail) and
 * 4.1.22 (status) add REBUILD_NODE_*, DELETED and NODE_UPGRADE_*, which responses can carry.
 */
export const DRS_JOB_STATUSES = [
  'CREATING',
  'CREATE_FAILED',
  'CONFIGURATION',
  'STARTJOBING',
  'WAITING_FOR_START',
  'START_JOB_FAILED',
  'PAUSING',
  'FULL_TRANSFER_STARTED',
  'FULL_TRANSFER_FAILED',
  'FULL_TRANSFER_COMPLETE',
  'INCRE_TRANSFER_STARTED',
  'INCRE_TRANSFER_FAILED',
  'RELEASE_RESOURCE_STARTED',
  'RELEASE_RESOURCE_FAILED',
  'RELEASE_RESOURCE_COMPLETE',
  'REBUILD_NODE_STARTED',
  'REBUILD_NODE_FAILED',
  'CHANGE_JOB_STARTED',
  'CHANGE_JOB_FAILED',
  'DELETED',
  'CHILD_TRANSFER_STARTING',
  'CHILD_TRANSFER_STARTED',
  'CHILD_TRANSFER_COMPLETE',
  'CHILD_TRANSFER_FAILED',
  'RELEASE_CHILD_TRANSFER_STARTED',
  'RELEASE_CHILD_TRANSFER_COMPLETE',
  'NODE_UPGRADE_START',
  'NODE_UPGRADE_COMPLETE',
  'NODE_UPGRADE_FAILED',
] as const;
export const DrsJobStatus = z.enum(DRS_JOB_STATUSES);
export type DrsJobStatus = z.infer<typeof DrsJobStatus>;

/** Statuses in which a job may be deleted (delete_type "delete"); otherwise stop it first (4.1.14). */
export const DELETABLE_STATUSES: readonly DrsJobStatus[] = ['CREATE_FAILED', 'RELEASE_RESOURCE_COMPLETE', 'RELEASE_CHILD_TRANSFER_COMPLETE'];

export const DB_USE_TYPES = ['migration', 'sync', 'cloudDataGuard'] as const;
export const DbUseType = z.enum(DB_USE_TYPES);
export type DbUseType = z.infer<typeof DbUseType>;

export const ENGINE_TYPES = [
  'mysql',
  'mongodb',
  'cloudDataGuard-mysql',
  'postgresql',
  'oracle-to-gaussdbv5',
  'oracle-to-gaussdbv5ha',
  'gaussdbv5-to-oracle',
  'gaussdbv5ha-to-oracle',
  'gaussdbv5-to-kafka',
] as const;
export const EngineType = z.enum(ENGINE_TYPES);
export type EngineType = z.infer<typeof EngineType>;

export const JOB_DIRECTIONS = ['up', 'down', 'non-dbs'] as const;
export const JobDirection = z.enum(JOB_DIRECTIONS);
export type JobDirection = z.infer<typeof JobDirection>;

export const NET_TYPES = ['vpn', 'vpc', 'eip'] as const;
export const NetType = z.enum(NET_TYPES);
export type NetType = z.infer<typeof NetType>;

export const NODE_TYPES = ['micro', 'small', 'medium', 'high', 'xlarge', '2xlarge'] as const;
export const NodeType = z.enum(NODE_TYPES);
export type NodeType = z.infer<typeof NodeType>;

export const TASK_TYPES = ['FULL_TRANS', 'FULL_INCR_TRANS', 'INCR_TRANS'] as const;
export const TaskType = z.enum(TASK_TYPES);
export type TaskType = z.infer<typeof TaskType>;

/** The tables list mysql, mongodb, postgresql, oracle; the seed's own batch-connection examples also send kafka. */
export const DB_TYPES = ['mysql', 'mongodb', 'postgresql', 'oracle', 'kafka'] as const;
export const DbType = z.enum(DB_TYPES);
export type DbType = z.infer<typeof DbType>;

/** so = source database, ta = destination ("target") database. */
export const END_POINT_TYPES = ['so', 'ta'] as const;
export const EndPointType = z.enum(END_POINT_TYPES);
export type EndPointType = z.infer<typeof EndPointType>;

export const KafkaSecurityProtocol = z.enum(['PLAINTEXT', 'SASL_PLAINTEXT', 'SASL_SSL', 'SSL']);
export const SaslMechanism = z.enum(['GSSAPI', 'PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']);
export const ClusterMode = z.enum(['Sharding4.0+']);
export const PublicIpType = z.enum(['master', 'slave']);
export const AlarmProtocol = z.enum(['sms', 'email']);
export const ObjectType = z.enum(['database', 'table', 'schema', 'view']);
/** "partial": only some tables of the database. */
export const ObjectSelect = z.enum(['true', 'false', 'partial']);

export const PRECHECK_MODES = ['forStartJob', 'forRetryJob'] as const;
export const PrecheckMode = z.enum(PRECHECK_MODES);
export type PrecheckMode = z.infer<typeof PrecheckMode>;

export const PRECHECK_ITEM_RESULTS = ['PASSED', 'ALARM', 'FAILED'] as const;
export const PrecheckItemResult = z.enum(PRECHECK_ITEM_RESULTS);
export type PrecheckItemResult = z.infer<typeof PrecheckItemResult>;

/** target: stop replay; all: stop log capture and replay. */
export const PauseMode = z.enum(['target', 'all']);
export type PauseMode = z.infer<typeof PauseMode>;

/** terminate / force_terminate stop a job (releasing its resources); delete removes a stopped one. */
export const DELETE_TYPES = ['terminate', 'force_terminate', 'delete'] as const;
export const DeleteType = z.enum(DELETE_TYPES);
export type DeleteType = z.infer<typeof DeleteType>;

export const CONFLICT_POLICIES = ['ignore', 'overwrite', 'stop'] as const;
export const ConflictPolicy = z.enum(CONFLICT_POLICIES);
export type ConflictPolicy = z.infer<typeof ConflictPolicy>;

export const FilterDdlPolicy = z.enum(['drop_database']);

/** Result of one item of an action call. */
export const ItemStatus = z.enum(['success', 'failed']);

/**
 * The A.3 error codes the operator acts on. DRS.KE* codes (connection test failures, HTTP 200 per
 * item) are recognised by prefix instead.
 */
export const DRS_ERROR_CODES = {
  /** 422: the returned result is empty. */
  emptyResult: 'DRS.M00002',
  /** 422: service abnormal. */
  serviceAbnormal: 'DRS.M00004',
  /** 400: invalid request parameter. */
  invalidParameter: 'DRS.M00007',
  /** 403: invalid token. */
  invalidToken: 'DRS.M00100',
  /** 404: the user role is empty. */
  emptyRole: 'DRS.M00101',
  /** 403: insufficient permissions. */
  insufficientPermissions: 'DRS.M00102',
  /** 401: operation denied (IAM permissions). */
  operationDenied: 'DRS.M00103',
  /** 400: user restricted. */
  userRestricted: 'DRS.M00105',
  /** 403: invalid project ID. */
  invalidProjectId: 'DRS.M00261',
  /** 422: the task name already exists. */
  nameExists: 'DRS.M00277',
  /** 400: missing query result (batch-detail for a job that does not exist). */
  missingQueryResult: 'DRS.M00289',
  /** 400: job does not exist. */
  jobNotFound: 'DRS.M00298',
  /** 400: duplicate IDs in the request. */
  duplicateIds: 'DRS.M00301',
  /** 400: this API cannot be called in the current task status. */
  wrongState: 'DRS.M00304',
  /** 422: service error. */
  serviceError: 'DRS.M01501',
  /** 202 per item: another operation is being performed on the task. Retry later. */
  busy: 'DRS.M01504',
  /** 400: task information not found. */
  taskNotFound: 'DRS.M05003',
  /** 400: the task has been deleted or its resources released. */
  taskDeleted: 'DRS.M05004',
  /** 200: failed to create the replication instance. */
  instanceCreationFailed: 'DRS.M05066',
} as const;

/** Codes meaning the job no longer exists (not found, deleted, missing from a query). */
export const GONE_ERROR_CODES: ReadonlySet<string> = new Set([
  DRS_ERROR_CODES.emptyResult,
  DRS_ERROR_CODES.missingQueryResult,
  DRS_ERROR_CODES.jobNotFound,
  DRS_ERROR_CODES.taskNotFound,
  DRS_ERROR_CODES.taskDeleted,
]);

/** Codes meaning the credentials or the account's permissions are wrong. */
export const AUTH_ERROR_CODES: ReadonlySet<string> = new Set([
  DRS_ERROR_CODES.invalidToken,
  DRS_ERROR_CODES.emptyRole,
  DRS_ERROR_CODES.insufficientPermissions,
  DRS_ERROR_CODES.operationDenied,
  DRS_ERROR_CODES.userRestricted,
  DRS_ERROR_CODES.invalidProjectId,
]);

/** Server-side failures worth retrying. */
export const SERVICE_ERROR_CODES: ReadonlySet<string> = new Set([DRS_ERROR_CODES.serviceAbnormal, DRS_ERROR_CODES.serviceError]);

/** Prefix of connection-test failure codes (DRS.KE001 ... DRS.KE0070). */
export const CONNECTION_ERROR_PREFIX = 'DRS.KE';

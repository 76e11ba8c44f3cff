import {
  DB_USE_TYPES,
  DRS_JOB_STATUSES,
  type DbUseType,
  type DeleteType,
  type DrsJobStatus,
  type EndPointType,
  type PauseMode,
  type PrecheckMode,
  type TaskType,
} from '../../controller/src/providers/huawei-drs/enums.ts';

/**
 * DRS task statuses and the other enumerations of the API, shared with the DRS client
 * (controller/src/providers/huawei-drs/enums.ts mirrors the seed's tables). These are the
 * only strings that ever go out in a `status` field describing a task.
 */
export const JOB_STATUSES = DRS_JOB_STATUSES;
export type JobStatus = DrsJobStatus;

export function isJobStatus(value: unknown): value is JobStatus {
  return typeof value === 'string' && (JOB_STATUSES as readonly string[]).includes(value);
}

/** Statuses a failure lands in (lifecycle reference: "Failure statuses at any wait"). */
export const FAILURE_STATUSES: ReadonlySet<JobStatus> = new Set<JobStatus>([
  'CREATE_FAILED',
  'START_JOB_FAILED',
  'FULL_TRANSFER_FAILED',
  'INCRE_TRANSFER_FAILED',
  'RELEASE_RESOURCE_FAILED',
  'CHILD_TRANSFER_FAILED',
  'REBUILD_NODE_FAILED',
  'CHANGE_JOB_FAILED',
  'NODE_UPGRADE_FAILED',
]);

export { DB_USE_TYPES };
export type { DbUseType, DeleteType, PauseMode, PrecheckMode, TaskType };
export type EndpointType = EndPointType;

import type { DbUseType, EndpointType, JobStatus, PauseMode, PrecheckMode, TaskType } from './statuses.ts';

/**
 * The persisted job record: everything the engine knows about one DRS task. The store writes
 * it as JSON, so it holds plain data only. Passwords live in the endpoints (an executor needs
 * them after a restart) and are stripped by every response view.
 */
export interface JobRecord {
  id: string;
  projectId: string;
  name: string;
  description: string;
  status: JobStatus;
  dbUseType: DbUseType;
  engineType: string;
  jobDirection: string;
  netType: string;
  nodeType: string;
  taskType: TaskType;
  createdAt: number;
  updatedAt: number;
  /** Creation fields kept as sent, for detail views (bind_eip, multi_write, tags, ...). */
  options: JobOptions;
  source: EndpointRecord;
  target: EndpointRecord;
  /** Latest connection-test outcome per endpoint. */
  connections: Partial<Record<EndpointType, ConnectionOutcome>>;
  /** True once batch-modification stored both endpoints after passing connection tests. */
  configured: boolean;
  objects?: ObjectSelection;
  syncPolicy?: Record<string, unknown>;
  speedLimits: SpeedLimitRecord[];
  alarmNotify?: Record<string, unknown>;
  precheck?: PrecheckRecord;
  /** Set while the status is PAUSING: whether the pause is still in progress or done. */
  pause?: PauseRecord;
  /** The latest failure (cleared by retry). */
  failure?: FailureRecord;
  /** Scheduled start (batch-starting start_time), epoch ms. */
  scheduledStartAt?: number;
  actualStartAt?: number;
  fullCompleteAt?: number;
  deletedAt?: number;
  /** Durable asynchronous transitions, fired by the scheduler (re-armed after a restart). */
  timers: ScheduledEvent[];
  /** Executor-private state (opaque to the engine, persisted with the job). */
  exec?: unknown;
}

export interface JobOptions {
  bindEip?: boolean;
  isTargetReadonly?: boolean;
  multiWrite?: boolean;
  expiredDays?: string;
  subnetId?: string;
  tags: Array<{ key: string; value: string }>;
  sysTags: Array<{ key: string; value: string }>;
  isOpenFastClean?: boolean;
  replaceDefiner?: boolean;
  storeDbInfo?: boolean;
  nodeNum?: number;
}

/** Endpoint fields as the client sent them (seed Table 4-5 / 4-31), password included. */
export type EndpointRecord = Record<string, unknown> & {
  db_type?: string;
  ip?: string;
  db_port?: number | string;
  db_user?: string;
  db_password?: string;
};

export interface ConnectionOutcome {
  success: boolean;
  at: number;
  errorCode?: string;
  errorMsg?: string;
}

export interface ObjectSelection {
  selected: boolean;
  syncDatabase?: boolean;
  items: Array<Record<string, unknown>>;
}

export interface SpeedLimitRecord {
  begin: string;
  end: string;
  speed: string;
  is_utc?: boolean;
}

export interface PrecheckItemResult {
  item: string;
  result: 'PASSED' | 'ALARM' | 'FAILED';
  group: string;
  failed_reason?: string;
  data?: string;
}

export interface PrecheckRecord {
  mode: PrecheckMode;
  startedAt: number;
  /** Present once the check finished. */
  finishedAt?: number;
  items?: PrecheckItemResult[];
  passed?: boolean;
}

export interface PauseRecord {
  phase: 'pausing' | 'paused';
  mode: PauseMode;
  /** The transfer status the job returns to when resumed. */
  resumeTo: JobStatus;
}

export interface FailureRecord {
  errorCode: string;
  errorMsg: string;
  at: number;
  /** The status the job failed from (retry goes back towards it). */
  from: JobStatus;
}

export interface ScheduledEvent {
  at: number;
  event: ExecutorEvent;
}

/**
 * What an executor reports about a job's data plane. The state machine decides whether an
 * event still applies (a stale one, e.g. after a pause, is dropped).
 */
export type ExecutorEvent =
  | { type: 'status'; to: JobStatus }
  | { type: 'paused' }
  | { type: 'precheckCompleted'; items: PrecheckItemResult[] }
  | { type: 'failed'; errorCode: string; errorMsg: string; status?: JobStatus };

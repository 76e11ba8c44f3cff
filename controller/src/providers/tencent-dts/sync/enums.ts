/**
 * DTS 2021-12-06 sync-job enums exactly as the API reports them (SyncJobInfo.Status and
 * TradeStatus; ../shared/reference/tencent-apis.md section "DTS 2021-12-06 sync jobs").
 */
export const SYNC_STATUSES = [
  'UnInitialized',
  'Initialized',
  'Checking',
  'CheckPass',
  'CheckNotPass',
  'ReadyRunning',
  'Running',
  'Pausing',
  'Paused',
  'Stopping',
  'Stopped',
  'ResumableErr',
  'Resuming',
  'Failed',
  'Released',
  'Resetting',
  'Unknown',
] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

export const TRADE_STATUSES = [
  'Normal',
  'Resizing',
  'Renewing',
  'Isolating',
  'Isolated',
  'Offlining',
  'Offlined',
  'NotBilled',
  'Recovering',
  'PostPay2Prepaying',
  'PrePay2Postpaying',
] as const;
export type TradeStatus = (typeof TRADE_STATUSES)[number];

/** Billing states of a job on its way out (IsolateSyncJob / DestroySyncJob were called). */
export const LEAVING_TRADE_STATUSES: ReadonlySet<string> = new Set(['Isolating', 'Isolated', 'Offlining', 'Offlined']);

/** DescribeCheckSyncJobResult.Status */
export const CHECK_STATUSES = ['notStarted', 'running', 'failed', 'success'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** How DTS reaches a database (SrcAccessType / DstAccessType). */
export const ACCESS_TYPES = ['cdb', 'cvm', 'vpc', 'extranet', 'intranet', 'vpncloud', 'dcg', 'ccn'] as const;
export type AccessType = (typeof ACCESS_TYPES)[number];

/**
 * Database types this provider configures: single-node endpoints (SrcInfo/DstInfo). Cluster
 * types (tdsqlmysql, mongodb: SrcInfos) and Kafka targets are not offered yet.
 */
export const MYSQL_FAMILY = ['mysql', 'mariadb', 'percona', 'cynosdbmysql'] as const;
export const SUPPORTED_DATABASE_TYPES = [...MYSQL_FAMILY, 'postgresql'] as const;

/** CreateSyncJob InstanceClass. */
export const INSTANCE_CLASSES = ['micro', 'small', 'medium', 'large'] as const;

/** Error codes the provider acts on. */
export const ERROR_CODES = {
  jobNotExist: 'ResourceNotFound.JobNotExist',
  statusInConflict: 'FailedOperation.StatusInConflict',
  operationDenied: 'OperationDenied.JobOperationDeniedError',
  maxUnusedJobs: 'LimitExceeded.MaxUnusedJobs',
} as const;

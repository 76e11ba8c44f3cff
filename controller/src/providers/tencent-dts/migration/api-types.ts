/**
 * Request and response shapes of the Tencent Cloud DTS 2021-12-06 migration API, as far as this
 * provider (and its simulator) use them. Field names and enums follow tencentcloud-sdk-go
 * `dts/v20211206/models.go`; every response field may be absent (the SDK marks them nullable).
 */

export const DTS_VERSION = '2021-12-06';

/** JobItem.Status / DescribeMigrationDetail.Status. */
export const MIGRATION_STATUSES = [
  'creating',
  'created',
  'checking',
  'checkPass',
  'checkNotPass',
  'readyRun',
  'running',
  'readyComplete',
  'success',
  'failed',
  'stopping',
  'completing',
  'pausing',
  'manualPaused',
  // Listed by the newest SDKs; mapped defensively, never produced by the simulator.
  'resumableErr',
  'resuming',
  'unknown',
  'error',
  'canceled',
] as const;
export type MigrationStatus = (typeof MIGRATION_STATUSES)[number];

/** TradeInfo.TradeStatus. */
export const TRADE_STATUSES = ['normal', 'resizing', 'reversing', 'isolating', 'isolated', 'offlining', 'offlined', 'notBilled'] as const;
export type TradeStatus = (typeof TRADE_STATUSES)[number];

/** DBEndpointInfo.AccessType values the migration API accepts (the choice depends on the link). */
export const ACCESS_TYPES = ['extranet', 'ipv6', 'cvm', 'dcg', 'vpncloud', 'cdb', 'ccn', 'intranet', 'vpc'] as const;
export type AccessType = (typeof ACCESS_TYPES)[number];

/**
 * The access types a ReplicationJob can describe: the others need gateway IDs (UniqVpnGwId,
 * UniqDcgId, CcnGwId) the common spec has no field for.
 */
export const SPEC_ACCESS_TYPES = ['extranet', 'ipv6', 'cvm', 'cdb', 'vpc'] as const;

/** CreateMigrationService InstanceClass. */
export const INSTANCE_CLASSES = ['micro', 'small', 'medium', 'large', 'xlarge', '2xlarge'] as const;

/** MigrateOption.MigrateType. */
export type MigrateType = 'full' | 'structure' | 'fullAndIncrement';

export interface TagItem {
  TagKey: string;
  TagValue?: string;
}

export interface TagFilter {
  TagKey: string;
  TagValue?: string[];
}

export interface CreateMigrationServiceRequest {
  SrcDatabaseType: string;
  DstDatabaseType: string;
  SrcRegion: string;
  DstRegion: string;
  InstanceClass: string;
  Count?: number;
  JobName?: string;
  Tags?: TagItem[];
}

export interface CreateMigrationServiceResponse {
  JobIds?: string[];
}

export interface DBInfo {
  Role?: string;
  DbKernel?: string;
  Host?: string;
  Port?: number;
  User?: string;
  Password?: string;
  CvmInstanceId?: string;
  UniqVpnGwId?: string;
  UniqDcgId?: string;
  InstanceId?: string;
  CcnGwId?: string;
  VpcId?: string;
  SubnetId?: string;
  EngineVersion?: string;
  Account?: string;
  AccountRole?: string;
  AccountMode?: string;
}

export interface DBEndpointInfo {
  Region: string;
  AccessType: string;
  DatabaseType: string;
  NodeType: 'simple' | 'cluster';
  Info: DBInfo[];
  Supplier?: string;
}

export interface TableItem {
  TableName: string;
  NewTableName?: string;
  TableEditMode?: 'rename' | 'pt';
}

export interface DBItem {
  DbName: string;
  NewDbName?: string;
  DBMode: 'all' | 'partial';
  TableMode?: 'all' | 'partial';
  Tables?: TableItem[];
}

export interface DatabaseTableObject {
  ObjectMode: 'all' | 'partial';
  Databases?: DBItem[];
}

export interface MigrateOption {
  DatabaseTable: DatabaseTableObject;
  MigrateType: MigrateType;
  IsMigrateAccount?: boolean;
  IsDstReadOnly?: boolean;
}

export interface ModifyMigrationJobRequest {
  JobId: string;
  RunMode: 'immediate' | 'timed';
  MigrateOption: MigrateOption;
  SrcInfo: DBEndpointInfo;
  DstInfo: DBEndpointInfo;
  JobName?: string;
  ExpectRunTime?: string;
  Tags?: TagItem[];
}

export interface DetailCheckItem {
  CheckItemName?: string;
  Description?: string;
  /** pass, failed or warning. */
  CheckResult?: string;
  FailureReason?: string;
  Solution?: string;
  ErrorLog?: string[];
  HelpDoc?: string[];
}

export interface CheckStep {
  StepNo?: number;
  StepId?: string;
  StepName?: string;
  /** pass, failed, notStarted, blocked or warning. */
  StepStatus?: string;
  StepMessage?: string;
  DetailCheckItems?: DetailCheckItem[];
  HasSkipped?: boolean;
}

export interface DescribeMigrationCheckJobResponse {
  /** notStarted, running, failed (the check itself could not run) or success. */
  Status?: string;
  BriefMsg?: string;
  StepInfo?: CheckStep[];
  /** checkPass or checkNotPass once finished. */
  CheckFlag?: string;
}

export interface ProcessStepTip {
  Message?: string;
  Solution?: string;
  HelpDoc?: string;
}

export interface StepDetailInfo {
  StepNo?: number;
  StepName?: string;
  StepId?: string;
  /** success, failed, running or notStarted. */
  Status?: string;
  StartTime?: string;
  StepMessage?: string;
  Percent?: number;
  Errors?: ProcessStepTip[];
  Warnings?: ProcessStepTip[];
}

export interface MigrateDetailInfo {
  StepAll?: number;
  StepNow?: number;
  /** MB behind the source during incremental migration; -1 when not applicable. */
  MasterSlaveDistance?: number;
  /** Seconds behind the source during incremental migration; -1 when not applicable. */
  SecondsBehindMaster?: number;
  StepInfo?: StepDetailInfo[];
}

export interface TradeInfo {
  DealName?: string;
  InstanceClass?: string;
  TradeStatus?: string;
  ExpireTime?: string;
  IsolateTime?: string;
  IsolateReason?: string;
  PayType?: string;
  BillingType?: string;
}

export interface MigrateAction {
  AllAction?: string[];
  AllowedAction?: string[];
}

export interface JobItem {
  JobId?: string;
  JobName?: string;
  CreateTime?: string;
  UpdateTime?: string;
  StartTime?: string;
  EndTime?: string;
  BriefMsg?: string;
  Status?: string;
  RunMode?: string;
  ExpectRunTime?: string;
  Action?: MigrateAction;
  StepInfo?: MigrateDetailInfo;
  SrcInfo?: DBEndpointInfo;
  DstInfo?: DBEndpointInfo;
  TradeInfo?: TradeInfo;
  Tags?: TagItem[];
}

export interface DescribeMigrationJobsRequest {
  JobId?: string;
  JobName?: string;
  Status?: string[];
  OrderSeq?: 'asc' | 'desc';
  Limit?: number;
  Offset?: number;
  TagFilters?: TagFilter[];
}

export interface DescribeMigrationJobsResponse {
  TotalCount?: number;
  JobList?: JobItem[];
}

export interface ErrorInfoItem {
  Code?: string;
  Solution?: string;
  ErrorLog?: string;
  HelpDoc?: string;
}

export interface DescribeMigrationDetailResponse extends JobItem {
  MigrateOption?: MigrateOption;
  ErrorInfo?: ErrorInfoItem[];
}

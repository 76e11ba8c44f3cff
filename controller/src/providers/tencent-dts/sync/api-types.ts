/**
 * The DTS 2021-12-06 sync-job request and response shapes this provider sends and reads
 * (tencentcloud-sdk dts/v20211206 models; ../shared/reference/tencent-apis.md). Only the fields
 * the provider uses are listed; the API returns more.
 */

export interface TagItem {
  TagKey: string;
  TagValue: string;
}

export interface CreateSyncJobRequest {
  PayMode: 'PrePay' | 'PostPay';
  SrcDatabaseType: string;
  SrcRegion: string;
  DstDatabaseType: string;
  DstRegion: string;
  Specification?: string;
  TimeSpan?: number;
  Tags?: TagItem[];
  Count?: number;
  AutoRenew?: 0 | 1;
  InstanceClass?: string;
  JobName?: string;
  ExistedJobId?: string;
}

export interface CreateSyncJobResponse {
  JobIds?: string[];
}

/** One database endpoint (single-node databases: SrcInfo / DstInfo). */
export interface Endpoint {
  Region?: string;
  InstanceId?: string;
  Ip?: string;
  Port?: number;
  User?: string;
  /** Secret. Sent in ConfigureSyncJob only; never logged or written to status. */
  Password?: string;
  DbName?: string;
  VpcId?: string;
  SubnetId?: string;
  CvmInstanceId?: string;
  UniqDcgId?: string;
  UniqVpnGwId?: string;
  CcnId?: string;
  EngineVersion?: string;
  Supplier?: string;
  EncryptConn?: 'Encrypted' | 'UnEncrypted';
  DatabaseNetEnv?: 'UserIDC' | 'TencentVPC';
}

export interface Table {
  TableName: string;
  NewTableName?: string;
  FilterCondition?: string;
}

export interface Database {
  DbName: string;
  NewDbName?: string;
  DbMode: 'All' | 'Partial';
  SchemaName?: string;
  NewSchemaName?: string;
  TableMode?: 'All' | 'Partial';
  Tables?: Table[];
  ViewMode?: 'All' | 'Partial';
  FunctionMode?: 'All' | 'Partial';
  ProcedureMode?: 'All' | 'Partial';
}

export interface Objects {
  Mode: 'All' | 'Partial';
  Databases?: Database[];
}

export interface DdlOption {
  DdlObject: 'Database' | 'Table' | 'View' | 'Index';
  DdlValue: string[];
}

export type OpType = 'Insert' | 'Update' | 'Delete' | 'DDL' | 'PartialDDL';

export interface Options {
  InitType?: 'Data' | 'Structure' | 'Full' | 'None';
  DealOfExistSameTable?: 'ReportErrorAfterCheck' | 'ExecuteAfterIgnore';
  ConflictHandleType?: 'ReportError' | 'Ignore' | 'Cover' | 'ConditionCover';
  OpTypes?: OpType[];
  DdlOptions?: DdlOption[];
  RateLimitOption?: RateLimitOption;
}

/** What DescribeSyncJobs reports about the job's rate limits (Current* are in effect). */
export interface RateLimitOption {
  CurrentDumpThread?: number;
  DefaultDumpThread?: number;
  CurrentDumpRps?: number;
  DefaultDumpRps?: number;
  CurrentLoadThread?: number;
  DefaultLoadThread?: number;
  CurrentLoadRps?: number;
  DefaultLoadRps?: number;
  CurrentSinkerThread?: number;
  DefaultSinkerThread?: number;
  HasUserSetRateLimit?: 'yes' | 'no';
}

export interface ConfigureSyncJobRequest {
  JobId: string;
  SrcAccessType: string;
  DstAccessType: string;
  Objects: Objects;
  JobName?: string;
  JobMode?: 'fullMode' | 'liteMode';
  RunMode?: 'Immediate' | 'Timed';
  SrcInfo?: Endpoint;
  SrcNodeType?: 'single' | 'cluster';
  DstInfo?: Endpoint;
  DstNodeType?: 'single' | 'cluster';
  Options?: Options;
  AutoRetryTimeRangeMinutes?: number;
}

export interface ModifySyncRateLimitRequest {
  JobId: string;
  DumpThread?: number;
  DumpRps?: number;
  LoadThread?: number;
  SinkerThread?: number;
  LoadRps?: number;
}

export interface DescribeSyncJobsRequest {
  JobId?: string;
  JobIds?: string[];
  JobName?: string;
  Status?: string[];
  Offset?: number;
  /** 1-100; default 20 (so a JobIds query must say how many it wants). */
  Limit?: number;
}

export interface StepTip {
  Code?: string;
  Message?: string;
  Solution?: string;
  HelpDoc?: string;
}

export interface StepInfo {
  StepNo?: number;
  StepName?: string;
  StepId?: string;
  /** notStarted, running, failed, finished, skipped, paused */
  Status?: string;
  Errors?: StepTip[] | null;
  Warnings?: StepTip[] | null;
  Progress?: number;
}

export interface ErrInfo {
  Reason?: string;
  Message?: string;
  Solution?: string;
}

export interface SyncDetailInfo {
  StepAll?: number;
  StepNow?: number;
  /** Overall progress, 0-100. */
  Progress?: number;
  CurrentStepProgress?: number;
  /** Data volume the target is behind; -1 when not in the catch-up (last) step. */
  MasterSlaveDistance?: number;
  /** Seconds the target is behind; -1 when not in the catch-up (last) step. */
  SecondsBehindMaster?: number;
  Message?: string;
  StepInfos?: StepInfo[] | null;
  ErrInfo?: ErrInfo | null;
}

export interface SyncJobInfo {
  JobId?: string;
  JobName?: string;
  PayMode?: string;
  RunMode?: string;
  Actions?: string[] | null;
  Options?: Options | null;
  Status?: string;
  TradeStatus?: string;
  CreateTime?: string;
  Detail?: SyncDetailInfo | null;
}

export interface DescribeSyncJobsResponse {
  TotalCount?: number;
  JobList?: SyncJobInfo[] | null;
}

export interface DescribeCheckSyncJobResultResponse {
  /** notStarted, running, failed, success */
  Status?: string;
  StepCount?: number;
  StepCur?: number;
  Progress?: number;
  StepInfos?: StepInfo[] | null;
}

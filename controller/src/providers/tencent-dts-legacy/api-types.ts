/**
 * Request and response shapes of the Tencent DTS 2018-03-30 migrate-job API, as the seed
 * (CreateMigrateJob) and tencentcloud-sdk `dts/v20180330` models define them. Only the fields
 * this provider sends or reads are typed; the simulator serves the same shapes.
 */

export const DTS_LEGACY_VERSION = '2018-03-30';

/** MigrateOption: how the migration runs. */
export interface MigrateOption {
  /** 1 run at once, 2 run at ExpectTime. */
  RunMode: number;
  ExpectTime?: string;
  /** 1 structure only, 2 full, 3 full + incremental. */
  MigrateType?: number;
  /** 1 the whole instance, 2 the databases/tables in DatabaseInfo. */
  MigrateObject?: number;
  /** 1 not configured, 2 full check, 3 sampling check, 4 inconsistent tables only, 5 no check. */
  ConsistencyType?: number;
  /** 0 keep the target's root account, 1 overwrite it with the source's (whole-instance migrations only). */
  IsOverrideRoot?: number;
  /** Extra engine parameters as a JSON string (Redis, MongoDB). */
  ExternParams?: string;
  /** Required when ConsistencyType is 3 (sampling). */
  ConsistencyParams?: { SelectRowsPerTable: number; TablesSelectAll: number; TablesSelectCount: number };
}

/** SrcInfo: where the source is and how DTS reaches it (fields depend on SrcAccessType). */
export interface SrcInfo {
  Ip?: string;
  Port?: number;
  User?: string;
  Password?: string;
  CvmInstanceId?: string;
  UniqDcgId?: string;
  VpcId?: string;
  SubnetId?: string;
  UniqVpnGwId?: string;
  InstanceId?: string;
  Region?: string;
  /** aliyun for Alibaba Cloud RDS sources, others otherwise. */
  Supplier?: string;
  CcnId?: string;
}

/** DstInfo: the target cloud instance (DstAccessType is always cdb). */
export interface DstInfo {
  Region: string;
  InstanceId?: string;
  /** MySQL whole-instance migrations: 1 make the target read-only, 0 read-write. */
  ReadOnly?: number;
  User?: string;
  Password?: string;
}

export interface CreateMigrateJobRequest {
  JobName: string;
  MigrateOption: MigrateOption;
  SrcDatabaseType: string;
  SrcAccessType: string;
  SrcInfo: SrcInfo;
  DstDatabaseType: string;
  DstAccessType: string;
  DstInfo: DstInfo;
  /** JSON array string: [{"Database":"db1","Table":["t1","t2"]},{"Database":"db2"}]. Required for MigrateObject 2. */
  DatabaseInfo?: string;
}

/** ModifyMigrateJob takes the same configuration (all optional) for a job that has not run. */
export type ModifyMigrateJobRequest = { JobId: string } & Partial<Omit<CreateMigrateJobRequest, 'SrcDatabaseType' | 'DstDatabaseType'>>;

export interface MigrateStepDetailInfo {
  StepNo: number;
  StepName: string;
  StepId: string;
  /** 0 default, 1 succeeded, 2 failed, 3 running, 4 not run. */
  Status: number;
  StartTime?: string;
}

export interface MigrateDetailInfo {
  StepAll: number;
  StepNow: number;
  /** Overall progress, "0".."100". */
  Progress: string;
  CurrentStepProgress: string;
  /** Incremental phase: distance in MB (Redis, MySQL). */
  MasterSlaveDistance: number;
  /** Incremental phase: delay in seconds (MySQL). */
  SecondsBehindMaster: number;
  StepInfo: MigrateStepDetailInfo[];
}

/** DescribeMigrateJobs' JobList item: the configuration the job was created with, and its state. */
export interface MigrateJobInfo extends Omit<CreateMigrateJobRequest, 'DatabaseInfo'> {
  JobId: string;
  /** Typed String by the SDK, yet the published example answers [] for whole-instance jobs. */
  DatabaseInfo: string | unknown[];
  CreateTime: string;
  StartTime: string;
  EndTime: string;
  Status: number;
  Detail?: MigrateDetailInfo;
  ErrorInfo?: { ErrorLog: string; HelpDoc: string }[] | null;
}

export interface DescribeMigrateJobsRequest {
  JobId?: string;
  JobName?: string;
  /** JobId, Status, JobName, MigrateType, RunMode or CreateTime. */
  Order?: string;
  OrderSeq?: 'ASC' | 'DESC';
  Offset?: number;
  /** 1..100, default 20. */
  Limit?: number;
}

export interface DescribeMigrateJobsResponse {
  TotalCount: number;
  JobList: MigrateJobInfo[];
}

export interface DescribeMigrateCheckJobResponse {
  /** unavailable, starting, running, finished. */
  Status: string;
  ErrorCode: number;
  ErrorMessage: string;
  /** "0".."100". */
  Progress: string;
  /** 0 failed, 1 passed, 3 not checked. */
  CheckFlag: number;
}

/** The 2018-03-30 business error codes this provider reacts to. */
export const DTS_LEGACY_ERRORS = {
  notAllowed: 'FailedOperation.NotAllowOperation',
  duplicateJob: 'InternalError.DuplicateJob',
  maxUnusedJobs: 'LimitExceeded.MaxUnusedJobs',
  notFound: 'ResourceNotFound',
  invalidParameter: 'InvalidParameter',
} as const;

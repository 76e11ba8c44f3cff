/**
 * A simulated DTS 2021-12-06 sync job: what CreateSyncJob and ConfigureSyncJob stored, where its
 * check and its run are, and its billing state. Field names follow the API where they mirror it.
 */
export type SyncStatus =
  | 'UnInitialized'
  | 'Initialized'
  | 'Checking'
  | 'CheckPass'
  | 'CheckNotPass'
  | 'ReadyRunning'
  | 'Running'
  | 'Pausing'
  | 'Paused'
  | 'Stopping'
  | 'Stopped'
  | 'ResumableErr'
  | 'Resuming'
  | 'Failed'
  | 'Released'
  | 'Resetting'
  | 'Unknown';

export type TradeStatus = 'Normal' | 'Resizing' | 'Renewing' | 'Isolating' | 'Isolated' | 'Offlining' | 'Offlined' | 'NotBilled' | 'Recovering';

export interface Tip {
  Code?: string;
  Message: string;
  Solution?: string;
}

export interface CheckStep {
  StepNo: number;
  StepId: string;
  StepName: string;
  Status: 'notStarted' | 'running' | 'failed' | 'finished' | 'skipped';
  Errors: Tip[];
  Warnings: Tip[];
  Progress: number;
}

export interface CheckRun {
  Status: 'notStarted' | 'running' | 'failed' | 'success';
  steps: CheckStep[];
}

export interface RunStep {
  StepNo: number;
  StepId: string;
  StepName: string;
  Status: 'notStarted' | 'running' | 'finished' | 'failed' | 'paused';
  /** 0-100; the last (incremental) step reports -1: it never ends. */
  Progress: number;
}

export interface RateLimit {
  DumpThread: number;
  DumpRps: number;
  LoadThread: number;
  LoadRps: number;
  SinkerThread: number;
  userSet: boolean;
}

export interface SyncConfig {
  SrcAccessType: string;
  DstAccessType: string;
  Objects: Record<string, unknown>;
  JobMode: string;
  RunMode: string;
  ExpectRunTime?: string;
  SrcInfo: Record<string, unknown>;
  DstInfo: Record<string, unknown>;
  SrcNodeType: string;
  DstNodeType: string;
  Options: Record<string, unknown> & { InitType: string };
  AutoRetryTimeRangeMinutes: number;
}

/** What CreateSyncJob buys: each job it creates keeps these as the request gave them. */
export interface SyncJobPurchase {
  JobName: string;
  PayMode: 'PrePay' | 'PostPay';
  SrcDatabaseType: string;
  SrcRegion: string;
  DstDatabaseType: string;
  DstRegion: string;
  Specification: string;
  InstanceClass: string;
  AutoRenew: number;
  Tags: { TagKey: string; TagValue: string }[];
}

export interface SimSyncJob extends SyncJobPurchase {
  JobId: string;
  /** Region of the request that created it: DTS jobs are regional. */
  region: string | undefined;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  Status: SyncStatus;
  TradeStatus: TradeStatus;
  config?: SyncConfig;
  check?: CheckRun;
  run: RunStep[];
  rateLimit: RateLimit;
  ErrInfo?: { Reason: string; Message: string; Solution: string };
  /** Seconds behind the source in the incremental step (admin hook sync/jobs/<id>/delay). */
  delaySeconds: number;
}

export const DEFAULT_RATE_LIMIT: Omit<RateLimit, 'userSet'> = { DumpThread: 8, DumpRps: 50_000_000, LoadThread: 16, LoadRps: 50_000_000, SinkerThread: 32 };

import type { CheckStep, MigrationStatus, ModifyMigrationJobRequest, StepDetailInfo, TagItem } from '../../../controller/src/providers/tencent-dts/migration/api-types.ts';

/** One simulated DTS migration job, as the service keeps it (passwords included, never answered). */
export interface SimJob {
  id: string;
  name: string;
  tags: TagItem[];
  srcDatabaseType: string;
  dstDatabaseType: string;
  srcRegion: string;
  dstRegion: string;
  instanceClass: string;
  createdAt: number;
  updatedAt: number;
  startedAt?: number;
  endedAt?: number;
  status: MigrationStatus;
  tradeStatus: 'normal' | 'notBilled' | 'isolating' | 'isolated' | 'offlining';
  isolatedAt?: number;
  /** The last ModifyMigrationJob (the job cannot be checked before one). */
  config?: ModifyMigrationJobRequest;
  check?: CheckRun;
  /** Migration steps, set when the job starts. */
  steps: StepDetailInfo[];
  /** How far the incremental step is behind the source (admin-set). */
  lagSeconds: number;
  /** Set when the job failed on its own (not when it was stopped). */
  error?: { code: string; message: string; solution: string };
  briefMsg?: string;
  /** failed because StopMigrateJob stopped it: ResumeMigrateJob refuses it. */
  stoppedByUser: boolean;
  /** The status pausing returns to once continued. */
  pausedFrom?: 'running' | 'readyComplete';
}

export interface CheckRun {
  status: 'running' | 'success' | 'failed';
  steps: CheckStep[];
  /** Index of the step being checked. */
  cursor: number;
  flag?: 'checkPass' | 'checkNotPass';
  brief: string;
}

/** AllAction of every job: the operations the migration API offers. */
export const ALL_ACTIONS = ['modify', 'check', 'start', 'pause', 'continue', 'stop', 'complete', 'resume', 'isolate', 'destroy', 'recover'] as const;
export type MigrationAction = (typeof ALL_ACTIONS)[number];

/**
 * The operations each status accepts: the simulator's state machine. DTS does not document the
 * table; it follows the console's buttons per status (assumption) and the operation
 * descriptions (pause/continue: running ↔ manualPaused; complete: readyComplete only; resume:
 * a failed job; isolate: a job that does not run).
 */
const BY_STATUS: Readonly<Record<MigrationStatus, readonly MigrationAction[]>> = {
  creating: [],
  created: ['modify', 'check', 'isolate'],
  checking: [],
  checkPass: ['modify', 'check', 'start', 'isolate'],
  checkNotPass: ['modify', 'check', 'isolate'],
  readyRun: ['stop'],
  running: ['pause', 'stop'],
  readyComplete: ['pause', 'stop', 'complete'],
  success: ['isolate'],
  failed: ['resume', 'isolate'],
  stopping: [],
  completing: [],
  pausing: [],
  manualPaused: ['continue', 'stop'],
  resumableErr: ['resume', 'stop'],
  resuming: [],
  unknown: [],
  error: ['isolate'],
  canceled: ['isolate'],
};

/** What the job allows now (MigrateAction.AllowedAction). Billing states override the status. */
export function allowedActions(job: SimJob): MigrationAction[] {
  if (job.tradeStatus === 'isolated') return ['destroy', 'recover'];
  if (job.tradeStatus === 'isolating' || job.tradeStatus === 'offlining') return [];
  return BY_STATUS[job.status].filter((a) => !(a === 'resume' && job.stoppedByUser) && !(a === 'check' && !job.config));
}

/** Incremental steps stream until completed. */
export const INCREMENTAL_STEP_ID = 'IncrMigration';

/** Migration steps of each MigrateType (assumption: DTS does not document the step IDs). */
export function stepsFor(migrateType: string): StepDetailInfo[] {
  const steps = [
    { StepId: 'InitTask', StepName: 'Initialize the task' },
    { StepId: 'StructMigration', StepName: 'Migrate the structure' },
    ...(migrateType === 'structure' ? [] : [{ StepId: 'FullMigration', StepName: 'Migrate full data' }]),
    ...(migrateType === 'fullAndIncrement' ? [{ StepId: INCREMENTAL_STEP_ID, StepName: 'Sync incremental data' }] : []),
  ];
  return steps.map((s, i) => ({ ...s, StepNo: i + 1, Status: 'notStarted', Percent: 0 }));
}

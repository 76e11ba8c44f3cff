import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../../engine/src/clock.ts';
import { CH_ERROR_CODES } from '../../controller/src/providers/huawei-clickhouse/errors.ts';
import { SimError } from './sim-error.ts';

export type Stage = 'wait' | 'full' | 'incremental' | 'failed' | 'other';
export const STAGES: readonly Stage[] = ['wait', 'full', 'incremental', 'failed', 'other'];

/** One synchronized database of one ClickHouse instance. */
export interface SimReplication {
  instanceId: string;
  jobId: string;
  sourceInstanceId: string;
  sourceNodeId?: string;
  database: string;
  targetDatabase: string;
  status: 'normal' | 'abnormal';
  stage: Stage;
  catchupStage: Stage;
  /** Full-sync progress, 0-100. */
  percentage: number;
  /** An admin froze the task where it is (to observe a given percentage, say). */
  hold: boolean;
}

export interface Pace {
  /** Time between two steps of a task. */
  stepMs: number;
  /** Percentage points a full-sync step copies. */
  percentStep: number;
}

export const PACES: Readonly<Record<'fast' | 'default', Pace>> = {
  fast: { stepMs: 40, percentStep: 25 },
  default: { stepMs: 3_000, percentStep: 10 },
};

/**
 * The synchronizations of every ClickHouse instance, and their state machine, driven by a
 * Clock: created in stage `wait`, then `full` with a rising percentage, then `incremental`
 * (replicating; stays there). `failed` / `abnormal` are reached only through an injected
 * failure and are final: the API has no retry, only delete. One task per (instance, database).
 */
export class ReplicationStore {
  readonly #clock: Clock;
  readonly #pace: Pace;
  readonly #byInstance = new Map<string, Map<string, SimReplication>>();
  readonly #timers = new Map<SimReplication, TimerHandle>();

  constructor(options: { clock: Clock; pace: Pace }) {
    this.#clock = options.clock;
    this.#pace = options.pace;
  }

  create(instanceId: string, request: { sourceInstanceId: string; sourceNodeId?: string; database: string }): SimReplication {
    const databases = this.#instance(instanceId);
    if (databases.has(request.database)) {
      throw new SimError(400, CH_ERROR_CODES.replicationExists, `Database ${request.database} already has a synchronization task on instance ${instanceId}.`);
    }
    const replication: SimReplication = {
      instanceId,
      jobId: randomUUID(),
      sourceInstanceId: request.sourceInstanceId,
      ...(request.sourceNodeId ? { sourceNodeId: request.sourceNodeId } : {}),
      database: request.database,
      targetDatabase: request.database,
      status: 'normal',
      stage: 'wait',
      catchupStage: 'wait',
      percentage: 0,
      hold: false,
    };
    databases.set(request.database, replication);
    this.#schedule(replication);
    return replication;
  }

  /** Sorted by database name, so offset paging is stable. */
  list(instanceId: string): SimReplication[] {
    return [...(this.#byInstance.get(instanceId)?.values() ?? [])].sort((a, b) => (a.database < b.database ? -1 : a.database > b.database ? 1 : 0));
  }

  get(instanceId: string, database: string): SimReplication | undefined {
    return this.#byInstance.get(instanceId)?.get(database);
  }

  require(instanceId: string, database: string): SimReplication {
    const replication = this.get(instanceId, database);
    if (!replication) throw new SimError(400, CH_ERROR_CODES.replicationNotFound, `Database ${database} has no synchronization task on instance ${instanceId}.`);
    return replication;
  }

  /** DELETE: refused while the task is still being set up (stage wait), like a busy resource. */
  remove(instanceId: string, database: string): SimReplication {
    const replication = this.require(instanceId, database);
    if (replication.stage === 'wait' && replication.status === 'normal') {
      throw new SimError(400, CH_ERROR_CODES.replicationBusy, `The synchronization task of database ${database} is being created. Try again later.`);
    }
    this.#stop(replication);
    this.#byInstance.get(instanceId)?.delete(database);
    return replication;
  }

  /** Admin: set fields (percentage, stage, status, hold) and re-plan the next step. */
  patch(instanceId: string, database: string, change: Partial<Pick<SimReplication, 'status' | 'stage' | 'catchupStage' | 'percentage' | 'hold'>>): SimReplication {
    const replication = this.require(instanceId, database);
    if (change.stage !== undefined && !STAGES.includes(change.stage)) throw new Error(`stage must be one of ${STAGES.join(', ')}`);
    if (change.percentage !== undefined && !(change.percentage >= 0 && change.percentage <= 100)) throw new Error('percentage must be 0..100');
    Object.assign(replication, change);
    if (change.stage !== undefined && change.catchupStage === undefined) replication.catchupStage = change.stage;
    this.#stop(replication);
    this.#schedule(replication);
    return replication;
  }

  /** Admin: the task breaks (status abnormal, stage failed) and stays broken. */
  fail(instanceId: string, database: string): SimReplication {
    return this.patch(instanceId, database, { status: 'abnormal', stage: 'failed' });
  }

  all(): SimReplication[] {
    return [...this.#byInstance.keys()].flatMap((instanceId) => this.list(instanceId));
  }

  clear(): void {
    for (const replication of this.all()) this.#stop(replication);
    this.#byInstance.clear();
  }

  #instance(instanceId: string): Map<string, SimReplication> {
    let databases = this.#byInstance.get(instanceId);
    if (!databases) {
      databases = new Map();
      this.#byInstance.set(instanceId, databases);
    }
    return databases;
  }

  #schedule(replication: SimReplication): void {
    if (replication.hold || replication.status === 'abnormal' || replication.stage === 'failed' || replication.stage === 'incremental') return;
    this.#timers.set(
      replication,
      this.#clock.setTimeout(() => {
        this.#timers.delete(replication);
        this.#step(replication);
        this.#schedule(replication);
      }, this.#pace.stepMs),
    );
  }

  /** wait → full 0% → full +step% … → incremental 100%. `other` resolves to full (a transition). */
  #step(r: SimReplication): void {
    if (r.stage === 'wait' || r.stage === 'other') {
      r.stage = 'full';
      r.percentage = 0;
    } else if (r.stage === 'full') {
      r.percentage = Math.min(100, r.percentage + this.#pace.percentStep);
      if (r.percentage >= 100) r.stage = 'incremental';
    }
    r.catchupStage = r.stage;
  }

  #stop(replication: SimReplication): void {
    const timer = this.#timers.get(replication);
    if (timer !== undefined) this.#clock.clearTimeout(timer);
    this.#timers.delete(replication);
  }
}

import type { Clock, TimerHandle } from '../../engine/src/clock.ts';
import { cdbError } from './cdb-errors.ts';

/**
 * The CDB data-sync tasks of one simulated account and their state machine:
 *
 *   create → 0 not configured → (one step) → 1 configured
 *   CheckCdbDataSyncTask (1 only) → 2 verifying → (one step) → 3 failed | 4 passed
 *   StartCdbDataSyncTask (4 only) → 5 ready → (one step) → 6 syncing, progress 0 → +progressStep
 *     per step → 100 (stays 6 at 100: caught up, streaming changes)
 *   admin: 6/7 → 7 to be switched | 9 succeeded; 5/6/7 → 8 failed
 *   DelCdbDataSyncTask (0, 1, 3, 4, 8, 9 only) → gone
 *
 * Tasks live in the region of the call that created them (the master's region) and are seen
 * only by calls with that Region. Names are not unique, as in the real API.
 */
export interface SimTask {
  jobId: number;
  jobName: string;
  region: string;
  status: number;
  progress: number;
  src: { cdbUInstanceId: string; dbInfo: { database: string; table: string[] }[]; isOverrideRoot: number };
  dst: { cdbUInstanceId: string; region: string };
  checkFlag: number;
  checkResult?: { code: number; message: string; status: string; isSuccess: number; stepInfo: { stepNo: number; stepName: string; code: number; message: string }[] };
  output: { code: number; message: string; status: string };
  submitTime: string;
  startTime?: string;
  endTime?: string;
  updateTime: string;
}

export interface CheckOutcome {
  /** Steps that fail on the next verifications (by the standard step name, or extra ones). */
  failedSteps: { stepName: string; message: string; code?: number }[];
}

/** The verification steps CDB reports (GetCdbDataSyncTaskList documentation example). */
export const CHECK_STEPS = [
  'Check the parameters',
  'Check source instance',
  'Check destination instance',
  'Check instance status',
  'Check instance specification',
  'Check instance version',
  'Check if the destination instance is empty',
  'Check database table information of instance synchronization',
  'Check cold backup data of instance',
];

/** The execution steps a sync goes through (same example). */
const SYNC_STEPS = [
  { stepNo: 1, stepName: 'Check environment', canStop: 0 },
  { stepNo: 2, stepName: 'Migrate configurations', canStop: 0 },
  { stepNo: 3, stepName: 'Import cold backup', canStop: 1 },
  { stepNo: 4, stepName: 'Build master-slave relationship', canStop: 0 },
  { stepNo: 5, stepName: 'Waiting for synchronization', canStop: 1 },
  { stepNo: 6, stepName: 'Create cold backup', canStop: 0 },
];

const DELETABLE = new Set([0, 1, 3, 4, 8, 9]);
/** A task in these statuses holds its instances: another task on them cannot be verified. */
const HOLDS_INSTANCES = new Set([2, 5, 6, 7]);
const INSTANCE_ID = /^cdb-[0-9a-z]{8}$/;
const REGION = /^[a-z]+(-[a-z0-9]+)+$/;

export class CdbTaskStore {
  readonly #clock: Clock;
  readonly #stepMs: number;
  readonly #tasks = new Map<number, SimTask>();
  readonly #timers = new Map<number, TimerHandle>();
  #nextId = 200;
  #checkOutcome: CheckOutcome | undefined;
  /** Progress added per step while syncing; 0 holds progress where it is (tests set it by hand). */
  progressStep = 25;

  constructor(options: { clock: Clock; stepMs: number }) {
    this.#clock = options.clock;
    this.#stepMs = options.stepMs;
  }

  create(region: string, p: Record<string, string>): number {
    const jobName = p.jobName ?? '';
    if (!jobName) throw cdbError(9003, 'jobName is required');
    if (jobName.length > 64) throw cdbError(30000, 'jobName is longer than 64 characters');
    const srcId = p['srcInfo.0.cdbUInstanceId'];
    if (!srcId) throw cdbError(30004, 'srcInfo.0.cdbUInstanceId is required');
    const override = p['srcInfo.0.isOverrideRoot'];
    if (override !== '0' && override !== '1') throw cdbError(30004, 'srcInfo.0.isOverrideRoot must be 0 or 1');
    const dstId = p['dstInfo.0.cdbUInstanceId'];
    if (!dstId) throw cdbError(30005, 'dstInfo.0.cdbUInstanceId is required');
    const dstRegion = p['dstInfo.0.region'] ?? p['dstInfo.0.regionId'];
    if (!dstRegion || !REGION.test(dstRegion)) throw cdbError(30013, `dstInfo.0.region ${dstRegion ?? '(missing)'} is not a region`);
    for (const id of [srcId, dstId]) if (!INSTANCE_ID.test(id)) throw cdbError(9572, id);
    if (srcId === dstId) throw cdbError(30005, 'the destination instance is the source instance');
    const dbInfo = parseDbInfo(p);
    if (override === '1' && dbInfo.length > 0) throw cdbError(30004, 'isOverrideRoot=1 applies to whole-instance synchronization only');

    const now = this.#time();
    const task: SimTask = {
      jobId: this.#nextId++,
      jobName,
      region,
      status: 0,
      progress: 0,
      src: { cdbUInstanceId: srcId, dbInfo, isOverrideRoot: Number(override) },
      dst: { cdbUInstanceId: dstId, region: dstRegion },
      checkFlag: 0,
      output: { code: 0, message: '', status: 'not_started' },
      submitTime: now,
      updateTime: now,
    };
    this.#tasks.set(task.jobId, task);
    this.#after(task, () => this.#set(task, { status: 1 }));
    return task.jobId;
  }

  check(region: string, jobIdText: string | undefined): void {
    const task = this.#find(region, jobIdText);
    if (task.status !== 1) throw cdbError(30016, `task ${task.jobId} has status ${task.status}; verification needs status 1`);
    const busy = [...this.#tasks.values()].find(
      (t) => t !== task && HOLDS_INSTANCES.has(t.status) && [t.src.cdbUInstanceId, t.dst.cdbUInstanceId].some((id) => id === task.src.cdbUInstanceId || id === task.dst.cdbUInstanceId),
    );
    if (busy) throw cdbError(9592, `task ${busy.jobId} is using these instances`);
    this.#set(task, { status: 2, checkFlag: 0, checkResult: { code: 0, message: 'Verifying', status: 'running', isSuccess: 0, stepInfo: [] } });
    this.#after(task, () => this.#finishCheck(task));
  }

  start(region: string, jobIdText: string | undefined): void {
    const task = this.#find(region, jobIdText);
    if (task.status !== 4) throw cdbError(30016, `task ${task.jobId} has status ${task.status}; start needs status 4`);
    this.#set(task, { status: 5, startTime: this.#time(), output: { code: 0, message: '', status: 'running' } });
    this.#after(task, () => {
      this.#set(task, { status: 6, progress: 0 });
      this.#advanceSync(task);
    });
  }

  remove(region: string, jobIdText: string | undefined): void {
    const task = this.#find(region, jobIdText);
    if (!DELETABLE.has(task.status)) throw cdbError(30016, `task ${task.jobId} has status ${task.status}; delete needs status 0, 1, 3, 4, 8 or 9`);
    this.#cancel(task.jobId);
    this.#tasks.delete(task.jobId);
  }

  /** GetCdbDataSyncTaskList. Default order: jobId descending (newest first). */
  list(region: string, p: Record<string, string>): { totalCount: number; jobList: unknown[] } {
    const offset = intParam(p.offset, 0);
    const limit = intParam(p.limit, 20);
    if (offset === undefined || offset < 0) throw cdbError(9003, 'offset must be an integer >= 0');
    if (limit === undefined || limit < 1 || limit > 100) throw cdbError(9003, 'limit must be an integer in [1, 100]');
    const statuses = Object.entries(p)
      .filter(([k]) => /^status\.\d+$/.test(k))
      .map(([, v]) => Number(v));
    let jobId: number | undefined;
    if (p.jobId !== undefined) {
      jobId = intParam(p.jobId, 0);
      if (jobId === undefined) throw cdbError(9003, 'jobId must be an integer');
    }
    const order = p.order ?? 'jobId';
    if (!['jobId', 'status', 'jobName', 'submitTime'].includes(order)) throw cdbError(9003, 'order must be jobId, status, jobName or submitTime');
    const seq = (p.orderSeq ?? 'DESC').toUpperCase();
    if (seq !== 'ASC' && seq !== 'DESC') throw cdbError(9003, 'orderSeq must be ASC or DESC');
    const matching = [...this.#tasks.values()]
      .filter((t) => t.region === region)
      .filter((t) => jobId === undefined || t.jobId === jobId)
      // The console's name search matches parts of names.
      .filter((t) => !p.jobName || t.jobName.includes(p.jobName))
      .filter((t) => statuses.length === 0 || statuses.includes(t.status))
      .filter((t) => !p.srcUInstanceId || t.src.cdbUInstanceId === p.srcUInstanceId)
      .filter((t) => !p.dstUInstanceId || t.dst.cdbUInstanceId === p.dstUInstanceId)
      .sort((a, b) => compare(a, b, order) * (seq === 'ASC' ? 1 : -1));
    return { totalCount: matching.length, jobList: matching.slice(offset, offset + limit).map(toListItem) };
  }

  // ---- admin hooks ----

  setCheckOutcome(outcome: CheckOutcome | undefined): void {
    this.#checkOutcome = outcome;
  }

  get checkOutcome(): CheckOutcome | undefined {
    return this.#checkOutcome;
  }

  /** The task fails while starting or syncing (status 8) with this jobOutput. */
  fail(jobId: number, error: { code?: number; message?: string }): SimTask {
    const task = this.#get(jobId);
    if (![5, 6, 7].includes(task.status)) throw new Error(`task ${jobId} has status ${task.status}; only a starting or syncing task can fail`);
    this.#cancel(jobId);
    this.#set(task, { status: 8, endTime: this.#time(), output: { code: error.code ?? 9013, message: error.message ?? 'synchronization failed', status: 'failed' } });
    return task;
  }

  /** Sets the progress of a syncing task. */
  setProgress(jobId: number, progress: number): SimTask {
    const task = this.#get(jobId);
    if (task.status !== 6) throw new Error(`task ${jobId} has status ${task.status}; progress applies to a syncing task (6)`);
    if (!Number.isInteger(progress) || progress < 0 || progress > 100) throw new Error('progress must be an integer in [0, 100]');
    this.#set(task, { progress });
    return task;
  }

  /** Moves a syncing task to 7 (to be switched) or 9 (succeeded). */
  setStatus(jobId: number, status: number): SimTask {
    const task = this.#get(jobId);
    if (![6, 7].includes(task.status) || ![7, 9].includes(status)) throw new Error(`task ${jobId} cannot go from status ${task.status} to ${status} (6/7 → 7/9 only)`);
    this.#cancel(jobId);
    this.#set(task, {
      status,
      progress: 100,
      ...(status === 9 ? { endTime: this.#time(), output: { code: 0, message: 'Disaster recovery instance synchronization succeeded', status: 'normal_finish' } } : {}),
    });
    return task;
  }

  all(): SimTask[] {
    return [...this.#tasks.values()].map((t) => structuredClone(t));
  }

  close(): void {
    for (const id of [...this.#timers.keys()]) this.#cancel(id);
  }

  #finishCheck(task: SimTask): void {
    const failures = this.#checkOutcome?.failedSteps ?? [];
    const names = [...CHECK_STEPS, ...failures.map((f) => f.stepName).filter((n) => !CHECK_STEPS.includes(n))];
    const stepInfo = names.map((stepName, i) => {
      const failure = failures.find((f) => f.stepName === stepName);
      return failure
        ? { stepNo: i + 1, stepName, code: failure.code ?? 1, message: failure.message }
        : { stepNo: i + 1, stepName, code: 0, message: 'Verification succeeded' };
    });
    const ok = failures.length === 0;
    this.#set(task, {
      status: ok ? 4 : 3,
      checkFlag: ok ? 1 : 2,
      checkResult: {
        code: ok ? 0 : -1,
        message: ok ? 'Disaster recovery instance check succeeded' : 'Disaster recovery instance check failed',
        status: 'finished',
        isSuccess: ok ? 1 : 0,
        stepInfo,
      },
    });
  }

  #advanceSync(task: SimTask): void {
    if (task.status !== 6 || task.progress >= 100) return;
    this.#after(task, () => {
      if (task.status !== 6) return;
      if (this.progressStep > 0) this.#set(task, { progress: Math.min(100, task.progress + this.progressStep) });
      this.#advanceSync(task);
    });
  }

  #find(region: string, jobIdText: string | undefined): SimTask {
    if (jobIdText === undefined || !/^\d+$/.test(jobIdText)) throw cdbError(9003, 'jobId must be an integer');
    const task = this.#tasks.get(Number(jobIdText));
    if (!task || task.region !== region) throw cdbError(30009, `task ${jobIdText}`);
    return task;
  }

  #get(jobId: number): SimTask {
    const task = this.#tasks.get(jobId);
    if (!task) throw new Error(`no task ${jobId}`);
    return task;
  }

  #set(task: SimTask, change: Partial<SimTask>): void {
    Object.assign(task, change, { updateTime: this.#time() });
  }

  #after(task: SimTask, step: () => void): void {
    this.#cancel(task.jobId);
    this.#timers.set(
      task.jobId,
      this.#clock.setTimeout(() => {
        this.#timers.delete(task.jobId);
        if (this.#tasks.get(task.jobId) === task) step();
      }, this.#stepMs),
    );
  }

  #cancel(jobId: number): void {
    const timer = this.#timers.get(jobId);
    if (timer !== undefined) this.#clock.clearTimeout(timer);
    this.#timers.delete(jobId);
  }

  #time(): string {
    return new Date(this.#clock.now()).toISOString().replace('T', ' ').slice(0, 19);
  }
}

/** srcInfo.0.dbInfo.N.database / .table.M → [{database, table[]}]; a table without its database is refused. */
function parseDbInfo(p: Record<string, string>): SimTask['src']['dbInfo'] {
  const dbs = new Map<number, { database?: string; table: Map<number, string> }>();
  for (const [key, value] of Object.entries(p)) {
    const m = /^srcInfo\.0\.dbInfo\.(\d+)\.(database|table\.(\d+))$/.exec(key);
    if (!m) continue;
    const n = Number(m[1]);
    const db = dbs.get(n) ?? { table: new Map<number, string>() };
    dbs.set(n, db);
    if (m[2] === 'database') db.database = value;
    else db.table.set(Number(m[3]), value);
  }
  return [...dbs.entries()]
    .sort(([a], [b]) => a - b)
    .map(([n, db]) => {
      if (!db.database) throw cdbError(30004, `srcInfo.0.dbInfo.${n}.database is missing or empty`);
      const tables = [...db.table.entries()].sort(([a], [b]) => a - b).map(([, t]) => t);
      if (tables.some((t) => t === '')) throw cdbError(30004, `srcInfo.0.dbInfo.${n} has an empty table name`);
      return { database: db.database, table: tables };
    });
}

function intParam(value: string | undefined, fallback: number): number | undefined {
  if (value === undefined || value === '') return fallback;
  return /^-?\d+$/.test(value) ? Number(value) : undefined;
}

function compare(a: SimTask, b: SimTask, order: string): number {
  const key = (t: SimTask): string | number => (order === 'status' ? t.status : order === 'jobName' ? t.jobName : order === 'submitTime' ? t.submitTime : t.jobId);
  const x = key(a);
  const y = key(b);
  return x < y ? -1 : x > y ? 1 : a.jobId - b.jobId;
}

/** One jobList entry, shaped like the documented example (numbers as the example has them). */
function toListItem(t: SimTask): unknown {
  const syncing = t.status >= 5;
  const stepNow = t.status === 9 ? 6 : Math.min(5, 1 + Math.floor(t.progress / 25));
  return {
    code: t.status === 8 ? t.output.code : 0,
    message: t.status === 8 ? t.output.message : '',
    jobId: t.jobId,
    type: 10,
    status: t.status,
    progress: t.progress,
    startTime: t.startTime ?? '0000-00-00 00:00:00',
    endTime: t.endTime ?? '0000-00-00 00:00:00',
    detail: {
      jobName: t.jobName,
      runMode: '1',
      migrateType: '3',
      extMsg: '',
      srcInfo: { region: t.region, cdbUInstanceId: t.src.cdbUInstanceId, dbInfo: t.src.dbInfo, isOverrideRoot: t.src.isOverrideRoot },
      dstInfo: { region: t.dst.region, cdbUInstanceId: t.dst.cdbUInstanceId },
      jobInput: [],
      // PHP answers an empty object as [].
      checkInfo: { checkFlag: t.checkFlag, checkResult: t.checkResult ?? [] },
      jobOutput: syncing
        ? {
            code: t.output.code,
            message: t.output.message,
            status: t.output.status,
            stepAll: SYNC_STEPS.length,
            stepNow,
            stepName: SYNC_STEPS[stepNow - 1]!.stepName,
            stepPercent: t.progress.toFixed(2),
            costTime: 0,
            createTime: t.startTime ?? t.submitTime,
            stepInfo: SYNC_STEPS,
          }
        : [],
      expectTime: '0000-00-00 00:00:00',
      updateTime: t.updateTime,
      submitTime: t.submitTime,
    },
  };
}

import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { JobRecord } from './job.ts';

/**
 * The durable job store: all jobs in memory, every change written to an append-only log of
 * JSON lines and fsync'ed before the change becomes visible (and so before any HTTP response
 * that depends on it). Periodically the log is folded into a snapshot written to a temp file,
 * fsync'ed and renamed over the old one, then the log is truncated.
 *
 * Group commit: commits issued in the same event-loop turn share one write + fsync, so a
 * 100-item batch request or a burst of timer transitions costs one fsync, not a hundred.
 *
 * Crash safety: a torn last line (kill -9 mid-write) is never acknowledged, and is cut off on
 * load. Each log line carries a sequence number; lines already folded into the snapshot
 * (crash between snapshot rename and log truncation) are skipped by number.
 */
export interface JobStoreOptions {
  /** Fold the log into a snapshot after this many log lines (default 5000). */
  compactEveryLines?: number;
  /** ...or once the log outgrows max(this, last snapshot size) bytes (default 8 MiB). */
  compactMinBytes?: number;
  /** fsync each group commit (default true). Off only for throwaway benchmark stores. */
  fsync?: boolean;
}

interface LogLine {
  seq: number;
  jobs: JobRecord[];
}

interface Snapshot {
  seq: number;
  jobs: JobRecord[];
}

interface PendingCommit {
  jobs: JobRecord[];
  resolve: () => void;
  reject: (error: Error) => void;
}

const SNAPSHOT = 'jobs.snapshot.json';
const LOG = 'jobs.log';
const LOCK = 'LOCK';

export class JobStore {
  private readonly jobs = new Map<string, JobRecord>();
  /** Live (not DELETED) jobs by lower-cased name: DRS names are case-insensitive. */
  private readonly byName = new Map<string, Set<string>>();
  private readonly dir: string;
  private readonly options: Required<JobStoreOptions>;
  private logFd: number;
  private seq = 0;
  private logLines = 0;
  private logBytes = 0;
  private snapshotBytes = 0;
  private pending: PendingCommit[] = [];
  private flushScheduled = false;
  private closed = false;

  private constructor(dir: string, options: JobStoreOptions) {
    this.dir = dir;
    this.options = {
      compactEveryLines: options.compactEveryLines ?? 5000,
      compactMinBytes: options.compactMinBytes ?? 8 * 1024 * 1024,
      fsync: options.fsync ?? true,
    };
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    acquireLock(dir);
    this.loadSnapshot();
    this.logFd = this.replayLog();
  }

  /** Opens (creating if needed) the store in `dir` and loads it. Throws if another live process holds it. */
  static open(dir: string, options: JobStoreOptions = {}): JobStore {
    return new JobStore(dir, options);
  }

  get(id: string): JobRecord | undefined {
    return this.jobs.get(id);
  }

  all(): IterableIterator<JobRecord> {
    return this.jobs.values();
  }

  /** IDs of live (not deleted) jobs with this name, compared case-insensitively. */
  idsNamed(name: string): string[] {
    return [...(this.byName.get(name.toLowerCase()) ?? [])];
  }

  get size(): number {
    return this.jobs.size;
  }

  /** True while commits are waiting for their flush. */
  get flushing(): boolean {
    return this.pending.length > 0;
  }

  /**
   * Makes `jobs` durable and visible. Resolves after the fsync; readers (get/all) see the new
   * versions only from then on.
   */
  commit(jobs: JobRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('job store is closed'));
    if (jobs.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ jobs: jobs.map((job) => structuredClone(job)), resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Folds the log into a fresh snapshot now. */
  compact(): void {
    const snapshot: Snapshot = { seq: this.seq, jobs: [...this.jobs.values()] };
    const text = JSON.stringify(snapshot);
    const tmp = join(this.dir, `${SNAPSHOT}.tmp`);
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(this.dir, SNAPSHOT));
    fsyncDir(this.dir);
    // Only now is the log redundant: everything up to `seq` is in the snapshot.
    ftruncateSync(this.logFd, 0);
    if (this.options.fsync) fsyncSync(this.logFd);
    this.snapshotBytes = Buffer.byteLength(text);
    this.logLines = 0;
    this.logBytes = 0;
  }

  /** Flushes what is pending and releases the directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.pending.length > 0) this.flush();
    this.closed = true;
    closeSync(this.logFd);
    rmSync(join(this.dir, LOCK), { force: true });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const jobs = batch.flatMap((commit) => commit.jobs);
    const line: LogLine = { seq: this.seq + 1, jobs };
    const text = `${JSON.stringify(line)}\n`;
    try {
      writeAll(this.logFd, text);
      if (this.options.fsync) fsyncSync(this.logFd);
    } catch (error) {
      // Nothing of this group is acknowledged; cut the partial line so the log stays parseable.
      try {
        ftruncateSync(this.logFd, this.logBytes);
      } catch {
        /* the load-time torn-line check still protects the log */
      }
      for (const commit of batch) commit.reject(error as Error);
      return;
    }
    this.seq = line.seq;
    this.logLines += 1;
    this.logBytes += Buffer.byteLength(text);
    for (const job of jobs) this.put(job);
    if (this.logLines >= this.options.compactEveryLines || this.logBytes > Math.max(this.options.compactMinBytes, this.snapshotBytes)) {
      try {
        this.compact();
      } catch {
        // The log still holds everything; compaction is retried after the next commit.
      }
    }
    for (const commit of batch) commit.resolve();
  }

  private put(job: JobRecord): void {
    const previous = this.jobs.get(job.id);
    if (previous) {
      const key = previous.name.toLowerCase();
      const ids = this.byName.get(key);
      ids?.delete(job.id);
      if (ids?.size === 0) this.byName.delete(key);
    }
    this.jobs.set(job.id, job);
    if (job.status === 'DELETED') return;
    const key = job.name.toLowerCase();
    let ids = this.byName.get(key);
    if (!ids) this.byName.set(key, (ids = new Set()));
    ids.add(job.id);
  }

  private loadSnapshot(): void {
    const path = join(this.dir, SNAPSHOT);
    if (!existsSync(path)) return;
    const text = readFileSync(path, 'utf8');
    const snapshot = JSON.parse(text) as Snapshot;
    for (const job of snapshot.jobs) this.put(job);
    this.seq = snapshot.seq;
    this.snapshotBytes = Buffer.byteLength(text);
  }

  /** Replays log lines newer than the snapshot; truncates a torn tail. Returns the open log fd. */
  private replayLog(): number {
    const path = join(this.dir, LOG);
    const fd = openSync(path, 'a+', 0o600);
    const content = readFileSync(path);
    let offset = 0;
    let validEnd = 0;
    while (offset < content.length) {
      const newline = content.indexOf(0x0a, offset);
      if (newline < 0) break; // torn: no terminating newline
      const lineText = content.subarray(offset, newline).toString('utf8');
      let line: LogLine;
      try {
        line = JSON.parse(lineText) as LogLine;
      } catch {
        break;
      }
      if (line.seq > this.seq) {
        for (const job of line.jobs) this.put(job);
        this.seq = line.seq;
        this.logLines += 1;
      }
      offset = newline + 1;
      validEnd = offset;
    }
    if (validEnd < content.length) {
      ftruncateSync(fd, validEnd);
      fsyncSync(fd);
    }
    this.logBytes = validEnd;
    if (statSync(path).size !== validEnd) throw new Error(`job log ${path} could not be repaired`);
    return fd;
  }
}

function writeAll(fd: number, text: string): void {
  const buffer = Buffer.from(text, 'utf8');
  let written = 0;
  while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written);
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  }
}

/** One process per data directory: a LOCK file with the owner's pid; a dead owner's lock is taken over. */
function acquireLock(dir: string): void {
  const path = join(dir, LOCK);
  if (existsSync(path)) {
    const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
    if (Number.isInteger(owner) && owner !== process.pid && processAlive(owner)) {
      throw new Error(`data directory ${dir} is in use by process ${owner}; stop it or choose another --data directory`);
    }
  }
  writeFileSync(path, String(process.pid), { mode: 0o600 });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signRequest } from '../../../controller/src/providers/huawei/signer.ts';
import { ManualClock, type Clock } from '../../../engine/src/clock.ts';
import { startEngine, type Engine, type EngineOptions } from '../../../engine/src/engine.ts';

export const PROJECT_ID = '054ba152d480d55b2f5dc0069e7ddef0';
export const CREDENTIALS = { accessKey: 'TESTAK0123456789', secretKey: 'test-secret-key-0123456789' };

/** Step durations the walk tests advance through with a manual clock. */
export const DELAYS = {
  createMs: 1000,
  precheckMs: 2000,
  startMs: 1000,
  fullTransferMs: 10_000,
  fullToIncrementalMs: 1000,
  pauseMs: 1000,
  releaseMs: 2000,
  forceReleaseMs: 500,
};

export function tempDir(prefix = 'drs-engine-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestEngine {
  engine: Engine;
  clock: ManualClock;
  dir: string;
  drs: DrsTestClient;
  /** Moves the manual clock and waits until the engine applied what fell due. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** An engine on a temp dir with a manual clock and deterministic randomness. */
export async function startTestEngine(options: Partial<EngineOptions> & { dir?: string; clock?: ManualClock } = {}): Promise<TestEngine> {
  const temp = options.dir ? undefined : tempDir();
  const dir = options.dir ?? temp!.dir;
  const clock = options.clock ?? new ManualClock(Date.UTC(2024, 5, 1, 8, 0, 0));
  let counter = 0;
  const engine = await startEngine({
    dataDir: dir,
    credentials: CREDENTIALS,
    delays: DELAYS,
    clock,
    random: () => 0.99,
    randomUUID: () => `${String(++counter).padStart(8, '0')}-0000-4000-8000-000000000000`,
    ...options,
  });
  const drs = new DrsTestClient(engine.url, clock);
  return {
    engine,
    clock,
    dir,
    drs,
    advance: async (ms) => {
      await engine.idle();
      clock.advance(ms);
      await engine.idle();
    },
    close: async () => {
      await engine.close();
      temp?.remove();
    },
  };
}

export interface DrsAnswer {
  status: number;
  body: any;
  headers: Headers;
}

/** Signs with the project's own signer (SDK-HMAC-SHA256) and calls the engine over HTTP. */
export class DrsTestClient {
  readonly baseUrl: string;
  private readonly clock: Clock;

  constructor(baseUrl: string, clock: Clock) {
    this.baseUrl = baseUrl;
    this.clock = clock;
  }

  async call(method: string, action: string, body: unknown, options: { projectId?: string; credentials?: typeof CREDENTIALS } = {}): Promise<DrsAnswer> {
    const url = `${this.baseUrl}/v3/${options.projectId ?? PROJECT_ID}/jobs${action}`;
    const text = method === 'GET' ? '' : JSON.stringify(body);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Project-Id': options.projectId ?? PROJECT_ID };
    const added = signRequest({ method, url, headers, body: text }, options.credentials ?? CREDENTIALS, new Date(this.clock.now()));
    const response = await fetch(url, { method, headers: { ...headers, ...added }, ...(text === '' ? {} : { body: text }) });
    const raw = await response.text();
    return { status: response.status, body: raw === '' ? undefined : JSON.parse(raw), headers: response.headers };
  }

  post(action: string, body: unknown): Promise<DrsAnswer> {
    return this.call('POST', action, body);
  }

  put(action: string, body: unknown): Promise<DrsAnswer> {
    return this.call('PUT', action, body);
  }

  delete(action: string, body: unknown): Promise<DrsAnswer> {
    return this.call('DELETE', action, body);
  }

  async status(ids: string[]): Promise<Record<string, string>> {
    const answer = await this.post('/batch-status', { jobs: ids, page_req: { cur_page: 1, per_page: 100 } });
    return Object.fromEntries(answer.body.results.map((r: { id: string; status?: string; error_code?: string }) => [r.id, r.status ?? r.error_code]));
  }

  async admin(method: string, path: string, body?: unknown): Promise<DrsAnswer> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const raw = await response.text();
    return { status: response.status, body: raw === '' ? undefined : JSON.parse(raw), headers: response.headers };
  }
}

/** A valid batch-creation item (the seed's first example, with a name of our choosing). */
export function creationItem(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    node_type: 'high',
    engine_type: 'mysql',
    net_type: 'eip',
    job_direction: 'up',
    db_use_type: 'migration',
    task_type: 'FULL_INCR_TRANS',
    customize_sutnet_id: '352ad828-3467-4f03-987a-c55a5a9dd417',
    source_endpoint: { db_type: 'mysql' },
    target_endpoint: { region: 'region-1', db_type: 'mysql', inst_id: 'e05a3679efe241d8b5dee80b17c1a863in01' },
    bind_eip: true,
    ...overrides,
  };
}

export function connectionItems(id: string, overrides: { so?: Record<string, unknown>; ta?: Record<string, unknown> } = {}): Record<string, unknown>[] {
  return [
    { id, ip: '192.168.0.27', net_type: 'eip', db_type: 'mysql', db_port: 3306, db_user: 'root', db_password: 'src-pass', end_point_type: 'so', ...overrides.so },
    {
      id,
      ip: '192.168.0.131',
      net_type: 'eip',
      db_type: 'mysql',
      db_port: 3306,
      db_user: 'root',
      db_password: 'dst-pass',
      inst_id: 'e05a3679efe241d8b5dee80b17c1a863in01',
      project_id: PROJECT_ID,
      region: 'region-1',
      end_point_type: 'ta',
      ...overrides.ta,
    },
  ];
}

/** The full batch-modification after a connection test (seed 4.1.4 "Calling the API after the MySQL connection test"). */
export function modificationItem(id: string, name: string, sourceUser = 'root'): Record<string, unknown> {
  return {
    job_id: id,
    name,
    source_endpoint: { ip: '192.168.0.27', db_port: '3306', db_user: sourceUser, db_password: 'src-pass', ssl_link: false, db_type: 'mysql', project_id: PROJECT_ID },
    target_endpoint: {
      region: 'region-1',
      db_type: 'mysql',
      db_user: 'root',
      db_password: 'dst-pass',
      project_id: PROJECT_ID,
      inst_id: '3def1ac7f8ab4ae48d7c025339f80414in01',
    },
    node_type: 'high',
    engine_type: 'mysql',
    store_db_info: true,
    net_type: 'eip',
    job_direction: 'up',
    replace_definer: true,
  };
}

/** Creates tasks and walks them to CONFIGURATION with connections tested and the job modified. */
export async function configuredJobs(t: TestEngine, names: string[], overrides: Record<string, unknown> = {}): Promise<string[]> {
  const created = await t.drs.post('/batch-creation', { jobs: names.map((name) => creationItem(name, overrides)) });
  const ids: string[] = created.body.results.map((r: { id: string }) => r.id);
  await t.advance(DELAYS.createMs);
  await t.drs.post('/batch-connection', { jobs: ids.flatMap((id) => connectionItems(id)) });
  await t.drs.put('/batch-modification', { jobs: ids.map((id, i) => modificationItem(id, names[i]!)) });
  return ids;
}

/** ...and pre-checked and started, through to INCRE_TRANSFER_STARTED. */
export async function replicatingJobs(t: TestEngine, names: string[], overrides: Record<string, unknown> = {}): Promise<string[]> {
  const ids = await configuredJobs(t, names, overrides);
  await t.drs.post('/batch-precheck', { jobs: ids.map((job_id) => ({ job_id, precheck_mode: 'forStartJob' })) });
  await t.advance(DELAYS.precheckMs);
  await t.drs.post('/batch-starting', { jobs: ids.map((job_id) => ({ job_id })) });
  await t.advance(DELAYS.startMs + DELAYS.fullTransferMs + DELAYS.fullToIncrementalMs);
  return ids;
}

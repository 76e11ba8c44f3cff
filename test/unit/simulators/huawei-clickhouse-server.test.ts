import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engine/src/clock.ts';
import { startClickHouseSimulator, type RunningClickHouseSimulator } from '../../../simulators/huawei-clickhouse/server.ts';

const AK = 'HPUACLICKHOUSEAK0001';
const SK = 'clickhouse-sim-Secret/Key+1';
const PROJECT = '23a50154cf494ec9ad6883979a12db0a';
const CH = '54e42160670e48e789af7075e1efea1fin16';
const SOURCE = 'f2c1a4e0b7d94c0c9a7b1e2d3c4b5a69in07';
const IAM_USER = { username: 'ops', password: 'Iam-Passw0rd!', domainName: 'acme' };

const base = (sim: RunningClickHouseSimulator) => `${sim.url}/v3/${PROJECT}/instances/${CH}/clickhouse/replication`;

async function iamToken(sim: RunningClickHouseSimulator, password = IAM_USER.password, projectId = PROJECT): Promise<Response> {
  return fetch(`${sim.url}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: IAM_USER.username, password, domain: { name: IAM_USER.domainName } } } },
        scope: { project: { id: projectId } },
      },
    }),
  });
}

async function call(url: string, token: string, method = 'GET', body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method,
    headers: { 'X-Auth-Token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const admin = (sim: RunningClickHouseSimulator, path: string, body?: unknown, method = 'POST') =>
  fetch(`${sim.url}/_sim/${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }).then((r) => r.json() as Promise<any>);

const createBody = (database: string) => ({ source_instance_id: SOURCE, source_database: database });
const checkBody = (database: string) => ({
  source_instance_id: SOURCE,
  source_database_name: database,
  db_configs: [],
  table_repl_config: { repl_type: 'black_list', tables: [] },
});

describe('huawei-clickhouse simulator: the replication state machine (manual clock)', () => {
  let sim: RunningClickHouseSimulator;
  let clock: ManualClock;
  let token: string;

  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    sim = await startClickHouseSimulator({ credentials: { id: AK, key: SK }, pace: 'fast', clock, iam: IAM_USER });
    token = (await iamToken(sim)).headers.get('x-subject-token')!;
  });
  afterEach(() => sim.close());

  const listed = async (database: string) => ((await call(`${base(sim)}?limit=100&offset=0`, token)).body.replications as any[]).find((r) => r.source_database === database);

  it('creates a task in stage wait, then full with a rising percentage, then incremental', async () => {
    const created = await call(base(sim), token, 'POST', createBody('orders'));
    expect(created.status).toBe(200);
    expect(created.body.job_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await listed('orders')).toEqual({ source_database: 'orders', target_database: 'orders', status: 'normal', stage: 'wait', catchup_stage: 'wait', percentage: '0' });
    const seen: string[] = [];
    for (let step = 0; step < 7; step += 1) {
      clock.advance(40);
      const r = await listed('orders');
      seen.push(`${r.stage}:${r.percentage}`);
    }
    expect(seen).toEqual(['full:0', 'full:25', 'full:50', 'full:75', 'incremental:100', 'incremental:100', 'incremental:100']);
  });

  it('keeps one task per database, refuses deleting one still being created, and answers gone ones with 400', async () => {
    await call(base(sim), token, 'POST', createBody('orders'));
    const again = await call(base(sim), token, 'POST', createBody('orders'));
    expect(again).toEqual({ status: 400, body: { error_code: 'DBS.280201', error_msg: expect.stringContaining('already has a synchronization task') } });
    const busy = await call(`${base(sim)}/orders`, token, 'DELETE');
    expect(busy.status).toBe(400);
    expect(busy.body.error_code).toBe('DBS.280203');
    clock.advance(40);
    const deleted = await call(`${base(sim)}/orders`, token, 'DELETE');
    expect(deleted.status).toBe(200);
    expect(deleted.body.job_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await listed('orders')).toBeUndefined();
    expect((await call(`${base(sim)}/orders`, token, 'DELETE')).body.error_code).toBe('DBS.280202');
    expect((await call(`${base(sim)}/config?database_name=orders`, token)).body.error_code).toBe('DBS.280202');
  });

  it('answers the config of a synchronized database', async () => {
    await call(base(sim), token, 'POST', { ...createBody('orders'), source_node_id: 'replica-1' });
    const config = await call(`${base(sim)}/config?database_name=orders`, token);
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({ source_instance_id: SOURCE, source_node_id: 'replica-1', database_info: { database_name: 'orders' }, table_repl_config: { repl_type: 'black_list', tables: [] } });
    expect((await call(`${base(sim)}/config`, token)).body.error_code).toBe('DBS.280001');
  });

  it('pages the list with limit and offset (at most 100)', async () => {
    for (let i = 0; i < 150; i += 1) await call(base(sim), token, 'POST', createBody(`db${String(i).padStart(3, '0')}`));
    const first = await call(`${base(sim)}?limit=100&offset=0`, token);
    const second = await call(`${base(sim)}?limit=100&offset=100`, token);
    expect(first.body.total_count).toBe(150);
    expect(first.body.replications).toHaveLength(100);
    expect(second.body.replications).toHaveLength(50);
    expect(second.body.replications[0].source_database).toBe('db100');
    expect((await call(`${base(sim)}?limit=101`, token)).body.error_code).toBe('DBS.280001');
  });

  it('refuses malformed bodies with the Huawei error shape', async () => {
    const missing = await call(base(sim), token, 'POST', { source_instance_id: SOURCE });
    expect(missing).toEqual({ status: 400, body: { error_code: 'DBS.280001', error_msg: expect.stringContaining('source_database') } });
    const whiteListWithoutTables = await call(`${base(sim)}/database-check`, token, 'POST', { ...checkBody('orders'), table_repl_config: { repl_type: 'white_list', tables: [] } });
    expect(whiteListWithoutTables.body.error_code).toBe('DBS.280001');
  });

  it('checks pass by default, fail item by item when told, block creation until fixed', async () => {
    await admin(sim, 'source-tables', { database: 'orders', tables: ['orders', 'order_items'] });
    const passing = await call(`${base(sim)}/database-check`, token, 'POST', checkBody('orders'));
    expect(passing.body.db_config_check_results.every((r: any) => r.check_result === 'success')).toBe(true);
    const tables = await call(`${base(sim)}/table-check`, token, 'POST', { ...checkBody('orders'), tables_configs: [] });
    expect(tables.body).toEqual({
      source_database_name: 'orders',
      table_config_check_results: [
        { table_name: 'orders', table_config: '', check_result: 'success' },
        { table_name: 'order_items', table_config: '', check_result: 'success' },
      ],
    });

    await admin(sim, 'check-outcome', { database: 'orders', tableResults: [{ table_name: 'audit', table_config: '', check_result: 'fail' }] });
    const failing = await call(`${base(sim)}/table-check`, token, 'POST', { ...checkBody('orders'), tables_configs: [] });
    expect(failing.body.table_config_check_results).toEqual([{ table_name: 'audit', table_config: '', check_result: 'fail' }]);
    expect((await call(base(sim), token, 'POST', createBody('orders'))).body.error_code).toBe('DBS.280204');

    await admin(sim, 'check-outcome', { database: 'orders', error: { status: 400, error_code: 'DBS.280105', error_msg: 'The database orders does not exist.' } });
    expect(await call(`${base(sim)}/database-check`, token, 'POST', checkBody('orders'))).toEqual({ status: 400, body: { error_code: 'DBS.280105', error_msg: 'The database orders does not exist.' } });

    await admin(sim, 'check-outcome', { database: 'orders' }, 'DELETE');
    expect((await call(base(sim), token, 'POST', createBody('orders'))).status).toBe(200);
    // A synchronized database is not checked for a new task.
    expect((await call(`${base(sim)}/database-check`, token, 'POST', checkBody('orders'))).body.error_code).toBe('DBS.280201');
  });

  it('admin hooks: hold at a percentage, inject a failure (final), restrict instances', async () => {
    await call(base(sim), token, 'POST', createBody('orders'));
    await admin(sim, `replications/${CH}/orders`, { stage: 'full', percentage: 40, hold: true });
    clock.advance(1_000);
    expect(await listed('orders')).toMatchObject({ stage: 'full', percentage: '40' });
    await admin(sim, `replications/${CH}/orders`, { hold: false });
    clock.advance(40);
    expect(await listed('orders')).toMatchObject({ stage: 'full', percentage: '65' });
    await admin(sim, `replications/${CH}/orders/fail`);
    clock.advance(1_000);
    expect(await listed('orders')).toMatchObject({ status: 'abnormal', stage: 'failed' });

    await admin(sim, 'instances', { ids: ['another-instance'] });
    expect((await call(base(sim), token)).body.error_code).toBe('DBS.280104');
  });
});

describe('huawei-clickhouse simulator: authentication and faults', () => {
  let sim: RunningClickHouseSimulator;
  beforeAll(async () => {
    sim = await startClickHouseSimulator({ credentials: { id: AK, key: SK }, pace: 'fast', iam: IAM_USER, random: () => 0 });
  });
  afterAll(() => sim.close());

  function sdkSigned(url: string, method: string, query: Record<string, string>, data: unknown, credentials = { ak: AK, sk: SK }) {
    const headers: Record<string, string> = { 'X-Project-Id': PROJECT, ...(data === undefined ? {} : { 'Content-Type': 'application/json' }) };
    return AKSKSigner.sign(
      { endpoint: url, method, headers, queryParams: query, data } as never,
      { getAk: () => credentials.ak, getSk: () => credentials.sk } as never,
    ) as Record<string, string>;
  }

  it('accepts requests signed by @huaweicloud/huaweicloud-sdk-core with the configured AK/SK (POST and a GET with a query)', async () => {
    const body = createBody('signed');
    const post = await fetch(base(sim), { method: 'POST', headers: sdkSigned(base(sim), 'POST', {}, body), body: JSON.stringify(body) });
    expect(post.status).toBe(200);
    const query = { limit: '100', offset: '0' };
    const get = await fetch(`${base(sim)}?limit=100&offset=0`, { headers: sdkSigned(base(sim), 'GET', query, undefined) });
    expect(get.status).toBe(200);
    expect(((await get.json()) as any).replications.map((r: any) => r.source_database)).toContain('signed');
  });

  it('refuses a tampered request: changed body, changed query, wrong secret key (401 APIGW.0301)', async () => {
    const body = createBody('tampered');
    const headers = sdkSigned(base(sim), 'POST', {}, body);
    const changedBody = await fetch(base(sim), { method: 'POST', headers, body: JSON.stringify(createBody('other')) });
    expect(changedBody.status).toBe(401);
    expect(await changedBody.json()).toEqual({ error_code: 'APIGW.0301', error_msg: expect.stringContaining('verify aksk signature fail') });
    const signedGet = sdkSigned(base(sim), 'GET', { limit: '100', offset: '0' }, undefined);
    expect((await fetch(`${base(sim)}?limit=100&offset=100`, { headers: signedGet })).status).toBe(401);
    const wrongKey = sdkSigned(base(sim), 'POST', {}, body, { ak: AK, sk: 'not-the-key' });
    expect((await fetch(base(sim), { method: 'POST', headers: wrongKey, body: JSON.stringify(body) })).status).toBe(401);
    expect(sim.replications.get(CH, 'tampered')).toBeUndefined();
    expect(sim.replications.get(CH, 'other')).toBeUndefined();
  });

  it('IAM: the password method gets a token in X-Subject-Token; a wrong password, a revoked token and another project are refused', async () => {
    const wrong = await iamToken(sim, 'guess');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: 401, title: 'Unauthorized', message: 'The username or password is wrong.' } });
    const ok = await iamToken(sim);
    expect(ok.status).toBe(201);
    const token = ok.headers.get('x-subject-token')!;
    expect(((await ok.json()) as any).token.expires_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((await call(base(sim), token)).status).toBe(200);
    expect((await call(`${sim.url}/v3/another0project/instances/${CH}/clickhouse/replication`, token)).status).toBe(401);
    await admin(sim, 'iam/revoke');
    expect(await call(base(sim), token)).toEqual({ status: 401, body: { error_code: 'APIGW.0301', error_msg: expect.stringContaining('revoked') } });
  });

  it('injects 5xx and 429 (with Retry-After) and counts every answered call per operation', async () => {
    const token = (await iamToken(sim)).headers.get('x-subject-token')!;
    await admin(sim, 'calls', undefined, 'DELETE');
    await admin(sim, 'faults', { errorRate: 1, errorStatus: 503, endpoints: ['list-replications'] });
    expect(await call(base(sim), token)).toEqual({ status: 503, body: { error_code: 'DBS.280000', error_msg: expect.any(String) } });
    await admin(sim, 'faults', { errorRate: 0, tooManyRequestsRate: 1 });
    const throttled = await fetch(base(sim), { headers: { 'X-Auth-Token': token } });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(((await throttled.json()) as any).error_code).toBe('APIGW.0308');
    await admin(sim, 'faults', undefined, 'DELETE');
    expect((await call(base(sim), token)).status).toBe(200);
    expect(await admin(sim, 'calls', undefined, 'GET')).toEqual({ 'list-replications': 3 });
  });
});

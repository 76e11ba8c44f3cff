import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderHttpError } from '../../../../controller/src/providers/http/errors.ts';
import { ClickHouseClient } from '../../../../controller/src/providers/huawei-clickhouse/client.ts';
import { startClickHouseSimulator, type RunningClickHouseSimulator } from '../../../../simulators/huawei-clickhouse/server.ts';

const AK = 'HPUACLICKHOUSEAK0002';
const SK = 'clickhouse-client-test-SK';
const PROJECT = '23a50154cf494ec9ad6883979a12db0a';
const CH = 'c0ffee00670e48e789af7075e1efea1fin16';
const SOURCE = 'f2c1a4e0b7d94c0c9a7b1e2d3c4b5a69in07';
const IAM_USER = { username: 'ops', password: 'Iam-Passw0rd!', domainName: 'acme' };

/** Fails the first `n` draws (the fault fires), then never. */
function failFirst(n: number): () => number {
  let draws = 0;
  return () => (draws++ < n ? 0 : 0.999);
}

describe('huawei-clickhouse client against the simulator', () => {
  let sim: RunningClickHouseSimulator;
  const clients: ClickHouseClient[] = [];
  const client = (auth: 'iam' | 'aksk' = 'iam', password = IAM_USER.password) => {
    const c = new ClickHouseClient({
      endpoint: sim.url,
      projectId: PROJECT,
      auth: auth === 'aksk' ? { kind: 'aksk', accessKey: AK, secretKey: SK } : { kind: 'token', iamEndpoint: sim.url, username: IAM_USER.username, password, domainName: IAM_USER.domainName },
      sleep: async () => {},
      retry: { maxAttempts: 4 },
    });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    sim = await startClickHouseSimulator({ credentials: { id: AK, key: SK }, pace: 'fast', iam: IAM_USER });
  });
  afterEach(async () => {
    sim.faults.reset();
    sim.calls.clear();
    sim.replications.clear();
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => sim.close());

  it('fetches an IAM token once, reuses it, and fetches a new one after a 401', async () => {
    const c = client();
    await c.createReplication(CH, { source_instance_id: SOURCE, source_database: 'orders' });
    for (let i = 0; i < 5; i += 1) await c.listReplications(CH);
    expect(sim.calls.get('iam-token')).toBe(1);
    sim.iam.revokeAll();
    const listed = await c.listReplications(CH);
    expect(listed.replications.map((r) => r.source_database)).toEqual(['orders']);
    expect(sim.calls.get('iam-token')).toBe(2);
    expect(sim.calls.get('list-replications')).toBe(7); // the refused call, then its repeat
    await c.listReplications(CH);
    expect(sim.calls.get('iam-token')).toBe(2);
  });

  it('a wrong IAM password is an auth failure (terminal), not retried', async () => {
    const error = await client('iam', 'Guessed-Passw0rd-42').listReplications(CH).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect((error as ProviderHttpError).kind).toBe('auth');
    // Named as the user's provider, not as DRS whose IAM code it shares.
    expect((error as ProviderHttpError).provider).toBe('huawei-clickhouse');
    expect((error as ProviderHttpError).retryable).toBe(false);
    expect((error as ProviderHttpError).message).toContain('The username or password is wrong');
    expect((error as ProviderHttpError).message).not.toContain('Guessed-Passw0rd-42');
    expect(sim.calls.get('iam-token')).toBe(1);
  });

  it('signs with AK/SK when given keys (the simulator recomputes the signature)', async () => {
    const c = client('aksk');
    await c.createReplication(CH, { source_instance_id: SOURCE, source_node_id: 'replica-1', source_database: 'signed' });
    expect((await c.getReplicationConfig(CH, 'signed'))?.source_node_id).toBe('replica-1');
    expect(sim.calls.get('iam-token')).toBeUndefined();
  });

  it('retries 5xx and 429 (Retry-After) on idempotent calls', async () => {
    // The simulator draws once per call: the first two calls fail.
    const flaky = await startClickHouseSimulator({ credentials: { id: AK, key: SK }, pace: 'fast', random: failFirst(2) });
    try {
      flaky.faults.update({ errorRate: 0.5, errorStatus: 503 });
      const onFlaky = new ClickHouseClient({ endpoint: flaky.url, projectId: PROJECT, auth: { kind: 'aksk', accessKey: AK, secretKey: SK }, sleep: async () => {} });
      clients.push(onFlaky);
      expect((await onFlaky.listReplications(CH)).replications).toEqual([]);
      expect(flaky.calls.get('list-replications')).toBe(3);
      const throttled = await startClickHouseSimulator({ credentials: { id: AK, key: SK }, pace: 'fast', random: failFirst(1) });
      try {
        throttled.faults.update({ tooManyRequestsRate: 0.5 });
        const sleeps: number[] = [];
        const onThrottled = new ClickHouseClient({ endpoint: throttled.url, projectId: PROJECT, auth: { kind: 'aksk', accessKey: AK, secretKey: SK }, sleep: async (ms) => void sleeps.push(ms) });
        clients.push(onThrottled);
        await onThrottled.deleteReplication(CH, 'nothing-here');
        expect(throttled.calls.get('delete-replication')).toBe(2);
        expect(sleeps[0]).toBeGreaterThanOrEqual(1000); // Retry-After: 1
      } finally {
        await throttled.close();
      }
    } finally {
      await flaky.close();
    }
  });

  it('never repeats a create answered 5xx (it may have started the task); a 429 create is repeated', async () => {
    const flaky = await startClickHouseSimulator({ credentials: { id: AK, key: SK }, pace: 'fast', random: failFirst(1) });
    try {
      flaky.faults.update({ errorRate: 0.5, errorStatus: 500 });
      const c = new ClickHouseClient({ endpoint: flaky.url, projectId: PROJECT, auth: { kind: 'aksk', accessKey: AK, secretKey: SK }, sleep: async () => {} });
      clients.push(c);
      const error = (await c.createReplication(CH, { source_instance_id: SOURCE, source_database: 'orders' }).catch((e: unknown) => e)) as ProviderHttpError;
      expect(error.kind).toBe('unavailable');
      expect(error.outcomeUnknown).toBe(true);
      expect(flaky.calls.get('create-replication')).toBe(1);
      // The injected 500 came before any work, but the client cannot know that: it does not repeat.
      expect(flaky.replications.get(CH, 'orders')).toBeUndefined();
    } finally {
      await flaky.close();
    }
    const throttled = await startClickHouseSimulator({ credentials: { id: AK, key: SK }, pace: 'fast', random: failFirst(1) });
    try {
      throttled.faults.update({ tooManyRequestsRate: 0.5 });
      const c = new ClickHouseClient({ endpoint: throttled.url, projectId: PROJECT, auth: { kind: 'aksk', accessKey: AK, secretKey: SK }, sleep: async () => {} });
      clients.push(c);
      expect((await c.createReplication(CH, { source_instance_id: SOURCE, source_database: 'orders' })).jobId).toMatch(/^[0-9a-f-]{36}$/);
      expect(throttled.calls.get('create-replication')).toBe(2);
    } finally {
      await throttled.close();
    }
  });

  it('lists every page of an instance (100 per call) and maps gone and existing tasks', async () => {
    const c = client('aksk');
    for (let i = 0; i < 250; i += 1) sim.replications.create(CH, { sourceInstanceId: SOURCE, database: `db${String(i).padStart(3, '0')}` });
    const listed = await c.listReplications(CH);
    expect(listed.pages).toBe(3);
    expect(listed.replications).toHaveLength(250);
    expect(new Set(listed.replications.map((r) => r.source_database)).size).toBe(250);
    expect(sim.calls.get('list-replications')).toBe(3);
    expect(await c.deleteReplication(CH, 'missing')).toBe('gone');
    expect(await c.getReplicationConfig(CH, 'missing')).toBeUndefined();
    const exists = (await c.createReplication(CH, { source_instance_id: SOURCE, source_database: 'db000' }).catch((e: unknown) => e)) as ProviderHttpError;
    expect(exists).toMatchObject({ kind: 'conflict', code: 'DBS.280201', status: 400 });
    // A task still being set up (stage wait) refuses deletion; keep db001 there.
    sim.replications.patch(CH, 'db001', { stage: 'wait', hold: true });
    const busy = (await c.deleteReplication(CH, 'db001').catch((e: unknown) => e)) as ProviderHttpError;
    expect(busy).toMatchObject({ kind: 'busy', code: 'DBS.280203' });
    expect(sim.calls.get('delete-replication')).toBe(5); // busy is retried (4 attempts) before giving up
  });

  it('runs both checks with the reference request shapes', async () => {
    const c = client('aksk');
    sim.checks.setTables('orders', ['orders']);
    const body = { source_instance_id: SOURCE, source_database_name: 'orders', db_configs: [], table_repl_config: { repl_type: 'black_list' as const, tables: [] } };
    expect((await c.checkDatabase(CH, body)).db_config_check_results?.length).toBeGreaterThan(0);
    expect((await c.checkTables(CH, { ...body, tables_configs: [] })).table_config_check_results).toEqual([{ table_name: 'orders', table_config: '', check_result: 'success' }]);
  });
});

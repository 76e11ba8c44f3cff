import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonHttpClient } from '../../../../controller/src/providers/http/http-client.ts';
import { ProviderHttpError } from '../../../../controller/src/providers/http/errors.ts';
import type { RequestMetric } from '../../../../controller/src/providers/http/metrics.ts';
import { sendJson, startLocalServer, type LocalServer } from '../local-server.ts';

const SECRET = 'super-secret-password-123';

describe('JsonHttpClient', () => {
  let server: LocalServer;
  let client: JsonHttpClient;
  let metrics: RequestMetric[];

  beforeEach(async () => {
    server = await startLocalServer();
    metrics = [];
  });
  afterEach(async () => {
    await client?.close();
    await server.close();
  });

  it('sends JSON, signs the exact bytes, and parses the JSON answer', async () => {
    server.handle((_req, res) => sendJson(res, 202, { results: [{ id: 'j1', status: 'success' }], count: 1 }));
    const seen: { body: string; headers: Record<string, string> }[] = [];
    client = new JsonHttpClient({
      provider: 'test',
      onRequest: (m) => metrics.push(m),
      sign: (req) => {
        seen.push({ body: req.body, headers: req.headers });
        return { authorization: `sig-of-${req.body.length}` };
      },
    });
    const res = await client.send({ operation: 'batch-status', method: 'POST', url: `${server.origin}/v3/p/jobs/batch-status`, json: { jobs: ['j1'] } });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ results: [{ id: 'j1', status: 'success' }], count: 1 });
    expect(res.headers['content-type']).toBe('application/json');
    const received = server.requests[0]!;
    expect(received.body).toBe('{"jobs":["j1"]}');
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.headers.authorization).toBe('sig-of-15');
    expect(seen[0]!.body).toBe(received.body);
    expect(metrics).toEqual([{ provider: 'test', operation: 'batch-status', outcome: 'success', seconds: expect.any(Number) }]);
  });

  it('sends a body with DELETE', async () => {
    server.handle((_req, res) => sendJson(res, 202, { count: 0, results: [] }));
    client = new JsonHttpClient({ provider: 'test' });
    await client.send({ operation: 'batch-jobs', method: 'DELETE', url: `${server.origin}/v3/p/jobs/batch-jobs`, json: { jobs: [{ job_id: 'x', delete_type: 'delete' }] } });
    expect(server.requests[0]).toMatchObject({ method: 'DELETE', body: '{"jobs":[{"job_id":"x","delete_type":"delete"}]}' });
  });

  it('resolves error statuses (the caller reads provider error bodies) and counts them', async () => {
    server.handle((_req, res) => sendJson(res, 429, { error_code: 'APIGW.0308', error_msg: 'throttled' }, { 'retry-after': '1' }));
    client = new JsonHttpClient({ provider: 'test', onRequest: (m) => metrics.push(m) });
    const res = await client.send({ operation: 'op', method: 'POST', url: `${server.origin}/x`, json: {} });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(metrics[0]!.outcome).toBe('throttled');
  });

  it('keeps connections alive across calls', async () => {
    server.handle((_req, res) => sendJson(res, 200, {}));
    client = new JsonHttpClient({ provider: 'test', connections: 1 });
    const sockets = new Set<unknown>();
    server.handle((_req, res, raw) => {
      sockets.add(raw.socket);
      sendJson(res, 200, {});
    });
    for (let i = 0; i < 3; i += 1) await client.send({ operation: 'op', method: 'POST', url: `${server.origin}/x`, json: {} });
    expect(sockets.size).toBe(1);
  });

  it('times out a call that gets no answer, without leaking the request into the error', async () => {
    server.handle(() => {
      /* never answers */
    });
    client = new JsonHttpClient({ provider: 'test', timeoutMs: 150, onRequest: (m) => metrics.push(m) });
    const error = await client
      .send({ operation: 'batch-creation', method: 'POST', url: `${server.origin}/x`, json: { db_password: SECRET }, headers: { 'X-Auth-Token': SECRET } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderHttpError);
    const failure = error as ProviderHttpError;
    expect(failure.kind).toBe('timeout');
    expect(failure.outcomeUnknown).toBe(true);
    expect(failure.retryable).toBe(true);
    expect(failure.message).toContain('test batch-creation failed');
    expect(failure.message).not.toContain(SECRET);
    expect(JSON.stringify(failure)).not.toContain(SECRET);
    expect(metrics[0]!.outcome).toBe('timeout');
  });

  it('reports a refused connection as unavailable and known not to have been sent', async () => {
    const port = await freePort();
    client = new JsonHttpClient({ provider: 'test', timeoutMs: 2000 });
    const error = (await client.send({ operation: 'op', method: 'POST', url: `http://127.0.0.1:${port}/x`, json: {} }).catch((e: unknown) => e)) as ProviderHttpError;
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(error.kind).toBe('unavailable');
    expect(error.outcomeUnknown).toBe(false);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('lets a caller abort a call, rethrowing its reason', async () => {
    server.handle(() => {});
    client = new JsonHttpClient({ provider: 'test', timeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = client.send({ operation: 'op', method: 'POST', url: `${server.origin}/x`, json: {}, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutting down')), 20);
    await expect(pending).rejects.toThrow('shutting down');
  });

  it('refuses an oversized response', async () => {
    server.handle((_req, res) => sendJson(res, 200, { data: 'x'.repeat(5000) }));
    client = new JsonHttpClient({ provider: 'test', maxResponseBytes: 1000 });
    await expect(client.send({ operation: 'op', method: 'GET', url: `${server.origin}/x` })).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('records a signer failure and rethrows it without sending', async () => {
    client = new JsonHttpClient({
      provider: 'test',
      onRequest: (m) => metrics.push(m),
      sign: () => {
        throw new ProviderHttpError({ provider: 'test', operation: 'iam-token', kind: 'auth', status: 401 });
      },
    });
    await expect(client.send({ operation: 'op', method: 'POST', url: `${server.origin}/x`, json: {} })).rejects.toMatchObject({ kind: 'auth' });
    expect(server.requests).toHaveLength(0);
    expect(metrics[0]!.outcome).toBe('error');
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

// Fault injection (real Status bodies), latency and request counters.
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../support/kube-apiserver/index.ts';
import { GROUP, startServer, statusOf, widget, widgets } from './helpers.ts';

let server: KubeApiServer;
let w: ReturnType<typeof widgets>;

beforeAll(async () => {
  server = await startServer();
  w = widgets(server.kubeConfig());
  await w.create(widget('f-1'));
});
afterAll(() => server.close());
beforeEach(() => {
  server.faults.clearErrors();
  server.faults.setLatency(0);
  server.faults.resetCounts();
});

describe('injectError', () => {
  it('answers a 409 Conflict for the targeted object, then lets requests through', async () => {
    const injected = server.faults.injectError({ method: 'PATCH', pathPattern: /\/widgets\/f-1$/, status: 409 });
    const { code, body } = await statusOf(w.merge('f-1', { spec: { size: 2 } }));
    expect(code).toBe(409);
    expect(body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Operation cannot be fulfilled on widgets.test.example.io "f-1": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: { name: 'f-1', group: GROUP, kind: 'widgets' },
      code: 409,
    });
    expect(injected.remaining).toBe(0);
    expect(injected.hits).toBe(1);
    expect((await w.merge('f-1', { spec: { size: 2 } })).spec.size).toBe(2);
  });

  it('answers 500 InternalError', async () => {
    server.faults.injectError({ verb: 'get', status: 500, message: 'etcdserver: request timed out' });
    const { code, body } = await statusOf(w.get('f-1'));
    expect(code).toBe(500);
    expect(body).toMatchObject({
      reason: 'InternalError',
      message: 'Internal error occurred: etcdserver: request timed out',
      details: { causes: [{ message: 'etcdserver: request timed out' }] },
    });
  });

  it('answers 429 TooManyRequests with Retry-After', async () => {
    server.faults.injectError({ verb: 'list', status: 429, retryAfterSeconds: 3, count: 2 });
    const response = await fetch(`${server.url}/apis/test.example.io/v1/namespaces/default/widgets`);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: 3 }, code: 429 });
    const second = await statusOf(w.list());
    expect(second.code).toBe(429);
    expect((await w.list()).kind).toBe('WidgetList');
  });

  it('can fail every matching request until cancelled', async () => {
    const core = server.kubeConfig().makeApiClient(CoreV1Api);
    const injected = server.faults.injectError({ pathPattern: /\/configmaps/, status: 503, count: Infinity });
    for (let i = 0; i < 3; i++) expect((await statusOf(core.listNamespacedConfigMap({ namespace: 'default' }))).code).toBe(503);
    injected.cancel();
    expect((await core.listNamespacedConfigMap({ namespace: 'default' })).items).toBeDefined();
  });
});

describe('latency', () => {
  it('delays every response', async () => {
    server.faults.setLatency(120);
    const started = Date.now();
    await w.get('f-1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });
});

describe('request counters', () => {
  it('counts by verb and resource, including subresources and failures', async () => {
    await w.get('f-1');
    await w.list();
    await w.list({ labelSelector: 'x' });
    await w.mergeStatus('f-1', { status: { message: 'hi' } });
    await statusOf(w.get('absent'));
    expect(server.faults.count({ verb: 'get', resource: 'widgets' })).toBe(2);
    expect(server.faults.count({ verb: 'list', resource: 'widgets.test.example.io' })).toBe(2);
    expect(server.faults.count({ verb: 'patch', resource: 'widgets/status' })).toBe(1);
    expect(server.faults.counts()).toEqual({
      'get widgets.test.example.io': 2,
      'list widgets.test.example.io': 2,
      'patch widgets.test.example.io/status': 1,
    });
    expect(server.faults.requests.at(-1)).toMatchObject({ method: 'GET', verb: 'get', name: 'absent', status: 404 });
  });
});

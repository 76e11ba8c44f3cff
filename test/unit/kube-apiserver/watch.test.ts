// Watch semantics through client-node's Watch and informer (ListWatch):
// event order, initial ADDED events, bookmarks, timeouts, 410 Expired after
// compaction and how the informer recovers, dropped streams, selector
// transitions, and the Table form kubectl asks for.
import { makeInformer, type KubernetesObject, type KubernetesListObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../support/kube-apiserver/index.ts';
import { eventually, startServer, watchUntil, widget, widgets, type Obj, type WatchEvent } from './helpers.ts';

const PATH = '/apis/test.example.io/v1/namespaces/default/widgets';

let server: KubeApiServer;
let w: ReturnType<typeof widgets>;

beforeAll(async () => {
  server = await startServer({ bookmarkIntervalMs: 50 });
  w = widgets(server.kubeConfig());
});
afterAll(() => server.close());

const types = (events: WatchEvent[], name?: string) =>
  events.filter((e) => !name || e.object.metadata?.name === name).map((e) => e.type);

describe('watch', () => {
  it('streams ADDED, MODIFIED, DELETED after the given resourceVersion', async () => {
    const rv = String(server.store.resourceVersion);
    const events = await watchUntil(
      server.kubeConfig(),
      PATH,
      { resourceVersion: rv },
      (evs) => types(evs, 'wa').includes('DELETED'),
      async () => {
        await w.create(widget('wa'));
        await w.merge('wa', { spec: { size: 4 } });
        await w.delete('wa');
      },
    );
    expect(types(events, 'wa')).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
    expect(events[2]?.object.spec.size).toBe(4);
  });

  it('replays retained history for a past resourceVersion', async () => {
    const rv = String(server.store.resourceVersion);
    await w.create(widget('wb'));
    await w.merge('wb', { spec: { size: 2 } });
    const events = await watchUntil(server.kubeConfig(), PATH, { resourceVersion: rv }, (evs) => types(evs, 'wb').length === 2);
    expect(types(events, 'wb')).toEqual(['ADDED', 'MODIFIED']);
  });

  it('starts with synthetic ADDED events when resourceVersion is unset or "0"', async () => {
    await w.create(widget('wc'));
    for (const query of [{}, { resourceVersion: '0' }] as Record<string, string>[]) {
      const events = await watchUntil(server.kubeConfig(), PATH, query, (evs) => types(evs, 'wc').length > 0);
      expect(types(events, 'wc')).toEqual(['ADDED']);
    }
  });

  it('sends bookmarks carrying only the resourceVersion when allowed', async () => {
    const events = await watchUntil(
      server.kubeConfig(),
      PATH,
      { resourceVersion: String(server.store.resourceVersion), allowWatchBookmarks: true },
      (evs) => evs.some((e) => e.type === 'BOOKMARK'),
    );
    const bookmark = events.find((e) => e.type === 'BOOKMARK') as WatchEvent;
    expect(bookmark.object).toEqual({
      kind: 'Widget',
      apiVersion: 'test.example.io/v1',
      metadata: { resourceVersion: String(server.store.resourceVersion) },
    });
  });

  it('ends the initial events with an annotated bookmark for sendInitialEvents', async () => {
    await w.create(widget('wd'));
    const events = await watchUntil(
      server.kubeConfig(),
      PATH,
      { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true },
      (evs) => evs.some((e) => e.type === 'BOOKMARK'),
    );
    const bookmark = events.find((e) => e.type === 'BOOKMARK') as WatchEvent;
    expect(bookmark.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    expect(types(events, 'wd')).toEqual(['ADDED']);
  });

  it('closes the stream after timeoutSeconds', async () => {
    const started = Date.now();
    const closed = await new Promise<unknown>((resolve) => {
      void (async () => {
        const { Watch } = await import('@kubernetes/client-node');
        await new Watch(server.kubeConfig()).watch(PATH, { timeoutSeconds: 1, resourceVersion: String(server.store.resourceVersion) }, () => {}, resolve);
      })();
    });
    expect(closed).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('answers a too-old resourceVersion with HTTP 200 and one ERROR event (410 Expired)', async () => {
    await w.create(widget('we'));
    const old = String(server.store.resourceVersion - 1);
    server.faults.compactHistory();
    const response = await fetch(`${server.url}${PATH}?watch=true&resourceVersion=${old}`);
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split('\n').map((l) => JSON.parse(l) as Obj);
    expect(lines).toEqual([
      {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${old} (${server.store.resourceVersion})`,
          reason: 'Expired',
          code: 410,
        },
      },
    ]);
  });

  it('turns selector transitions into ADDED/DELETED, like the watch cache', async () => {
    await w.create(widget('wf', undefined, { labels: { watched: 'no' } }));
    const events = await watchUntil(
      server.kubeConfig(),
      PATH,
      { resourceVersion: String(server.store.resourceVersion), labelSelector: 'watched=yes' },
      (evs) => evs.length >= 3,
      async () => {
        await w.merge('wf', { metadata: { labels: { watched: 'yes' } } });
        await w.merge('wf', { spec: { size: 5 } });
        await w.merge('wf', { metadata: { labels: { watched: 'no' } } });
      },
    );
    expect(types(events)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('watches one object with a metadata.name field selector', async () => {
    await w.create(widget('wg1'));
    await w.create(widget('wg2'));
    const events = await watchUntil(
      server.kubeConfig(),
      PATH,
      { resourceVersion: String(server.store.resourceVersion), fieldSelector: 'metadata.name=wg2' },
      (evs) => evs.length >= 1,
      async () => {
        await w.merge('wg1', { spec: { size: 2 } });
        await w.merge('wg2', { spec: { size: 2 } });
      },
    );
    expect(events.map((e) => e.object.metadata.name)).toEqual(['wg2']);
  });

  it('streams one-row Tables (headers only first) for Accept: as=Table', async () => {
    await w.create(widget('wh', { type: 'square', size: 60 }));
    const controller = new AbortController();
    const response = await fetch(`${server.url}${PATH}?watch=true&fieldSelector=metadata.name%3Dwh`, {
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const next = async () => {
      while (!text.includes('\n')) {
        const chunk = await reader.read();
        text += new TextDecoder().decode(chunk.value);
      }
      const [line, ...rest] = text.split('\n');
      text = rest.join('\n');
      return JSON.parse(line as string) as Obj;
    };
    const first = await next();
    await w.merge('wh', { spec: { size: 61 } });
    const second = await next();
    controller.abort();
    expect(first.type).toBe('ADDED');
    expect(first.object.kind).toBe('Table');
    expect(first.object.columnDefinitions.map((c: Obj) => c.name)).toEqual(['Name', 'Type', 'Size', 'Ready', 'Age']);
    expect(first.object.rows).toHaveLength(1);
    expect(first.object.rows[0].cells.slice(0, 4)).toEqual(['wh', 'square', 60, null]);
    expect(first.object.rows[0].object.kind).toBe('PartialObjectMetadata');
    expect(second.type).toBe('MODIFIED');
    expect(second.object.columnDefinitions).toBeNull();
    expect(second.object.rows[0].cells[2]).toBe(61);
  });
});

describe('client-node informer (ListWatch)', () => {
  function startInformer(labelSelector: string) {
    const kc = server.kubeConfig();
    const api = widgets(kc);
    const informer = makeInformer<KubernetesObject>(
      kc,
      PATH,
      () => api.list({ labelSelector }) as Promise<KubernetesListObject<KubernetesObject>>,
      labelSelector,
    );
    const seen: string[] = [];
    const errors: unknown[] = [];
    informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update ${o.metadata?.name}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
    informer.on('error', (err) => errors.push(err));
    return { informer, seen, errors };
  }

  it('relists after 410 Expired and converges on the current state', async () => {
    await w.create(widget('inf-a', undefined, { labels: { inf: '410' } }));
    const { informer, seen, errors } = startInformer('inf=410');
    await informer.start();
    await eventually(() => seen.includes('add inf-a'));
    await informer.stop();

    // While it is away: one object appears, one goes, and history is forgotten.
    await w.create(widget('inf-b', undefined, { labels: { inf: '410' } }));
    await w.delete('inf-a');
    server.faults.compactHistory();
    const listsBefore = server.faults.count({ verb: 'list', resource: 'widgets' });

    await informer.start();
    await eventually(() => seen.includes('add inf-b') && seen.includes('delete inf-a'));
    expect(server.faults.count({ verb: 'list', resource: 'widgets' })).toBe(listsBefore + 1);
    expect(informer.list().map((o) => o.metadata?.name)).toEqual(['inf-b']);
    // client-node reports its own stop() (an aborted fetch) as an error; nothing else went wrong.
    expect(errors.map((e) => (e as Error).name)).toEqual(['AbortError']);
    await informer.stop();
  });

  it('re-watches from its last resourceVersion (no relist) when streams are closed cleanly', async () => {
    const { informer, seen, errors } = startInformer('inf=close');
    await informer.start();
    await eventually(() => server.openWatches > 0);
    const lists = server.faults.count({ verb: 'list', resource: 'widgets' });
    expect(server.faults.dropWatches('close')).toBeGreaterThan(0);
    await w.create(widget('inf-c', undefined, { labels: { inf: 'close' } }));
    await eventually(() => seen.includes('add inf-c'));
    expect(server.faults.count({ verb: 'list', resource: 'widgets' })).toBe(lists);
    expect(errors).toEqual([]);
    await informer.stop();
  });

  it('reports an error and stops when a stream is reset mid-flight; start() recovers it', async () => {
    // client-node's ListWatch only restarts itself after clean ends, 410s and
    // client-side timeouts; any other failure goes to 'error' handlers and the
    // informer stays stopped until the caller starts it again.
    const { informer, seen, errors } = startInformer('inf=reset');
    await informer.start();
    await eventually(() => server.openWatches > 0);
    server.faults.dropWatches('reset');
    await eventually(() => errors.length === 1);
    await w.create(widget('inf-d', undefined, { labels: { inf: 'reset' } }));
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).not.toContain('add inf-d');

    await informer.start();
    await eventually(() => seen.includes('add inf-d'));
    await informer.stop();
  });
});

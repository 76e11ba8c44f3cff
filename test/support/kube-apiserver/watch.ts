// Watch streams, as the watch cache serves them: newline-delimited JSON
// {"type","object"} over a chunked 200 response. Without a resourceVersion (or
// with "0") the stream starts with ADDED events for the current objects; with
// resourceVersion N it replays retained history after N, or sends a single
// ERROR event carrying a 410 Expired Status when N is older than the history
// (clients relist on that). Selector transitions turn into ADDED/DELETED like
// the cacher's convertToWatchEvent, bookmarks go out periodically when asked
// for, timeoutSeconds ends the stream cleanly.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { present } from './objects.ts';
import { groupVersion, type ResourceType } from './resource-types.ts';
import type { FieldSelector, LabelSelector } from './selectors.ts';
import { resourceExpired } from './status.ts';
import type { KubeObject, ObjectStore, StoreEvent } from './store.ts';
import { toTable, type TableOptions } from './table.ts';

export interface WatchRequest {
  rt: ResourceType;
  version: string;
  /** Only objects in this namespace; undefined watches all namespaces. */
  namespace: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
  resourceVersion: string | undefined;
  sendInitialEvents: boolean;
  allowWatchBookmarks: boolean;
  timeoutSeconds: number | undefined;
  /** Set when the client asked for meta.k8s.io Table objects. */
  table: TableOptions | undefined;
}

export type DropMode = 'close' | 'reset';

interface ActiveWatch {
  storageKey: string;
  res: ServerResponse;
  stop(mode: DropMode): void;
}

export class WatchHub {
  private readonly store: ObjectStore;
  private readonly bookmarkIntervalMs: number;
  private readonly active = new Set<ActiveWatch>();

  constructor(store: ObjectStore, bookmarkIntervalMs: number) {
    this.store = store;
    this.bookmarkIntervalMs = bookmarkIntervalMs;
  }

  get count(): number {
    return this.active.size;
  }

  /** Ends every open watch: `close` finishes the chunked response, `reset` destroys the socket mid-stream. */
  dropAll(mode: DropMode = 'reset'): number {
    const all = [...this.active];
    for (const w of all) w.stop(mode);
    return all.length;
  }

  /** Closes the watches of one resource (its CRD was deleted). */
  closeResource(storageKey: string): void {
    for (const w of [...this.active]) if (w.storageKey === storageKey) w.stop('close');
  }

  serve(req: IncomingMessage, res: ServerResponse, w: WatchRequest): void {
    const { rt, version } = w;
    const fromStorage = (obj: KubeObject) => present(rt, rt.fromStorage(obj, version));
    const inScope = (obj: KubeObject) => w.namespace === undefined || (obj.metadata?.namespace ?? '') === w.namespace;
    const matches = (obj: KubeObject) => inScope(obj) && w.labels.matches(obj.metadata?.labels) && w.fields.matches(rt.fieldsOf(obj));
    let headersSent = false;

    const write = (type: string, object: unknown) => {
      if (res.writableEnded || res.destroyed) return;
      res.write(`${JSON.stringify({ type, object })}\n`);
    };
    const emit = (type: string, obj: KubeObject) => {
      if (!w.table) return write(type, obj);
      const table = toTable(rt.table(version), [obj], { ...w.table, noHeaders: w.table.noHeaders || headersSent }, {
        resourceVersion: obj.metadata?.resourceVersion,
      });
      headersSent = true;
      write(type, table);
    };
    const bookmark = (resourceVersion: number, annotations?: Record<string, string>) => {
      const metadata: KubeObject = { resourceVersion: String(resourceVersion) };
      if (!rt.custom) metadata.creationTimestamp = null;
      if (annotations) metadata.annotations = annotations;
      if (w.table) {
        write('BOOKMARK', { kind: 'Table', apiVersion: w.table.apiVersion, metadata: { resourceVersion: String(resourceVersion) }, columnDefinitions: null, rows: [] });
      } else {
        write('BOOKMARK', { kind: rt.kind, apiVersion: groupVersion(rt.group, version), metadata });
      }
    };
    const deliver = (event: StoreEvent) => {
      if (event.storageKey !== rt.storageKey) return;
      const current = fromStorage(event.object);
      const previous = event.previous ? fromStorage(event.previous) : undefined;
      const curPasses = event.type !== 'DELETED' && matches(current);
      const oldPasses = event.type === 'DELETED' ? matches(current) : previous !== undefined && matches(previous);
      if (curPasses && !oldPasses) emit('ADDED', current);
      else if (curPasses && oldPasses) emit('MODIFIED', current);
      else if (!curPasses && oldPasses) {
        const gone = event.type === 'DELETED' ? current : (previous as KubeObject);
        gone.metadata = { ...gone.metadata, resourceVersion: String(event.resourceVersion) };
        emit('DELETED', present(rt, gone));
      }
    };

    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();

    const requested = w.resourceVersion;
    const fromNow = w.sendInitialEvents || !requested || requested === '0';
    let replay: StoreEvent[] = [];
    if (!fromNow) {
      const events = this.store.eventsAfter(Number(requested));
      if (!events) {
        write('ERROR', resourceExpired(`too old resource version: ${requested} (${this.store.oldestWatchableResourceVersion})`));
        res.end();
        return;
      }
      replay = events;
    }

    const startRV = this.store.resourceVersion;
    const initial = fromNow ? this.store.list(rt.storageKey).map(fromStorage).filter(matches) : [];
    const unsubscribe = this.store.subscribe(deliver);
    const timers: NodeJS.Timeout[] = [];
    const entry: ActiveWatch = {
      storageKey: rt.storageKey,
      res,
      stop: (mode) => {
        cleanup();
        if (mode === 'reset') res.socket?.destroy();
        else if (!res.writableEnded) res.end();
      },
    };
    const cleanup = () => {
      unsubscribe();
      for (const t of timers) clearTimeout(t);
      this.active.delete(entry);
    };
    this.active.add(entry);
    res.on('close', cleanup);
    req.on('close', cleanup);

    for (const obj of initial) emit('ADDED', obj);
    if (w.sendInitialEvents && w.allowWatchBookmarks) bookmark(startRV, { 'k8s.io/initial-events-end': 'true' });
    for (const event of replay) deliver(event);

    if (w.allowWatchBookmarks && this.bookmarkIntervalMs > 0) {
      const interval = setInterval(() => bookmark(this.store.resourceVersion), this.bookmarkIntervalMs);
      interval.unref();
      timers.push(interval);
    }
    if (w.timeoutSeconds !== undefined && w.timeoutSeconds > 0) {
      const timeout = setTimeout(() => entry.stop('close'), w.timeoutSeconds * 1000);
      timeout.unref();
      timers.push(timeout);
    }
  }
}

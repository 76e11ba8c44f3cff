import type { KubeConfig } from '@kubernetes/client-node';
import { Watch } from '@kubernetes/client-node';
import { apiMessage, httpStatusOf } from './kube-errors.ts';

/**
 * A list+watch cache for one resource, supervised: client-node's ListWatch stops on any error
 * other than 410 and ignores bookmarks, so this reflector owns the loop instead.
 * - relists on 410 Gone and on every error, after a jittered exponential backoff;
 * - relists every `resyncPeriodMs` and replays every object to handlers (a safety net for
 *   anything missed);
 * - a watchdog aborts a watch that saw no event and no bookmark for `watchdogMs` (hung
 *   connections), which forces a reconnect;
 * - handlers are called synchronously and never allowed to throw into the loop.
 */
/** The little an informer needs to know about an object (custom objects carry timestamps as strings). */
export interface KubeObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

export interface InformerHandlers<T> {
  add?(obj: T): void;
  update?(obj: T, old: T): void;
  delete?(obj: T): void;
  /** Periodic resync: called for every cached object. */
  resync?(obj: T): void;
}

export interface InformerHealth {
  resource: string;
  synced: boolean;
  lastEventAt: number;
  restarts: number;
  connected: boolean;
}

export interface InformerOptions<T extends KubeObject> {
  /** Label for logs and metrics, e.g. "replicationjobs". */
  resource: string;
  kubeConfig: KubeConfig;
  /** Collection path, e.g. /apis/replication.drs-operator.io/v1alpha1/replicationjobs. */
  path: string;
  list: () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>;
  labelSelector?: string;
  fieldSelector?: string;
  resyncPeriodMs?: number;
  watchdogMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  /** How often the supervisor checks for silence and a due relist. Default: a quarter of the shorter period, 1-30 s. */
  checkIntervalMs?: number;
  /** Server-side watch timeout range; each watch picks one at random, as client-go does. */
  watchTimeoutSeconds?: [number, number];
  random?: () => number;
  now?: () => number;
  log?: { warn(obj: object, msg: string): void; debug(obj: object, msg: string): void };
  onRestart?: (resource: string) => void;
  onEvent?: (resource: string) => void;
}

export class Informer<T extends KubeObject> {
  readonly #o: Required<Omit<InformerOptions<T>, 'labelSelector' | 'fieldSelector' | 'log' | 'onRestart' | 'onEvent' | 'checkIntervalMs'>> & InformerOptions<T>;
  readonly #cache = new Map<string, T>();
  readonly #handlers: InformerHandlers<T>[] = [];
  readonly #watch: Watch;
  #resourceVersion = '';
  #stopped = true;
  #synced = false;
  #connected = false;
  #restarts = 0;
  #failures = 0;
  #lastEventAt = 0;
  #lastListAt = 0;
  #abortWatch: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  #syncedWaiters: (() => void)[] = [];

  constructor(options: InformerOptions<T>) {
    this.#o = {
      resyncPeriodMs: 10 * 60_000,
      watchdogMs: 5 * 60_000,
      backoff: { baseMs: 500, maxMs: 30_000 },
      watchTimeoutSeconds: [300, 600],
      random: Math.random,
      now: Date.now,
      ...options,
    };
    this.#watch = new Watch(options.kubeConfig);
    // Bookmarks arrive about once a minute; the default 30 s inactivity timeout would cut
    // healthy watches. The watchdog below is the guard against hung connections instead.
    (this.#watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = Math.max(this.#o.watchdogMs, 60_000) + 30_000;
  }

  on(handlers: InformerHandlers<T>): void {
    this.#handlers.push(handlers);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.#cache.get(cacheKey(namespace, name));
  }

  list(): T[] {
    return [...this.#cache.values()];
  }

  health(): InformerHealth {
    return { resource: this.#o.resource, synced: this.#synced, lastEventAt: this.#lastEventAt, restarts: this.#restarts, connected: this.#connected };
  }

  /** Start the loop; resolves once the first list has filled the cache. */
  async start(): Promise<void> {
    if (!this.#stopped) return this.waitForSync();
    this.#stopped = false;
    this.#loop = this.#run();
    const every = this.#o.checkIntervalMs ?? Math.max(1000, Math.min(this.#o.watchdogMs / 4, this.#o.resyncPeriodMs / 4, 30_000));
    this.#watchdog = setInterval(() => this.#supervise(), every);
    this.#watchdog.unref();
    return this.waitForSync();
  }

  waitForSync(): Promise<void> {
    if (this.#synced) return Promise.resolve();
    return new Promise((resolve) => this.#syncedWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.#abortWatch?.();
    this.#wake?.();
    await this.#loop;
  }

  /** Drop the current watch and relist (used by tests and after leadership changes). */
  restart(): void {
    this.#resourceVersion = '';
    this.#abortWatch?.();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        const resyncDue = this.#o.now() - this.#lastListAt >= this.#o.resyncPeriodMs;
        if (!this.#resourceVersion || resyncDue) await this.#relist(resyncDue && this.#synced);
        await this.#watchOnce();
        this.#failures = 0;
      } catch (error) {
        if (this.#stopped) break;
        this.#restarts++;
        this.#failures++;
        this.#resourceVersion = '';
        this.#o.onRestart?.(this.#o.resource);
        const delay = this.#backoffMs();
        this.#o.log?.warn({ resource: this.#o.resource, error: apiMessage(error), retryInMs: delay }, 'watch failed; relisting after backoff');
        await this.#sleep(delay);
      }
    }
    this.#connected = false;
  }

  async #relist(replay: boolean): Promise<void> {
    const list = await this.#o.list();
    const seen = new Set<string>();
    for (const obj of list.items) {
      const key = keyOf(obj);
      seen.add(key);
      const old = this.#cache.get(key);
      this.#cache.set(key, obj);
      if (!old) this.#emit((h) => h.add?.(obj));
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.#emit((h) => h.update?.(obj, old));
      else if (replay) this.#emit((h) => h.resync?.(obj));
    }
    for (const [key, old] of this.#cache) {
      if (!seen.has(key)) {
        this.#cache.delete(key);
        this.#emit((h) => h.delete?.(old));
      }
    }
    this.#resourceVersion = list.metadata?.resourceVersion ?? '';
    this.#lastListAt = this.#o.now();
    this.#lastEventAt = this.#o.now();
    if (!this.#synced) {
      this.#synced = true;
      for (const resolve of this.#syncedWaiters.splice(0)) resolve();
    }
  }

  /** One watch connection, until the server ends it, an error, the watchdog, or stop(). */
  #watchOnce(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const [min, max] = this.#o.watchTimeoutSeconds;
      const query: Record<string, string | number | boolean> = {
        resourceVersion: this.#resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: Math.floor(min + this.#o.random() * (max - min)),
      };
      if (this.#o.labelSelector) query.labelSelector = this.#o.labelSelector;
      if (this.#o.fieldSelector) query.fieldSelector = this.#o.fieldSelector;
      let gone = false;
      const onEvent = (type: string, obj: T & { code?: number }) => {
        this.#lastEventAt = this.#o.now();
        this.#o.onEvent?.(this.#o.resource);
        if (type === 'ERROR') {
          if (obj.code === 410) gone = true;
          else reject(Object.assign(new Error(`watch error: ${JSON.stringify(obj)}`), { code: obj.code }));
          this.#abortWatch?.();
          return;
        }
        const rv = obj.metadata?.resourceVersion;
        if (rv) this.#resourceVersion = rv;
        if (type === 'BOOKMARK') return;
        const key = keyOf(obj);
        const old = this.#cache.get(key);
        if (type === 'DELETED') {
          this.#cache.delete(key);
          this.#emit((h) => h.delete?.(old ?? obj));
          return;
        }
        this.#cache.set(key, obj);
        if (!old) this.#emit((h) => h.add?.(obj));
        else this.#emit((h) => h.update?.(obj, old));
      };
      const onDone = (error: unknown) => {
        this.#connected = false;
        this.#abortWatch = undefined;
        if (gone || httpStatusOf(error) === 410) {
          this.#resourceVersion = '';
          resolve();
        } else if (error && !(error instanceof Error && error.name === 'AbortError') && !this.#stopped && !isTimeout(error)) {
          reject(error);
        } else {
          resolve();
        }
      };
      this.#watch
        .watch(this.#o.path, query, onEvent as (type: string, obj: unknown) => void, onDone)
        .then((controller) => {
          if (this.#stopped) controller.abort();
          this.#connected = true;
          this.#abortWatch = () => controller.abort();
        })
        .catch(reject);
    });
  }

  /** Watchdog for silent watches, and the clock for periodic relists (which end the current watch). */
  #supervise(): void {
    if (!this.#connected) return;
    if (this.#o.now() - this.#lastListAt >= this.#o.resyncPeriodMs) {
      this.#o.log?.debug({ resource: this.#o.resource }, 'resync period reached; relisting');
      this.#abortWatch?.();
      return;
    }
    if (this.#o.now() - this.#lastEventAt > this.#o.watchdogMs) {
      this.#o.log?.warn({ resource: this.#o.resource, silentForMs: this.#o.now() - this.#lastEventAt }, 'watch silent too long; reconnecting');
      this.#restarts++;
      this.#o.onRestart?.(this.#o.resource);
      this.#resourceVersion = '';
      this.#abortWatch?.();
    }
  }

  #backoffMs(): number {
    const { baseMs, maxMs } = this.#o.backoff;
    const exp = Math.min(maxMs, baseMs * 2 ** Math.min(this.#failures - 1, 20));
    return Math.round(exp / 2 + (this.#o.random() * exp) / 2);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #emit(call: (h: InformerHandlers<T>) => void): void {
    for (const handler of this.#handlers) {
      try {
        call(handler);
      } catch (error) {
        this.#o.log?.warn({ resource: this.#o.resource, error: String(error) }, 'informer handler threw; ignored');
      }
    }
  }
}

const cacheKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;
const keyOf = (obj: KubeObject) => cacheKey(obj.metadata?.namespace, obj.metadata?.name ?? '');
const isTimeout = (error: unknown) => error instanceof Error && (error.name === 'TimeoutError' || (error as { name?: string }).name === 'TimeoutError');

import { CoreV1Api, type KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';

export interface EventTarget {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}

interface Seen {
  name: string;
  count: number;
  at: number;
}

/**
 * Records core/v1 Events with stable reasons. Repeats of the same (object, type, reason,
 * message) within `aggregateWindowMs` bump the existing Event's count instead of creating a
 * new one, as client-go's correlator does, so a flapping job cannot flood etcd. Fire and forget:
 * an Event that cannot be written is logged, never fails a reconcile.
 */
export class EventRecorder {
  readonly #api: CoreV1Api;
  readonly #component: string;
  readonly #host: string;
  readonly #seen = new Map<string, Seen>();
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #log: { warn(obj: object, msg: string): void } | undefined;
  #pending = new Set<Promise<unknown>>();

  constructor(kubeConfig: KubeConfig, options: { component: string; host: string; aggregateWindowMs?: number; now?: () => number; log?: { warn(obj: object, msg: string): void } }) {
    this.#api = kubeConfig.makeApiClient(CoreV1Api);
    this.#component = options.component;
    this.#host = options.host;
    this.#windowMs = options.aggregateWindowMs ?? 10 * 60_000;
    this.#now = options.now ?? Date.now;
    this.#log = options.log;
  }

  record(target: EventTarget, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const promise = this.#write(target, type, reason, message.slice(0, 1024)).catch((error: unknown) => {
      this.#log?.warn({ reason, object: `${target.metadata.namespace}/${target.metadata.name}`, error: String(error) }, 'could not record event');
    });
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise));
  }

  /** Wait for events in flight (graceful shutdown, tests). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }

  async #write(target: EventTarget, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const namespace = target.metadata.namespace ?? 'default';
    const key = `${target.metadata.uid}|${type}|${reason}|${message}`;
    const now = this.#now();
    const time = new Date(now);
    const seen = this.#seen.get(key);
    if (seen && now - seen.at < this.#windowMs) {
      seen.count++;
      seen.at = now;
      await this.#api.patchNamespacedEvent(
        { name: seen.name, namespace, body: { count: seen.count, lastTimestamp: time.toISOString() } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      return;
    }
    const name = `${target.metadata.name}.${now.toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`;
    await this.#api.createNamespacedEvent({
      namespace,
      body: {
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: target.apiVersion,
          kind: target.kind,
          name: target.metadata.name ?? '',
          namespace,
          ...(target.metadata.uid ? { uid: target.metadata.uid } : {}),
          ...(target.metadata.resourceVersion ? { resourceVersion: target.metadata.resourceVersion } : {}),
        },
        reason,
        message,
        type,
        count: 1,
        firstTimestamp: time,
        lastTimestamp: time,
        source: { component: this.#component, host: this.#host },
        reportingComponent: this.#component,
        reportingInstance: this.#host,
      },
    });
    this.#seen.set(key, { name, count: 1, at: now });
    if (this.#seen.size > 10_000) this.#evictOld(now);
  }

  #evictOld(now: number): void {
    for (const [key, seen] of this.#seen) if (now - seen.at >= this.#windowMs) this.#seen.delete(key);
  }
}

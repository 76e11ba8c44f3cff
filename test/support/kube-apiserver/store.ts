// The object store: what etcd plus the watch cache give the real server.
// One global, monotonically increasing resourceVersion across every resource
// (like etcd's revision), a bounded history of change events for watches that
// resume from a resourceVersion, and synchronous fan-out to live watchers.
// All operations are synchronous, so each one is atomic.

export type KubeObject = Record<string, any>;

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: StoreEventType;
  resourceVersion: number;
  /** Which table the object lives in (see ResourceType.storageKey). */
  storageKey: string;
  /** The object after the change; for DELETED the last state, stamped with the deletion's resourceVersion. */
  object: KubeObject;
  /** The object before the change (MODIFIED and DELETED), for selector transitions. */
  previous?: KubeObject;
}

export type StoreListener = (event: StoreEvent) => void;

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export class ObjectStore {
  private revision = 0;
  private readonly tables = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  /** Events with resourceVersion <= this are no longer retained. */
  private forgottenThrough = 0;
  private readonly listeners = new Set<StoreListener>();
  private readonly historyLimit: number;

  constructor(historyLimit = 10_000) {
    this.historyLimit = historyLimit;
  }

  /** The latest resourceVersion handed out (etcd's current revision). */
  get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch can still start from. */
  get oldestWatchableResourceVersion(): number {
    return this.forgottenThrough;
  }

  private table(storageKey: string): Map<string, KubeObject> {
    let table = this.tables.get(storageKey);
    if (!table) {
      table = new Map();
      this.tables.set(storageKey, table);
    }
    return table;
  }

  get(storageKey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const obj = this.tables.get(storageKey)?.get(objectKey(namespace, name));
    return obj ? structuredClone(obj) : undefined;
  }

  /**
   * The stored objects themselves, unordered and uncloned, for read-only scans (the lifecycle
   * controllers run after every write: cloning everything each time made writes O(N)).
   * Callers must not mutate them.
   */
  peek(storageKey: string): Iterable<Readonly<KubeObject>> {
    return this.tables.get(storageKey)?.values() ?? [];
  }

  /** Objects in etcd key order: by namespace, then name. */
  list(storageKey: string, namespace?: string): KubeObject[] {
    const table = this.tables.get(storageKey);
    if (!table) return [];
    const keys = [...table.keys()].sort();
    const out: KubeObject[] = [];
    for (const key of keys) {
      const obj = table.get(key) as KubeObject;
      if (namespace !== undefined && (obj.metadata?.namespace ?? '') !== namespace) continue;
      out.push(structuredClone(obj));
    }
    return out;
  }

  /** Every table that holds (or held) objects. */
  storageKeys(): string[] {
    return [...this.tables.keys()];
  }

  count(storageKey: string, namespace?: string): number {
    const table = this.tables.get(storageKey);
    if (!table) return 0;
    if (namespace === undefined) return table.size;
    let n = 0;
    for (const obj of table.values()) if ((obj.metadata?.namespace ?? '') === namespace) n++;
    return n;
  }

  /** Stores a new object, stamping the next resourceVersion. The caller checked it does not exist. */
  create(storageKey: string, obj: KubeObject): KubeObject {
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(++this.revision);
    this.table(storageKey).set(objectKey(stored.metadata.namespace, stored.metadata.name), stored);
    this.record({ type: 'ADDED', resourceVersion: this.revision, storageKey, object: stored });
    return structuredClone(stored);
  }

  /** Replaces an existing object, stamping the next resourceVersion. */
  update(storageKey: string, obj: KubeObject): KubeObject {
    const key = objectKey(obj.metadata.namespace, obj.metadata.name);
    const table = this.table(storageKey);
    const previous = table.get(key);
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(++this.revision);
    table.set(key, stored);
    this.record({ type: 'MODIFIED', resourceVersion: this.revision, storageKey, object: stored, previous });
    return structuredClone(stored);
  }

  /**
   * Removes an object. Like etcd's watch, the DELETED event carries the last
   * stored state with the deletion's resourceVersion.
   */
  remove(storageKey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const key = objectKey(namespace, name);
    const table = this.tables.get(storageKey);
    const previous = table?.get(key);
    if (!table || !previous) return undefined;
    table.delete(key);
    const tombstone = structuredClone(previous);
    tombstone.metadata.resourceVersion = String(++this.revision);
    this.record({ type: 'DELETED', resourceVersion: this.revision, storageKey, object: tombstone, previous });
    return structuredClone(tombstone);
  }

  private record(event: StoreEvent): void {
    this.history.push(event);
    while (this.history.length > this.historyLimit) {
      const dropped = this.history.shift() as StoreEvent;
      this.forgottenThrough = dropped.resourceVersion;
    }
    for (const listener of [...this.listeners]) listener(event);
  }

  /**
   * Events after `resourceVersion`, or `undefined` when some of them were
   * already forgotten (the watch cache's "too old resource version").
   */
  eventsAfter(resourceVersion: number): StoreEvent[] | undefined {
    if (resourceVersion < this.forgottenThrough) return undefined;
    return this.history.filter((e) => e.resourceVersion > resourceVersion);
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets all history, as etcd compaction does: older resourceVersions get 410 Expired. */
  compactHistory(): void {
    this.history.length = 0;
    this.forgottenThrough = this.revision;
  }
}

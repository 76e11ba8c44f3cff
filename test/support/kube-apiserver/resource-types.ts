// What the server knows about each resource it serves, and the registry that
// maps URLs (group/version/plural) to those definitions. Built-in resources
// and CRD-defined resources implement the same interface; the generic REST
// logic in objects.ts drives it the way the apiserver's generic registry
// drives a strategy.
import type { FieldError } from './field-errors.ts';
import type { KubeObject } from './store.ts';
import type { TableConvertor } from './table.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Per-request state the hooks may read or add warnings to. */
export interface RequestContext {
  /** The API version the client speaks in this request. */
  version: string;
  subresource: string | undefined;
  fieldValidation: FieldValidation;
  /** `Warning:` headers to send back (299 "..."). */
  warnings: string[];
}

/**
 * A request body that does not decode into the resource's Go type. The
 * message is the decoder's (e.g. `illegal base64 data at input byte 3`); the
 * handler wraps it the way the create/update or the patch path does.
 */
export class DecodeError extends Error {}

export interface DecodeResult {
  /** Paths of fields the schema does not know (`spec.bogus`), already removed. */
  unknownFields: string[];
}

export interface ResourceType {
  readonly group: string;
  /** Served versions, preferred first. */
  readonly versions: readonly string[];
  readonly storageVersion: string;
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly listKind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly verbs: readonly string[];
  readonly subresources: readonly string[];
  /** Resources that are views of one storage (core and events.k8s.io Events) share a key. */
  readonly storageKey: string;
  /** CRD-defined: served as unstructured (sorted keys, list items keep apiVersion/kind). */
  readonly custom: boolean;
  readonly allowCreateOnUpdate: boolean;
  readonly allowUnconditionalUpdate: boolean;
  /** Immediate DELETE answers with the deleted object instead of a Success Status. */
  readonly returnsDeletedObject: boolean;
  /** Field labels usable in fieldSelector. */
  readonly fieldLabels: ReadonlySet<string>;
  /** Set while the defining CRD is being deleted: creates are refused. */
  readonly terminating?: boolean;
  /** Media types accepted for PATCH, in the server's order. */
  readonly patchTypes: readonly string[];
  /**
   * PATCH media types published in OpenAPI, when they differ: kubectl only
   * computes a strategic merge patch when OpenAPI offers one, and needs the
   * full schema to do it.
   */
  readonly openAPIPatchTypes?: readonly string[];

  fieldsOf(obj: KubeObject): Record<string, string>;
  /** How `kubectl get` prints this resource in `version`. */
  table(version: string): TableConvertor;
  /** Request decoding: pruning, defaulting, type coercion. Mutates `obj`. */
  decode(obj: KubeObject, ctx: RequestContext): DecodeResult;
  toStorage(obj: KubeObject, version: string): KubeObject;
  fromStorage(obj: KubeObject, version: string): KubeObject;
  prepareForCreate(obj: KubeObject, ctx: RequestContext): void;
  prepareForUpdate(obj: KubeObject, old: KubeObject, ctx: RequestContext): void;
  validate(obj: KubeObject, ctx: RequestContext): FieldError[];
  validateUpdate(obj: KubeObject, old: KubeObject, ctx: RequestContext): FieldError[];
  /** Finalizers that keep a deleted object around (namespaces add spec.finalizers). */
  pendingFinalizers(obj: KubeObject): string[];
  /** Changes a resource makes to an object on its first DELETE (e.g. the CRD cleanup finalizer). */
  beforeDelete?(obj: KubeObject): void;
  /** The OpenAPI v3 schema of the resource's objects in `version`, if it has one. */
  openAPISchema(version: string): Record<string, unknown> | undefined;
}

export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export type RegistryListener = () => void;

/** All served resources, keyed by group and plural; notifies listeners on change (discovery, openapi). */
export class ResourceRegistry {
  private readonly byGroupResource = new Map<string, ResourceType>();
  private readonly listeners = new Set<RegistryListener>();
  /** Bumped on every change; caches (discovery, openapi) compare against it. */
  generation = 0;

  private key(group: string, plural: string): string {
    return `${group}/${plural}`;
  }

  add(rt: ResourceType): void {
    this.byGroupResource.set(this.key(rt.group, rt.plural), rt);
    this.changed();
  }

  remove(group: string, plural: string): void {
    if (this.byGroupResource.delete(this.key(group, plural))) this.changed();
  }

  private changed(): void {
    this.generation++;
    for (const l of [...this.listeners]) l();
  }

  onChange(listener: RegistryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(group: string, plural: string): ResourceType | undefined {
    return this.byGroupResource.get(this.key(group, plural));
  }

  /** The resource served at group/version/plural, if that version is served. */
  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    const rt = this.get(group, plural);
    return rt && rt.versions.includes(version) ? rt : undefined;
  }

  all(): ResourceType[] {
    return [...this.byGroupResource.values()];
  }

  /** Groups in discovery order: core first, then built-in groups, then CRD groups, each once. */
  groups(): { name: string; versions: string[] }[] {
    const groups = new Map<string, string[]>();
    for (const rt of this.all()) {
      const versions = groups.get(rt.group) ?? [];
      for (const v of rt.versions) if (!versions.includes(v)) versions.push(v);
      groups.set(rt.group, versions);
    }
    return [...groups.entries()].map(([name, versions]) => ({ name, versions: sortVersions(versions) }));
  }

  resourcesIn(group: string, version: string): ResourceType[] {
    return this.all().filter((rt) => rt.group === group && rt.versions.includes(version));
  }
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first (apimachinery/version.CompareKubeAwareVersionStrings). */
export function sortVersions(versions: readonly string[]): string[] {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return { rank: 0, major: 0, minor: 0, raw: v };
    const rank = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return { rank, major: Number(m[1]), minor: Number(m[3] ?? 0), raw: v };
  };
  return [...versions].sort((a, b) => {
    const pa = parse(a);
    const pb = parse(b);
    if (pa.rank !== pb.rank) return pb.rank - pa.rank;
    if (pa.major !== pb.major) return pb.major - pa.major;
    if (pa.minor !== pb.minor) return pb.minor - pa.minor;
    return pa.raw.localeCompare(pb.raw);
  });
}

// API discovery: /version, the legacy documents (/api, /apis, /apis/<g>,
// /api/v1, /apis/<g>/<v>) and the aggregated apidiscovery.k8s.io/v2 lists
// kubectl 1.30+ asks for first. Everything is derived from the registry, so
// CRDs appear and disappear with their definitions.
import { createHash } from 'node:crypto';
import { groupVersion, type ResourceRegistry, type ResourceType } from './resource-types.ts';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T17:59:15Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export const AGGREGATED_DISCOVERY_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

const SUBRESOURCE_VERBS: Record<string, string[]> = {
  status: ['get', 'patch', 'update'],
  finalize: ['update'],
};

function storageVersionHash(rt: ResourceType): string {
  return createHash('sha256').update(`${rt.group}/${rt.storageVersion}/${rt.kind}`).digest('base64').slice(0, 11);
}

function verbsOf(rt: ResourceType): string[] {
  return rt.storageKey === 'core/namespaces' ? rt.verbs.filter((v) => v !== 'deletecollection') : [...rt.verbs];
}

function apiResources(registry: ResourceRegistry, group: string, version: string) {
  const out: Record<string, unknown>[] = [];
  for (const rt of registry.resourcesIn(group, version).sort((a, b) => a.plural.localeCompare(b.plural))) {
    const resource: Record<string, unknown> = {
      name: rt.plural,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: verbsOf(rt),
    };
    if (rt.shortNames.length) resource.shortNames = [...rt.shortNames];
    if (rt.categories.length) resource.categories = [...rt.categories];
    resource.storageVersionHash = storageVersionHash(rt);
    out.push(resource);
    for (const sub of rt.subresources) {
      out.push({ name: `${rt.plural}/${sub}`, singularName: '', namespaced: rt.namespaced, kind: rt.kind, verbs: SUBRESOURCE_VERBS[sub] ?? ['get'] });
    }
  }
  return out;
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(name: string, versions: string[]) {
  const list = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: list, preferredVersion: list[0] };
}

export function apiGroupList(registry: ResourceRegistry) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry
      .groups()
      .filter((g) => g.name !== '')
      .map((g) => apiGroup(g.name, g.versions)),
  };
}

export function apiGroupDocument(registry: ResourceRegistry, name: string) {
  const group = registry.groups().find((g) => g.name === name);
  if (!group) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group.name, group.versions) };
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string) {
  if (registry.resourcesIn(group, version).length === 0) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(group, version), resources: apiResources(registry, group, version) };
}

function discoveryResource(rt: ResourceType, version: string) {
  const responseKind = { group: rt.group, version, kind: rt.kind };
  const resource: Record<string, unknown> = {
    resource: rt.plural,
    responseKind,
    scope: rt.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: rt.singular,
    verbs: verbsOf(rt),
  };
  if (rt.shortNames.length) resource.shortNames = [...rt.shortNames];
  if (rt.categories.length) resource.categories = [...rt.categories];
  if (rt.subresources.length) {
    resource.subresources = rt.subresources.map((sub) => ({ subresource: sub, responseKind, verbs: SUBRESOURCE_VERBS[sub] ?? ['get'] }));
  }
  return resource;
}

/** apidiscovery.k8s.io/v2 APIGroupDiscoveryList for /api (legacy core) or /apis (named groups). */
export function aggregatedDiscovery(registry: ResourceRegistry, legacy: boolean, discoveryVersion: string) {
  const groups = registry.groups().filter((g) => (legacy ? g.name === '' : g.name !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${discoveryVersion}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: g.name ? { name: g.name, creationTimestamp: null } : { creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: registry
          .resourcesIn(g.name, v)
          .sort((a, b) => a.plural.localeCompare(b.plural))
          .map((rt) => discoveryResource(rt, v)),
        freshness: 'Current',
      })),
    })),
  };
}

// The apiserver's RequestInfoFactory: which group, version, namespace,
// resource, name, subresource and verb a request path and method address.
import type { RequestRecord } from './faults.ts';

export interface ResourceRequest {
  record: RequestRecord;
  group: string;
  version: string;
  resource: string;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
  verb: string;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** The apiserver's RequestInfoFactory, for /api/<v>/... and /apis/<g>/<v>/... paths. */
export function parseResourcePath(method: string, url: URL): ResourceRequest | 'discovery' | undefined {
  const parts = url.pathname.split('/').filter((p) => p.length > 0).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    version = parts[1] as string;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1] as string;
    version = parts[2] as string;
    rest = parts.slice(3);
  } else return undefined;
  if (rest.length === 0) return 'discovery';
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2] as string)) rest = rest.slice(2);
  }
  if (rest.length > 3 || rest.length === 0) return undefined;
  const [resource, name, subresource] = rest as [string, string | undefined, string | undefined];
  const isNamespaceObject = resource === 'namespaces';
  const watchParam = url.searchParams.get('watch');
  const watching = watchPrefix || watchParam === 'true' || watchParam === '1';
  let verb: string;
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = watching ? 'watch' : name ? 'get' : 'list';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      verb = method.toLowerCase();
  }
  return {
    record: { method, path: url.pathname, verb, group, resource, subresource, namespace: isNamespaceObject ? undefined : namespace, name },
    group,
    version,
    resource,
    namespace: isNamespaceObject ? undefined : namespace,
    name,
    subresource,
    verb,
  };
}

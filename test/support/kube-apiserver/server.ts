// HTTP routing: turns requests into the apiserver's RequestInfo (group,
// version, namespace, resource, name, subresource, verb), applies test
// faults, negotiates the response form (JSON, YAML, Table,
// PartialObjectMetadata) and dispatches to discovery, openapi, watch or the
// object service.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AGGREGATED_DISCOVERY_CONTENT_TYPE,
  aggregatedDiscovery,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  SERVER_VERSION,
} from './discovery.ts';
import type { Faults } from './faults.ts';
import { negotiate, parseAccept, parseBody, readBody, send, sendStatus, warningHeaders, type ResponseForm } from './http-io.ts';
import { present, type DeleteOptions, type ObjectService } from './objects.ts';
import { APPLY_PATCH } from './patch.ts';
import type { OpenAPIBuilder } from './openapi.ts';
import { parseResourcePath, type ResourceRequest } from './request-info.ts';
import { groupVersion, type FieldValidation, type ResourceRegistry } from './resource-types.ts';
import { isPlainObject } from './schema.ts';
import { checkFieldLabels, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import {
  ApiError,
  badRequest,
  genericServerResponse,
  internalError,
  methodNotSupported,
  notAcceptable,
  resourceNotFound,
  unsupportedMediaType,
  type Status,
} from './status.ts';
import type { KubeObject } from './store.ts';
import { toTable, type IncludeObject, type TableOptions } from './table.ts';
import type { WatchHub } from './watch.ts';

export interface KubeApiServerLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RouterDeps {
  registry: ResourceRegistry;
  service: ObjectService;
  watches: WatchHub;
  openapi: OpenAPIBuilder;
  faults: Faults;
  logger?: KubeApiServerLogger;
  serverAddress(): string;
}

function fieldValidationOf(url: URL): FieldValidation {
  const v = url.searchParams.get('fieldValidation');
  if (v === 'Strict' || v === 'Ignore' || v === 'Warn') return v;
  if (v !== null && v !== '') {
    throw badRequest(`fieldValidation: Invalid value: "${v}": fieldValidation must be one of "Ignore", "Warn", or "Strict"`);
  }
  return 'Warn';
}

function tableOptions(form: ResponseForm, url: URL): TableOptions | undefined {
  if (form.kind !== 'table') return undefined;
  const include = url.searchParams.get('includeObject') ?? 'Metadata';
  if (include !== 'None' && include !== 'Metadata' && include !== 'Object') {
    throw badRequest(`unrecognized includeObject value: "${include}"`);
  }
  return { apiVersion: form.apiVersion, includeObject: include as IncludeObject, noHeaders: false };
}

export function createRouter(deps: RouterDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { registry, service, watches, openapi, faults, logger } = deps;

  const handleNonResource = (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const accept = req.headers.accept ?? '';
    const aggregated = /as=APIGroupDiscoveryList/.test(accept) && /g=apidiscovery\.k8s\.io/.test(accept);
    const discoveryVersion = /v=v2beta1;as=APIGroupDiscoveryList/.test(accept) && !/v=v2;as=APIGroupDiscoveryList|v=v2(,|$)/.test(accept) ? 'v2beta1' : 'v2';
    switch (path) {
      case '/healthz':
      case '/livez':
      case '/readyz':
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('ok');
        return true;
      case '/version':
        send(res, 200, SERVER_VERSION);
        return true;
      case '/api':
        if (aggregated) {
          send(res, 200, aggregatedDiscovery(registry, true, discoveryVersion), { 'Content-Type': AGGREGATED_DISCOVERY_CONTENT_TYPE.replace('v=v2', `v=${discoveryVersion}`) });
        } else send(res, 200, apiVersions(deps.serverAddress()));
        return true;
      case '/apis':
        if (aggregated) {
          send(res, 200, aggregatedDiscovery(registry, false, discoveryVersion), { 'Content-Type': AGGREGATED_DISCOVERY_CONTENT_TYPE.replace('v=v2', `v=${discoveryVersion}`) });
        } else send(res, 200, apiGroupList(registry));
        return true;
      case '/openapi/v2': {
        const ranges = parseAccept(accept);
        if (ranges.length > 0 && !ranges.some((r) => r.type === 'application/json' || r.type === '*/*')) {
          throw notAcceptable(['application/json']);
        }
        send(res, 200, openapi.v2Document());
        return true;
      }
      case '/openapi/v3':
        send(res, 200, openapi.v3Index());
        return true;
    }
    if (path.startsWith('/openapi/v3/')) {
      const doc = openapi.v3Document(path.slice('/openapi/v3/'.length));
      if (!doc) throw resourceNotFound();
      send(res, 200, doc, { 'Cache-Control': 'public, immutable' });
      return true;
    }
    const groupMatch = /^\/apis\/([^/]+)$/.exec(path);
    if (groupMatch) {
      const doc = apiGroupDocument(registry, groupMatch[1] as string);
      if (!doc) throw resourceNotFound();
      send(res, 200, doc);
      return true;
    }
    return false;
  };

  const handleResource = async (req: IncomingMessage, res: ServerResponse, url: URL, r: ResourceRequest): Promise<void> => {
    const rt = registry.lookup(r.group, r.version, r.resource);
    if (!rt) throw resourceNotFound();
    if (rt.namespaced && r.namespace === undefined && !['list', 'watch', 'deletecollection'].includes(r.verb)) throw resourceNotFound();
    if (!rt.namespaced && r.namespace !== undefined) throw resourceNotFound();
    if (r.subresource) {
      const allowed = r.subresource === 'finalize' ? ['update'] : ['get', 'update', 'patch'];
      if (!rt.subresources.includes(r.subresource) || !allowed.includes(r.verb)) throw resourceNotFound();
    }
    const version = r.version;
    const form = negotiate(req.headers.accept);
    const table = tableOptions(form, url);
    const yaml = form.kind === 'plain' && form.yaml;
    const dryRun = url.searchParams.getAll('dryRun').includes('All');
    const gr = { group: rt.group, resource: rt.plural };

    const respondObject = (code: number, obj: KubeObject, warnings: readonly string[] = []) => {
      const shown = present(rt, obj);
      if (table) {
        send(res, code, toTable(rt.table(version), [shown], table, { resourceVersion: shown.metadata?.resourceVersion }), {
          'Content-Type': `application/json;as=Table;v=${table.apiVersion.split('/')[1]};g=meta.k8s.io`,
          ...warningHeaders(warnings),
        });
      } else if (form.kind === 'partial') {
        send(res, code, { kind: 'PartialObjectMetadata', apiVersion: form.apiVersion, metadata: shown.metadata });
      } else send(res, code, shown, warningHeaders(warnings), yaml);
    };

    switch (r.verb) {
      case 'get': {
        respondObject(200, service.get(rt, version, r.namespace, r.name as string));
        return;
      }
      case 'list': {
        // resourceVersion=0 is served from the watch cache, which ignores limit (no pagination).
        const fromCache = url.searchParams.get('resourceVersion') === '0';
        const limit = fromCache ? 0 : Number(url.searchParams.get('limit') ?? '0');
        const result = service.list(rt, version, r.namespace, {
          labelSelector: url.searchParams.get('labelSelector'),
          fieldSelector: url.searchParams.get('fieldSelector'),
          limit: Number.isFinite(limit) ? limit : 0,
          continue: url.searchParams.get('continue'),
        });
        const items = result.items.map((o) => present(rt, o));
        const listMeta: KubeObject = {};
        if (rt.custom || result.continue) listMeta.continue = result.continue ?? '';
        if (result.remainingItemCount !== undefined) listMeta.remainingItemCount = result.remainingItemCount;
        listMeta.resourceVersion = result.resourceVersion;
        if (table) {
          send(res, 200, toTable(rt.table(version), items, table, listMeta), {
            'Content-Type': `application/json;as=Table;v=${table.apiVersion.split('/')[1]};g=meta.k8s.io`,
          });
        } else if (form.kind === 'partial') {
          send(res, 200, {
            kind: 'PartialObjectMetadataList',
            apiVersion: form.apiVersion,
            metadata: listMeta,
            items: items.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: form.apiVersion, metadata: o.metadata })),
          });
        } else if (rt.custom) {
          send(res, 200, { apiVersion: groupVersion(rt.group, version), items, kind: rt.listKind, metadata: listMeta }, {}, yaml);
        } else {
          // Typed list items carry no apiVersion/kind.
          const bare = items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
          send(res, 200, { kind: rt.listKind, apiVersion: groupVersion(rt.group, version), metadata: listMeta, items: bare }, {}, yaml);
        }
        return;
      }
      case 'watch': {
        const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
        let fieldSelectorText = url.searchParams.get('fieldSelector') ?? '';
        if (r.name) fieldSelectorText = [fieldSelectorText, `metadata.name=${r.name}`].filter(Boolean).join(',');
        const fields = parseFieldSelector(fieldSelectorText);
        checkFieldLabels(fields, rt.fieldLabels);
        const rv = url.searchParams.get('resourceVersion') ?? undefined;
        if (rv && rv !== '0' && !/^\d+$/.test(rv)) {
          throw badRequest(`resourceVersion: Invalid value: "${rv}": strconv.ParseUint: parsing "${rv}": invalid syntax`);
        }
        const timeout = url.searchParams.get('timeoutSeconds');
        watches.serve(req, res, {
          rt,
          version,
          namespace: r.namespace,
          labels,
          fields,
          resourceVersion: rv || undefined,
          sendInitialEvents: url.searchParams.get('sendInitialEvents') === 'true',
          allowWatchBookmarks: url.searchParams.get('allowWatchBookmarks') === 'true',
          timeoutSeconds: timeout ? Number(timeout) : undefined,
          table,
        });
        return;
      }
      case 'create': {
        if (r.name) throw genericServerResponse(405, '');
        if (rt.terminating) throw methodNotSupported(gr, 'create');
        const body = parseBody(await readBody(req), req.headers['content-type'] ?? 'application/json');
        if (body === undefined) throw badRequest(`Object 'Kind' is missing in ''`);
        const result = service.create(rt, version, r.namespace, body, { dryRun, fieldValidation: fieldValidationOf(url) });
        respondObject(201, result.object, result.warnings);
        return;
      }
      case 'update': {
        if (!r.name) throw genericServerResponse(405, '');
        const body = parseBody(await readBody(req), req.headers['content-type'] ?? 'application/json');
        if (body === undefined) throw badRequest(`Object 'Kind' is missing in ''`);
        const result = service.update(rt, version, r.namespace, r.name, body, {
          dryRun,
          fieldValidation: fieldValidationOf(url),
          subresource: r.subresource,
        });
        respondObject(result.created ? 201 : 200, result.object, result.warnings);
        return;
      }
      case 'patch': {
        if (!r.name) throw genericServerResponse(405, '');
        const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        if (contentType === APPLY_PATCH || !rt.patchTypes.includes(contentType)) {
          throw unsupportedMediaType(rt.patchTypes.filter((t) => t !== APPLY_PATCH || contentType !== APPLY_PATCH));
        }
        const text = (await readBody(req)).toString('utf8');
        let patch: unknown;
        try {
          patch = JSON.parse(text);
        } catch (e) {
          throw badRequest(`error decoding patch: ${e instanceof Error ? e.message : String(e)}`);
        }
        const result = service.patch(rt, version, r.namespace, r.name, contentType, patch, {
          dryRun,
          fieldValidation: fieldValidationOf(url),
          subresource: r.subresource,
        });
        respondObject(200, result.object, result.warnings);
        return;
      }
      case 'delete':
      case 'deletecollection': {
        const body = parseBody(await readBody(req), req.headers['content-type'] ?? 'application/json');
        const options: DeleteOptions = isPlainObject(body) ? (body as DeleteOptions) : {};
        const policy = url.searchParams.get('propagationPolicy');
        if (policy) options.propagationPolicy = policy;
        const orphan = url.searchParams.get('orphanDependents');
        if (orphan !== null) options.orphanDependents = orphan === 'true';
        const deleteDryRun = dryRun || (Array.isArray(options.dryRun) && options.dryRun.includes('All'));
        if (r.verb === 'delete') {
          const result = service.delete(rt, version, r.namespace, r.name as string, options, { dryRun: deleteDryRun });
          if ((result.body as Status).kind === 'Status') send(res, result.code, result.body);
          else respondObject(result.code, result.body as KubeObject);
        } else {
          const items = service.deleteCollection(
            rt,
            version,
            r.namespace,
            { labelSelector: url.searchParams.get('labelSelector'), fieldSelector: url.searchParams.get('fieldSelector') },
            options,
            { dryRun: deleteDryRun },
          );
          const shown = items.map((o) => present(rt, o));
          send(res, 200, rt.custom
            ? { apiVersion: groupVersion(rt.group, version), items: shown, kind: rt.listKind, metadata: { continue: '', resourceVersion: '' } }
            : { kind: rt.listKind, apiVersion: groupVersion(rt.group, version), metadata: {}, items: shown.map(({ apiVersion: _a, kind: _k, ...rest }) => rest) });
        }
        return;
      }
      default:
        throw genericServerResponse(405, '');
    }
  };

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const parsed = parseResourcePath(method, url);
    const record = faults.record(typeof parsed === 'object' ? parsed.record : { method, path: url.pathname });
    res.on('finish', () => {
      record.status = res.statusCode;
      logger?.debug({ method, path: `${url.pathname}${url.search}`, status: res.statusCode }, 'kube-apiserver request');
    });
    void (async () => {
      try {
        if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
        const injected = faults.takeError(record, `${url.pathname}${url.search}`);
        if (injected) throw injected;
        if (parsed === 'discovery') {
          const segments = url.pathname.split('/').filter(Boolean);
          const doc = segments[0] === 'api' ? apiResourceList(registry, '', segments[1] as string) : apiResourceList(registry, segments[1] as string, segments[2] as string);
          if (!doc) throw resourceNotFound();
          send(res, 200, doc);
          return;
        }
        if (parsed) {
          await handleResource(req, res, url, parsed);
          return;
        }
        if (handleNonResource(req, res, url)) return;
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('404 page not found\n');
      } catch (err) {
        if (err instanceof ApiError) sendStatus(res, err);
        else {
          logger?.error({ err, method, path: url.pathname }, 'kube-apiserver internal error');
          sendStatus(res, internalError(err instanceof Error ? err.message : String(err)));
        }
      }
    })();
  };
}

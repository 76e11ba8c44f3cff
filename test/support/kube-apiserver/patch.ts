// PATCH bodies: RFC 7386 JSON merge patch and RFC 6902 JSON patch, with the
// error texts of github.com/evanphx/json-patch that the apiserver returns.
// Strategic merge patch is served as a merge patch for built-in types (good
// enough for maps and scalars; list merge keys are not honoured).
import { badRequest, genericServerResponse } from './status.ts';
import { isPlainObject } from './schema.ts';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/** Drops strategic-merge directives ($patch, $setElementOrder/..., $retainKeys, ...) so they are not stored. */
export function stripStrategicDirectives(patch: unknown): unknown {
  if (Array.isArray(patch)) return patch.map(stripStrategicDirectives);
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    out[key] = stripStrategicDirectives(value);
  }
  return out;
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

class PatchError extends Error {}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`JSON pointer must be empty or start with a "/": ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

/** The container holding the last path segment, or undefined when a parent is missing. */
function resolveParent(doc: unknown, parts: readonly string[]): Container | undefined {
  let current = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(current)) {
      const i = Number(part);
      if (!/^\d+$/.test(part) || i >= current.length) return undefined;
      current = current[i];
    } else if (isPlainObject(current)) {
      if (!Object.hasOwn(current, part)) return undefined;
      current = current[part];
    } else return undefined;
  }
  return Array.isArray(current) || isPlainObject(current) ? current : undefined;
}

function getAt(doc: unknown, pointer: string): { found: boolean; value?: unknown } {
  const parts = parsePointer(pointer);
  if (parts.length === 0) return { found: true, value: doc };
  const parent = resolveParent(doc, parts);
  const last = parts[parts.length - 1] as string;
  if (Array.isArray(parent)) {
    const i = Number(last);
    return /^\d+$/.test(last) && i < parent.length ? { found: true, value: parent[i] } : { found: false };
  }
  if (parent && Object.hasOwn(parent, last)) return { found: true, value: parent[last] };
  return { found: false };
}

function add(doc: unknown, pointer: string, value: unknown, op: string): unknown {
  const parts = parsePointer(pointer);
  if (parts.length === 0) return value;
  const parent = resolveParent(doc, parts);
  const last = parts[parts.length - 1] as string;
  if (!parent) throw new PatchError(`${op} operation does not apply: doc is missing path: "${pointer}": missing value`);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!/^(\d+|-)$/.test(last) || i > parent.length) throw new PatchError(`Unable to access invalid index: ${last}: invalid index referenced`);
    parent.splice(i, 0, value);
  } else parent[last] = value;
  return doc;
}

function remove(doc: unknown, pointer: string): unknown {
  const parts = parsePointer(pointer);
  const parent = resolveParent(doc, parts);
  const last = parts[parts.length - 1] as string;
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!/^\d+$/.test(last) || i >= parent.length) throw new PatchError(`Unable to remove nonexistent key: ${last}: missing value`);
    parent.splice(i, 1);
  } else if (parent && Object.hasOwn(parent, last)) delete parent[last];
  else if (!parent) throw new PatchError(`remove operation does not apply: doc is missing path: "${pointer}": missing value`);
  else throw new PatchError(`Unable to remove nonexistent key: ${last}: missing value`);
  return doc;
}

function replace(doc: unknown, pointer: string, value: unknown): unknown {
  const parts = parsePointer(pointer);
  if (parts.length === 0) return value;
  const parent = resolveParent(doc, parts);
  const last = parts[parts.length - 1] as string;
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!/^\d+$/.test(last) || i >= parent.length) throw new PatchError(`Unable to access invalid index: ${last}: invalid index referenced`);
    parent[i] = value;
  } else if (parent && Object.hasOwn(parent, last)) parent[last] = value;
  else throw new PatchError(`replace operation does not apply: doc is missing key: ${pointer}: missing value`);
  return doc;
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isPlainObject(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
}

/** Applies an RFC 6902 patch; failures are the 422s the apiserver answers. */
export function applyJSONPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) {
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  let doc = structuredClone(target);
  try {
    for (const raw of patch as Operation[]) {
      if (!isPlainObject(raw)) throw new PatchError('invalid operation');
      const op = String(raw.op ?? '');
      const path = String(raw.path ?? '');
      switch (op) {
        case 'add':
          doc = add(doc, path, structuredClone(raw.value), 'add');
          break;
        case 'remove':
          doc = remove(doc, path);
          break;
        case 'replace':
          doc = replace(doc, path, structuredClone(raw.value));
          break;
        case 'move': {
          const from = String(raw.from ?? '');
          const source = getAt(doc, from);
          if (!source.found) throw new PatchError(`move operation does not apply: doc is missing from path: ${from}: missing value`);
          doc = remove(doc, from);
          doc = add(doc, path, source.value, 'move');
          break;
        }
        case 'copy': {
          const from = String(raw.from ?? '');
          const source = getAt(doc, from);
          if (!source.found) throw new PatchError(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
          doc = add(doc, path, structuredClone(source.value), 'copy');
          break;
        }
        case 'test': {
          const actual = getAt(doc, path);
          if (!actual.found || !equal(actual.value, raw.value)) throw new PatchError(`testing value ${path} failed: test failed`);
          break;
        }
        default:
          throw new PatchError(`Unexpected kind: ${op}`);
      }
    }
  } catch (e) {
    if (e instanceof PatchError) throw genericServerResponse(422, e.message);
    throw e;
  }
  return doc;
}

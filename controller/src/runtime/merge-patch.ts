/**
 * The RFC 7386 merge patch that turns `from` into `to`: changed keys carry the new value,
 * removed keys carry null, arrays are replaced whole. Undefined means "no change".
 */
export function mergePatchBetween(from: unknown, to: unknown): unknown {
  if (!isPlainObject(from) || !isPlainObject(to)) return deepEqual(from, to) ? undefined : to === undefined ? null : to;
  const patch: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (!(key in to) || to[key] === undefined) {
      if (key in from && from[key] !== undefined) patch[key] = null;
      continue;
    }
    const child = mergePatchBetween(from[key], to[key]);
    if (child !== undefined) patch[key] = child;
  }
  return Object.keys(patch).length === 0 ? undefined : patch;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bkeys = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return keys.length === bkeys.length && keys.every((k) => deepEqual(ao[k], bo[k]));
}

// The Kubernetes flavour of CEL on top of @bufbuild/cel: the extra functions the
// apiserver registers (k8s.io/apiserver/pkg/cel/library: lists, regex), CEL's
// strings extension, a minimal `optional` (for optionalOldSelf), and the
// schema-aware conversion of JSON values into CEL values (integers become
// int, date-time strings become timestamps, property names are escaped).
import { celFunc, celMethod, CelScalar, isCelList, listType, mapType, type CelFunc, type CelInput } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { create } from '@bufbuild/protobuf';
import { DurationSchema, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { additionalPropertiesSchema, isPlainObject, type JSONSchemaProps } from './schema.ts';

const DYN = CelScalar.DYN;
const LIST = listType(DYN);
const OPTIONAL_MAP = mapType(CelScalar.STRING, DYN);

/** Marks a map as a CEL optional (our stand-in for cel-go's optional type). */
const OPTIONAL_MARKER = '__k8s.optional__';
const OPTIONAL_VALUE = '__k8s.optional.value__';

export function optionalNone(): Map<string, unknown> {
  return new Map<string, unknown>([[OPTIONAL_MARKER, false]]);
}

export function optionalOf(value: unknown): Map<string, unknown> {
  return new Map<string, unknown>([
    [OPTIONAL_MARKER, true],
    [OPTIONAL_VALUE, value],
  ]);
}

type CelMapLike = { get(key: unknown): unknown; has(key: unknown): boolean };

function isOptional(target: CelMapLike): boolean {
  return target.has(OPTIONAL_MARKER);
}

function toArray(list: unknown): unknown[] {
  if (isCelList(list)) return [...list];
  if (Array.isArray(list)) return list;
  return [];
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = a as number | bigint;
  const y = b as number | bigint;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** CEL equality across int and double (heterogeneous numeric equality). */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'bigint' && typeof b === 'number') return Number(a) === b;
  if (typeof a === 'number' && typeof b === 'bigint') return a === Number(b);
  return a === b;
}

const listFunctions: CelFunc[] = [
  celMethod('isSorted', LIST, [], CelScalar.BOOL, function () {
    const items = toArray(this);
    for (let i = 1; i < items.length; i++) if (compare(items[i - 1], items[i]) > 0) return false;
    return true;
  }),
  celMethod('sum', LIST, [], DYN, function () {
    const items = toArray(this);
    if (items.length === 0) return 0n;
    if (items.every((i) => typeof i === 'bigint')) return (items as bigint[]).reduce((a, b) => a + b, 0n);
    return items.reduce<number>((a, b) => a + Number(b), 0);
  }),
  celMethod('min', LIST, [], DYN, function () {
    const items = toArray(this);
    if (items.length === 0) throw new Error('min called on empty list');
    return items.reduce((a, b) => (compare(b, a) < 0 ? b : a)) as CelInput;
  }),
  celMethod('max', LIST, [], DYN, function () {
    const items = toArray(this);
    if (items.length === 0) throw new Error('max called on empty list');
    return items.reduce((a, b) => (compare(b, a) > 0 ? b : a)) as CelInput;
  }),
  celMethod('indexOf', LIST, [DYN], CelScalar.INT, function (value) {
    return BigInt(toArray(this).findIndex((i) => sameValue(i, value)));
  }),
  celMethod('lastIndexOf', LIST, [DYN], CelScalar.INT, function (value) {
    const items = toArray(this);
    for (let i = items.length - 1; i >= 0; i--) if (sameValue(items[i], value)) return BigInt(i);
    return -1n;
  }),
];

const regexFunctions: CelFunc[] = [
  celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (pattern) {
    return new RegExp(pattern, 'u').exec(this)?.[0] ?? '';
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING], LIST, function (pattern) {
    return [...this.matchAll(new RegExp(pattern, 'gu'))].map((m) => m[0]);
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING, CelScalar.INT], LIST, function (pattern, limit) {
    const all = [...this.matchAll(new RegExp(pattern, 'gu'))].map((m) => m[0]);
    return limit < 0n ? all : all.slice(0, Number(limit));
  }),
];

const optionalFunctions: CelFunc[] = [
  celFunc('optional.none', [], DYN, () => optionalNone() as CelInput),
  celFunc('optional.of', [DYN], DYN, (v) => optionalOf(v) as CelInput),
  celMethod('hasValue', OPTIONAL_MAP, [], CelScalar.BOOL, function () {
    const m = this as unknown as CelMapLike;
    if (!isOptional(m)) throw new Error('no such overload');
    return m.get(OPTIONAL_MARKER) === true;
  }),
  celMethod('value', OPTIONAL_MAP, [], DYN, function () {
    const m = this as unknown as CelMapLike;
    if (!isOptional(m) || m.get(OPTIONAL_MARKER) !== true) throw new Error('optional.none() dereference');
    return m.get(OPTIONAL_VALUE) as CelInput;
  }),
  celMethod('orValue', OPTIONAL_MAP, [DYN], DYN, function (fallback) {
    const m = this as unknown as CelMapLike;
    if (!isOptional(m)) throw new Error('no such overload');
    return (m.get(OPTIONAL_MARKER) === true ? m.get(OPTIONAL_VALUE) : fallback) as CelInput;
  }),
];

/** Every function beyond the CEL standard library that rules may call. */
export const kubernetesCelFunctions: CelFunc[] = [...strings, ...listFunctions, ...regexFunctions, ...optionalFunctions];

const RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import',
  'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

/**
 * Property names as CEL sees them (k8s.io/apiserver/pkg/cel.Escape): `foo-bar`
 * is `foo__dash__bar`, `namespace` is `__namespace__`. Returns undefined for
 * names CEL cannot address.
 */
export function escapePropertyName(name: string): string | undefined {
  if (name.length === 0 || /^[0-9]/.test(name)) return undefined;
  if (RESERVED.has(name)) return `__${name}__`;
  let ok = true;
  const escaped = name.replace(/__|[-./]|[^a-zA-Z0-9\-./_]/g, (s) => {
    switch (s) {
      case '__':
        return '__underscores__';
      case '.':
        return '__dot__';
      case '-':
        return '__dash__';
      case '/':
        return '__slash__';
      default:
        ok = false;
        return '';
    }
  });
  return ok ? escaped : undefined;
}

const GO_DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

function parseGoDuration(text: string): number | undefined {
  const re = /(-?\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * (GO_DURATION_UNITS[m[2] as string] as number);
    matched += m[0].length;
  }
  return matched === text.length && matched > 0 ? total : undefined;
}

/** Converts a decoded JSON value into the CEL value the apiserver would bind, guided by its schema. */
export function toCelValue(value: unknown, schema: JSONSchemaProps | undefined, isResourceRoot = false): CelInput {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (schema?.type === 'number') return value;
    if (Number.isInteger(value)) return BigInt(value);
    return value;
  }
  if (typeof value === 'string') {
    if (schema?.type === 'string' && (schema.format === 'date-time' || schema.format === 'date')) {
      const date = new Date(value);
      if (!Number.isNaN(date.getTime())) return timestampFromDate(date) as unknown as CelInput;
    }
    if (schema?.type === 'string' && schema.format === 'duration') {
      const seconds = parseGoDuration(value);
      if (seconds !== undefined) {
        const whole = Math.trunc(seconds);
        return create(DurationSchema, {
          seconds: BigInt(whole),
          nanos: Math.round((seconds - whole) * 1e9),
        }) as unknown as CelInput;
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => toCelValue(item, schema?.items));
  if (!isPlainObject(value)) return null;
  const out = new Map<string, CelInput>();
  const valueSchema = additionalPropertiesSchema(schema);
  if (isResourceRoot) {
    if (value.apiVersion !== undefined) out.set('apiVersion', value.apiVersion as string);
    if (value.kind !== undefined) out.set('kind', value.kind as string);
    const meta = isPlainObject(value.metadata) ? value.metadata : {};
    const celMeta = new Map<string, CelInput>();
    if (typeof meta.name === 'string') celMeta.set('name', meta.name);
    if (typeof meta.generateName === 'string') celMeta.set('generateName', meta.generateName);
    out.set('metadata', celMeta);
  }
  if (schema?.properties) {
    for (const [key, propSchema] of Object.entries(schema.properties)) {
      if (isResourceRoot && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
      if (!Object.hasOwn(value, key)) continue;
      const escaped = escapePropertyName(key);
      if (escaped !== undefined) out.set(escaped, toCelValue(value[key], propSchema));
    }
    return out;
  }
  for (const [key, child] of Object.entries(value)) {
    if (isResourceRoot && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
    out.set(key, toCelValue(child, valueSchema));
  }
  return out;
}

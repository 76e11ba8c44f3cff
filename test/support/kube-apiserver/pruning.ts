// Structural pruning (apiextensions-apiserver/pkg/apiserver/schema/pruning):
// fields the schema does not declare are dropped silently unless a node says
// x-kubernetes-preserve-unknown-fields. The dropped paths are returned so the
// request can fail (fieldValidation=Strict) or warn (Warn, the default).
import { additionalPropertiesSchema, isPlainObject, OBJECT_META_FIELDS, type JSONSchemaProps } from './schema.ts';

function join(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function pruneValue(value: unknown, schema: JSONSchemaProps | undefined, path: string, pruned: string[]): void {
  if (schema?.['x-kubernetes-preserve-unknown-fields']) {
    pruneInsidePreserved(value, schema, path, pruned);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => pruneValue(item, schema?.items, `${path}[${i}]`, pruned));
    return;
  }
  if (!isPlainObject(value)) return;
  const valueSchema = additionalPropertiesSchema(schema);
  for (const key of Object.keys(value)) {
    if (schema?.['x-kubernetes-embedded-resource'] && (key === 'apiVersion' || key === 'kind')) continue;
    if (schema?.['x-kubernetes-embedded-resource'] && key === 'metadata') {
      pruneObjectMeta(value[key], join(path, key), pruned);
      continue;
    }
    const propSchema = schema?.properties?.[key];
    if (propSchema) pruneValue(value[key], propSchema, join(path, key), pruned);
    else if (valueSchema || schema?.additionalProperties === true) pruneValue(value[key], valueSchema, join(path, key), pruned);
    else {
      pruned.push(join(path, key));
      delete value[key];
    }
  }
}

/** Under preserve-unknown-fields, unknown keys stay but declared ones are still pruned by their schemas. */
function pruneInsidePreserved(value: unknown, schema: JSONSchemaProps, path: string, pruned: string[]): void {
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => pruneValue(item, schema.items, `${path}[${i}]`, pruned));
    return;
  }
  if (!isPlainObject(value)) return;
  const valueSchema = additionalPropertiesSchema(schema);
  for (const key of Object.keys(value)) {
    const propSchema = schema.properties?.[key] ?? valueSchema;
    if (propSchema) pruneValue(value[key], propSchema, join(path, key), pruned);
  }
}

/** ObjectMeta is decoded into its Go struct: unknown keys vanish. */
export function pruneObjectMeta(meta: unknown, path: string, pruned: string[]): void {
  if (!isPlainObject(meta)) return;
  for (const key of Object.keys(meta)) {
    if (!OBJECT_META_FIELDS.has(key)) {
      pruned.push(join(path, key));
      delete meta[key];
    }
  }
}

/**
 * Prunes a whole object against its root schema. apiVersion, kind and
 * metadata are implicit at the root. Returns the pruned field paths.
 */
export function pruneObject(obj: Record<string, unknown>, schema: JSONSchemaProps | undefined): string[] {
  const pruned: string[] = [];
  if (schema?.['x-kubernetes-preserve-unknown-fields']) {
    for (const key of Object.keys(obj)) {
      if (key === 'apiVersion' || key === 'kind') continue;
      if (key === 'metadata') pruneObjectMeta(obj[key], key, pruned);
      else if (schema.properties?.[key]) pruneValue(obj[key], schema.properties[key], key, pruned);
    }
    return pruned;
  }
  for (const key of Object.keys(obj)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata') {
      pruneObjectMeta(obj[key], key, pruned);
      continue;
    }
    const propSchema = schema?.properties?.[key];
    if (propSchema) pruneValue(obj[key], propSchema, key, pruned);
    else {
      pruned.push(key);
      delete obj[key];
    }
  }
  return pruned;
}

/**
 * structuraldefaulting.PruneNonNullableNullsWithoutDefaults: a null where the
 * schema is not nullable and has no default is the same as leaving it out.
 */
export function pruneNonNullableNulls(value: unknown, schema: JSONSchemaProps | undefined): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    for (const item of value) pruneNonNullableNulls(item, schema.items);
    return;
  }
  if (!isPlainObject(value)) return;
  const valueSchema = additionalPropertiesSchema(schema);
  for (const key of Object.keys(value)) {
    const propSchema = schema.properties?.[key] ?? valueSchema;
    if (!propSchema) continue;
    if (value[key] === null && propSchema.default === undefined && !propSchema.nullable) delete value[key];
    else pruneNonNullableNulls(value[key], propSchema);
  }
}

/** pruneNonNullableNulls for a whole object: apiVersion, kind and metadata are implicit. */
export function pruneRootNonNullableNulls(obj: Record<string, unknown>, schema: JSONSchemaProps | undefined): void {
  if (!schema) return;
  for (const key of Object.keys(obj)) {
    if (key === 'metadata' || key === 'apiVersion' || key === 'kind') continue;
    const propSchema = schema.properties?.[key];
    if (!propSchema) continue;
    if (obj[key] === null && propSchema.default === undefined && !propSchema.nullable) delete obj[key];
    else pruneNonNullableNulls(obj[key], propSchema);
  }
}

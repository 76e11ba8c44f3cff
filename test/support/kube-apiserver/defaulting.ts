// Structural defaulting (apiextensions-apiserver/pkg/apiserver/schema/defaulting):
// missing properties (and non-nullable nulls) take the schema's `default`,
// applied top-down so defaults nested inside a defaulted value apply too.
// Runs on request bodies and again whenever an object is read from storage.
import { additionalPropertiesSchema, isPlainObject, type JSONSchemaProps } from './schema.ts';

function isNonNullableNull(value: unknown, schema: JSONSchemaProps | undefined): boolean {
  return value === null && !!schema && schema.default !== undefined && !schema.nullable;
}

export function applyDefaults(value: unknown, schema: JSONSchemaProps | undefined): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (isNonNullableNull(item, schema.items)) value[i] = structuredClone(schema.items?.default);
      applyDefaults(value[i], schema.items);
    });
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, propSchema] of Object.entries(schema.properties ?? {})) {
    if (propSchema.default === undefined) continue;
    if (!Object.hasOwn(value, key) || isNonNullableNull(value[key], propSchema)) {
      value[key] = structuredClone(propSchema.default);
    }
  }
  const valueSchema = additionalPropertiesSchema(schema);
  for (const key of Object.keys(value)) {
    const propSchema = schema.properties?.[key];
    if (propSchema) applyDefaults(value[key], propSchema);
    else if (valueSchema) {
      if (isNonNullableNull(value[key], valueSchema)) value[key] = structuredClone(valueSchema.default);
      applyDefaults(value[key], valueSchema);
    }
  }
}

/** Defaults a whole object against its root schema (metadata, apiVersion and kind are left alone). */
export function defaultObject(obj: Record<string, unknown>, schema: JSONSchemaProps | undefined): void {
  if (!schema) return;
  for (const [key, propSchema] of Object.entries(schema.properties ?? {})) {
    if (key === 'metadata' || key === 'apiVersion' || key === 'kind') continue;
    if (propSchema.default !== undefined && (!Object.hasOwn(obj, key) || isNonNullableNull(obj[key], propSchema))) {
      obj[key] = structuredClone(propSchema.default);
    }
    applyDefaults(obj[key], propSchema);
  }
}

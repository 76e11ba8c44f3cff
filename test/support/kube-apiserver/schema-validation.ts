// OpenAPI v3 schema validation of custom resources, mirroring kube-openapi's
// validator as apiextensions-apiserver wraps it (validation.ValidateCustomResource):
// same checks, same "<path> in body must be of type integer: \"string\"" texts,
// same mapping to field errors. On update, errors on values equal to the old
// object's are ratcheted away (CRDValidationRatcheting, on by default since 1.30).
import { fieldErrors, type FieldError } from './field-errors.ts';
import { goNumber } from './field-errors.ts';
import { additionalPropertiesSchema, deepEqual, findByMapKeys, isPlainObject, jsonTypeOf, type JSONSchemaProps } from './schema.ts';
import { checkFormat } from './formats.ts';

/** The correlated old value at a node, when there is one (updates only). */
interface Correlation {
  old: unknown;
}

function typeMatches(schemaType: string, value: unknown): boolean {
  const actual = jsonTypeOf(value);
  if (schemaType === actual) return true;
  if (schemaType === 'number' && actual === 'integer') return true;
  return false;
}

function enumValuesText(values: unknown[]): string[] {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

/** Errors for one node and everything below it. `name` is kube-openapi's path (`spec.items[0].name`). */
function validateNode(
  value: unknown,
  schema: JSONSchemaProps,
  name: string,
  correlation: Correlation | undefined,
  errors: FieldError[],
): void {
  // Ratcheting: a value unchanged since the stored object is not re-judged.
  if (correlation && deepEqual(value, correlation.old)) return;
  const path = name || null;
  const body = (detail: string) => (name ? `${name} in body ${detail}` : `in body ${detail}`);

  if (schema['x-kubernetes-int-or-string']) {
    if (value === null && schema.nullable) return;
    const t = jsonTypeOf(value);
    if (t !== 'integer' && t !== 'string') {
      errors.push(fieldErrors.typeInvalid(path, t, body(`must be of type integer: "${t}"`)));
      errors.push(fieldErrors.invalid(path, '', body('must validate at least one schema (anyOf)')));
      return;
    }
  } else if (value === null) {
    if (schema.nullable || !schema.type) return;
    errors.push(fieldErrors.typeInvalid(path, 'null', body(`must be of type ${schema.type}: "null"`)));
    return;
  } else if (schema.type && !typeMatches(schema.type, value)) {
    const t = jsonTypeOf(value);
    errors.push(fieldErrors.typeInvalid(path, t, body(`must be of type ${schema.type}: "${t}"`)));
    checkEnum(value, schema, path, errors);
    return;
  }

  validateComposition(value, schema, name, errors);

  if (typeof value === 'string') {
    if (schema.format) {
      const formatError = checkFormat(schema.format, value);
      if (formatError) errors.push(fieldErrors.typeInvalid(path, value, body(`must be of type ${schema.format}: ${JSON.stringify(value)}`)));
    }
    const length = [...value].length;
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      errors.push(fieldErrors.tooLong(path, value, schema.maxLength));
    }
    if (schema.minLength !== undefined && length < schema.minLength) {
      errors.push(fieldErrors.invalid(path, value, body(`should be at least ${schema.minLength} chars long`)));
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      errors.push(fieldErrors.invalid(path, value, body(`should match '${schema.pattern}'`)));
    }
  }

  if (typeof value === 'number') validateNumber(value, schema, name, errors);
  checkEnum(value, schema, path, errors);

  if (Array.isArray(value)) validateArray(value, schema, name, correlation, errors);
  else if (isPlainObject(value)) validateObject(value, schema, name, correlation, errors);
}

function validateNumber(value: number, schema: JSONSchemaProps, name: string, errors: FieldError[]): void {
  const path = name || null;
  const body = (detail: string) => (name ? `${name} in body ${detail}` : `in body ${detail}`);
  if (schema.maximum !== undefined) {
    const bad = schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum;
    if (bad) {
      const rel = schema.exclusiveMaximum ? 'less than' : 'less than or equal to';
      errors.push(fieldErrors.invalid(path, value, body(`should be ${rel} ${goNumber(schema.maximum)}`)));
    }
  }
  if (schema.minimum !== undefined) {
    const bad = schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum;
    if (bad) {
      const rel = schema.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
      errors.push(fieldErrors.invalid(path, value, body(`should be ${rel} ${goNumber(schema.minimum)}`)));
    }
  }
  if (schema.multipleOf !== undefined && schema.multipleOf > 0) {
    const q = value / schema.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) {
      errors.push(fieldErrors.invalid(path, value, body(`should be a multiple of ${goNumber(schema.multipleOf)}`)));
    }
  }
}

function checkEnum(value: unknown, schema: JSONSchemaProps, path: string | null, errors: FieldError[]): void {
  if (!schema.enum || schema.enum.length === 0) return;
  if (schema.enum.some((allowed) => deepEqual(allowed, value))) return;
  errors.push(fieldErrors.notSupported(path, value, enumValuesText(schema.enum)));
}

function validateArray(
  value: unknown[],
  schema: JSONSchemaProps,
  name: string,
  correlation: Correlation | undefined,
  errors: FieldError[],
): void {
  const path = name || null;
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    errors.push(fieldErrors.tooMany(path, value.length, schema.maxItems));
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    errors.push(fieldErrors.invalid(path, value.length, `${name} in body should have at least ${schema.minItems} items`));
  }
  if (schema.uniqueItems) {
    const seen: unknown[] = [];
    for (const item of value) {
      if (seen.some((s) => deepEqual(s, item))) {
        errors.push(fieldErrors.invalid(path, '', `${name} in body shouldn't contain duplicates`));
        break;
      }
      seen.push(item);
    }
  }
  if (!schema.items) return;
  const listType = schema['x-kubernetes-list-type'];
  const oldList = correlation?.old;
  value.forEach((item, i) => {
    // Only map lists (by key) and sets (by value) correlate items with the old list.
    let itemCorrelation: Correlation | undefined;
    if (Array.isArray(oldList) && listType === 'map') {
      const old = findByMapKeys(oldList, item, schema['x-kubernetes-list-map-keys'] ?? []);
      if (old !== undefined) itemCorrelation = { old };
    } else if (Array.isArray(oldList) && listType === 'set') {
      if (oldList.some((o) => deepEqual(o, item))) itemCorrelation = { old: item };
    }
    validateNode(item, schema.items as JSONSchemaProps, `${name}[${i}]`, itemCorrelation, errors);
  });
}

function validateObject(
  value: Record<string, unknown>,
  schema: JSONSchemaProps,
  name: string,
  correlation: Correlation | undefined,
  errors: FieldError[],
): void {
  const path = name || null;
  const oldObject = isPlainObject(correlation?.old) ? correlation.old : undefined;
  const childName = (key: string) => (name ? `${name}.${key}` : key);
  const keyCount = Object.keys(value).length;
  if (schema.maxProperties !== undefined && keyCount > schema.maxProperties) {
    errors.push(fieldErrors.tooMany(path, keyCount, schema.maxProperties));
  }
  if (schema.minProperties !== undefined && keyCount < schema.minProperties) {
    errors.push(fieldErrors.invalid(path, keyCount, `${name} in body should have at least ${schema.minProperties} properties`));
  }
  for (const key of schema.required ?? []) {
    if (!Object.hasOwn(value, key)) errors.push(fieldErrors.required(childName(key)));
  }
  const valueSchema = additionalPropertiesSchema(schema);
  for (const [key, child] of Object.entries(value)) {
    const propSchema = schema.properties?.[key] ?? valueSchema;
    if (!propSchema) continue;
    const childCorrelation = oldObject && Object.hasOwn(oldObject, key) ? { old: oldObject[key] } : undefined;
    validateNode(child, propSchema, childName(key), childCorrelation, errors);
  }
}

function validateComposition(value: unknown, schema: JSONSchemaProps, name: string, errors: FieldError[]): void {
  const path = name || null;
  const sub = (s: JSONSchemaProps) => {
    const errs: FieldError[] = [];
    validateNode(value, s, name, undefined, errs);
    return errs;
  };
  for (const s of schema.allOf ?? []) errors.push(...sub(s));
  if (schema.anyOf && schema.anyOf.length > 0) {
    const results = schema.anyOf.map(sub);
    if (!results.some((r) => r.length === 0)) {
      errors.push(...(results[0] ?? []));
      errors.push(fieldErrors.invalid(path, '', `${name} in body must validate at least one schema (anyOf)`));
    }
  }
  if (schema.oneOf && schema.oneOf.length > 0) {
    const passing = schema.oneOf.map(sub).filter((r) => r.length === 0).length;
    if (passing !== 1) {
      errors.push(fieldErrors.invalid(path, '', `${name} in body must validate one and only one schema (oneOf)`));
    }
  }
  if (schema.not && sub(schema.not).length === 0) {
    errors.push(fieldErrors.invalid(path, '', `${name} in body must not validate the schema (not)`));
  }
}

/**
 * Validates a custom resource against its version's openAPIV3Schema. `old` is
 * the stored object on update (enables ratcheting). apiVersion, kind and
 * metadata are implicit at the root and not validated here.
 */
export function validateAgainstSchema(obj: Record<string, unknown>, schema: JSONSchemaProps | undefined, old?: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  if (!schema) return errors;
  const rootSchema: JSONSchemaProps = { ...schema, properties: { ...(schema.properties ?? {}) } };
  delete rootSchema.properties?.metadata;
  delete rootSchema.properties?.apiVersion;
  delete rootSchema.properties?.kind;
  const { apiVersion: _a, kind: _k, metadata: _m, ...content } = obj;
  const oldContent = old ? (({ apiVersion: _oa, kind: _ok, metadata: _om, ...rest }) => rest)(old) : undefined;
  validateNode(content, rootSchema, '', oldContent ? { old: oldContent } : undefined, errors);
  return errors;
}

/** The error types after which the server skips CEL rules ("blocking" errors). */
export function hasBlockingError(errors: readonly FieldError[]): boolean {
  return errors.some(
    (e) =>
      e.type === 'FieldValueNotSupported' ||
      e.type === 'FieldValueRequired' ||
      e.type === 'FieldValueTooLong' ||
      e.type === 'FieldValueTooMany' ||
      e.type === 'FieldValueTypeInvalid',
  );
}

/** x-kubernetes-list-type map/set invariants (structurallisttype.ValidateListSetsAndMaps). */
export function validateListTypes(value: unknown, schema: JSONSchemaProps | undefined, path: string | null = null): FieldError[] {
  const errors: FieldError[] = [];
  const walk = (v: unknown, s: JSONSchemaProps | undefined, p: string | null) => {
    if (!s) return;
    if (Array.isArray(v)) {
      const listType = s['x-kubernetes-list-type'];
      if (listType === 'set') {
        const seen: unknown[] = [];
        v.forEach((item, i) => {
          if (seen.some((x) => deepEqual(x, item))) errors.push(fieldErrors.duplicate(`${p ?? ''}[${i}]`, item));
          else seen.push(item);
        });
      } else if (listType === 'map') {
        const keys = s['x-kubernetes-list-map-keys'] ?? [];
        const seen: unknown[] = [];
        v.forEach((item, i) => {
          if (!isPlainObject(item)) return;
          const keyValues: Record<string, unknown> = {};
          for (const k of keys) if (item[k] !== undefined) keyValues[k] = item[k];
          if (seen.some((x) => deepEqual(x, keyValues))) errors.push(fieldErrors.duplicate(`${p ?? ''}[${i}]`, keyValues));
          else seen.push(keyValues);
        });
      }
      v.forEach((item, i) => walk(item, s.items, `${p ?? ''}[${i}]`));
      return;
    }
    if (!isPlainObject(v)) return;
    const valueSchema = additionalPropertiesSchema(s);
    for (const [k, child] of Object.entries(v)) {
      if (s.properties?.[k]) walk(child, s.properties[k], p ? `${p}.${k}` : k);
      else if (valueSchema) walk(child, valueSchema, `${p ?? ''}[${k}]`);
    }
  };
  walk(value, schema, path);
  return errors;
}

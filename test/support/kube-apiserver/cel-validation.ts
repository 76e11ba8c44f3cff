// x-kubernetes-validations: CEL rules at any schema node, evaluated the way
// apiextensions-apiserver/pkg/apiserver/schema/cel/validation.go does:
// `self` is the value at the node, rules on absent (or null) values are not
// run, transition rules (those mentioning oldSelf) only run on update when
// the old value at the same path exists (correlated through object keys, maps
// and map-lists, never plain arrays) unless optionalOldSelf is set, and
// failures of unchanged values are downgraded to warnings (ratcheting).
import { celEnv, CelScalar, isCelError, parse, plan, type CelResult } from '@bufbuild/cel';
import { errorBody, fieldErrors, type FieldError, type FieldPath } from './field-errors.ts';
import { kubernetesCelFunctions, optionalNone, optionalOf, toCelValue } from './cel-library.ts';
import {
  additionalPropertiesSchema,
  deepEqual,
  findByMapKeys,
  isPlainObject,
  type JSONSchemaProps,
  type ValidationRule,
} from './schema.ts';

const env = celEnv({
  funcs: kubernetesCelFunctions,
  variables: { self: CelScalar.DYN, oldSelf: CelScalar.DYN },
});

type Program = (bindings: { self: unknown; oldSelf?: unknown }) => CelResult;

interface CompiledExpression {
  program?: Program;
  usesOldSelf: boolean;
  error?: string;
}

const compiled = new Map<string, CompiledExpression>();

function mentionsIdent(node: unknown, name: string): boolean {
  if (Array.isArray(node)) return node.some((n) => mentionsIdent(n, name));
  if (!node || typeof node !== 'object') return false;
  const record = node as Record<string, unknown>;
  if (record.case === 'identExpr' && (record.value as { name?: string } | undefined)?.name === name) return true;
  return Object.values(record).some((v) => typeof v === 'object' && mentionsIdent(v, name));
}

/** Parses and plans an expression once; parse failures are reported, not thrown. */
export function compileExpression(expression: string): CompiledExpression {
  let result = compiled.get(expression);
  if (!result) {
    try {
      const ast = parse(expression);
      const program = plan(env, ast) as unknown as Program;
      result = { program, usesOldSelf: mentionsIdent(ast.expr, 'oldSelf') };
    } catch (e) {
      result = { usesOldSelf: false, error: e instanceof Error ? e.message : String(e) };
    }
    compiled.set(expression, result);
  }
  return result;
}

/** Rule compilation problems in a schema, for rejecting the CRD at create/update time. */
export function ruleCompileErrors(schema: JSONSchemaProps | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const walk = (s: JSONSchemaProps | undefined, p: string) => {
    if (!s) return;
    (s['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
      const rulePath = `${p}.x-kubernetes-validations[${i}]`;
      const c = compileExpression(rule.rule ?? '');
      if (c.error) errors.push(fieldErrors.invalid(`${rulePath}.rule`, rule.rule, `compilation failed: ERROR: ${c.error}`));
      if (rule.messageExpression) {
        const m = compileExpression(rule.messageExpression);
        if (m.error) {
          errors.push(
            fieldErrors.invalid(`${rulePath}.messageExpression`, rule.messageExpression, `messageExpression compilation failed: ERROR: ${m.error}`),
          );
        }
      }
      if (c.usesOldSelf === false && rule.optionalOldSelf) {
        errors.push(
          fieldErrors.invalid(`${rulePath}.optionalOldSelf`, true, 'may not be set if oldSelf is not used in rule'),
        );
      }
    });
    for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, `${p}.properties[${k}]`);
    if (s.items) walk(s.items, `${p}.items`);
    const ap = additionalPropertiesSchema(s);
    if (ap) walk(ap, `${p}.additionalProperties`);
    (s.allOf ?? []).forEach((a, i) => walk(a, `${p}.allOf[${i}]`));
  };
  walk(schema, path);
  return errors;
}

/** Ratcheting state: the correlated old value at this node, and whether the nearest correlated ancestor is unchanged. */
interface Ratchet {
  current: { old: unknown } | undefined;
  parentUnchanged: boolean;
}

function shouldRatchet(value: unknown, ratchet: Ratchet): boolean {
  return ratchet.current ? deepEqual(value, ratchet.current.old) : ratchet.parentUnchanged;
}

function childRatchet(value: unknown, ratchet: Ratchet, oldChild: { old: unknown } | undefined): Ratchet {
  if (!ratchet.current) return ratchet;
  return { current: oldChild, parentUnchanged: deepEqual(value, ratchet.current.old) };
}

function ruleErrorString(rule: ValidationRule): string {
  return rule.message ? rule.message.trim() : rule.rule.trim();
}

function ruleMessageOrDefault(rule: ValidationRule): string {
  return rule.message ? rule.message.trim() : `failed rule: ${ruleErrorString(rule)}`;
}

/** cel-go's wording for the runtime errors users see in messages. */
function celErrorText(message: string): string {
  const noKey = /^field not found: (.*)$/.exec(message);
  if (noKey) return `no such key: ${noKey[1]}`;
  return message;
}

function normalizeFieldPath(fieldPath: string): string {
  return fieldPath
    .replace(/^\./, '')
    .replace(/\['((?:[^'\\]|\\.)*)'\]/g, (_m, key: string) => `[${key.replace(/\\'/g, "'")}]`)
    .replace(/\.\[/g, '[');
}

function errorForReason(path: FieldPath, value: string, detail: string, reason: ValidationRule['reason']): FieldError {
  switch (reason) {
    case 'FieldValueForbidden':
      return fieldErrors.forbidden(path, detail);
    case 'FieldValueRequired':
      return fieldErrors.required(path, detail);
    case 'FieldValueDuplicate':
      return fieldErrors.duplicate(path, value);
    default:
      return fieldErrors.invalid(path, value, detail);
  }
}

function messageFromExpression(expression: string, bindings: { self: unknown; oldSelf?: unknown }): string | undefined {
  const c = compileExpression(expression);
  if (!c.program) return undefined;
  let result: CelResult;
  try {
    result = c.program(bindings);
  } catch {
    return undefined;
  }
  if (isCelError(result) || typeof result !== 'string') return undefined;
  const trimmed = result.trim();
  if (trimmed.length === 0 || /\n/.test(trimmed) || trimmed.length > 5 * 1024) return undefined;
  return trimmed;
}

interface Outcome {
  errors: FieldError[];
  warnings: string[];
}

function evaluateRules(
  rules: readonly ValidationRule[],
  schema: JSONSchemaProps,
  value: unknown,
  old: { old: unknown } | undefined,
  path: FieldPath,
  isResourceRoot: boolean,
  ratchet: Ratchet,
  out: Outcome,
): void {
  const typeName = schema.type ?? '';
  const self = toCelValue(value, schema, isResourceRoot);
  const oldSelf = old ? toCelValue(old.old, schema, isResourceRoot) : undefined;
  for (const rule of rules) {
    const c = compileExpression(rule.rule ?? '');
    if (c.error || !c.program) {
      out.errors.push(fieldErrors.invalid(path, typeName, `rule compile error: compilation failed: ERROR: ${c.error}`));
      continue;
    }
    const optionalOld = rule.optionalOldSelf === true;
    if (c.usesOldSelf && !old && !optionalOld) continue;
    const bindings = optionalOld
      ? { self, oldSelf: old ? optionalOf(oldSelf) : optionalNone() }
      : { self, oldSelf: oldSelf ?? null };
    let result: CelResult;
    try {
      result = c.program(bindings);
    } catch (e) {
      result = e as CelResult;
    }
    if (isCelError(result) || result instanceof Error) {
      const message = celErrorText((result as Error).message);
      if (/no matching overload|no such overload/.test(message)) {
        out.errors.push(
          fieldErrors.invalid(
            path,
            typeName,
            `'no such overload': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule)}`,
          ),
        );
      } else {
        out.errors.push(fieldErrors.invalid(path, typeName, `${message} evaluating rule: ${ruleErrorString(rule)}`));
      }
      continue;
    }
    if (result === true) continue;
    const errorPath = rule.fieldPath
      ? path
        ? `${path}.${normalizeFieldPath(rule.fieldPath)}`
        : normalizeFieldPath(rule.fieldPath)
      : path;
    const detail =
      (rule.messageExpression ? messageFromExpression(rule.messageExpression, { self, oldSelf: oldSelf ?? null }) : undefined) ??
      ruleMessageOrDefault(rule);
    const error = errorForReason(errorPath, typeName, detail, rule.reason);
    if (!c.usesOldSelf && shouldRatchet(value, ratchet)) {
      out.warnings.push(`${error.field}: ${errorBody(error)}`);
    } else {
      out.errors.push(error);
    }
  }
}

function validateNode(
  value: unknown,
  schema: JSONSchemaProps,
  old: { old: unknown } | undefined,
  path: FieldPath,
  isResourceRoot: boolean,
  ratchet: Ratchet,
  out: Outcome,
): void {
  if (value === null || value === undefined) return;
  const rules = schema['x-kubernetes-validations'] ?? [];
  if (rules.length > 0) evaluateRules(rules, schema, value, old, path, isResourceRoot, ratchet, out);
  for (const sub of schema.allOf ?? []) {
    const subRules = sub['x-kubernetes-validations'] ?? [];
    if (subRules.length > 0) {
      evaluateRules(subRules, { ...schema, ...sub }, value, old, path, isResourceRoot, { current: undefined, parentUnchanged: ratchet.parentUnchanged }, out);
    }
  }

  if (Array.isArray(value)) {
    if (!schema.items) return;
    const listType = schema['x-kubernetes-list-type'];
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    value.forEach((item, i) => {
      // Only map-lists correlate items for oldSelf; sets also correlate for ratcheting.
      let oldItem: { old: unknown } | undefined;
      let ratchetItem: { old: unknown } | undefined;
      if (old && Array.isArray(old.old) && listType === 'map') {
        const found = findByMapKeys(old.old, item, keys);
        if (found !== undefined) oldItem = ratchetItem = { old: found };
      } else if (ratchet.current && Array.isArray(ratchet.current.old) && listType === 'set') {
        if (ratchet.current.old.some((o) => deepEqual(o, item))) ratchetItem = { old: item };
      }
      validateNode(item, schema.items as JSONSchemaProps, oldItem, `${path ?? ''}[${i}]`, false, childRatchet(value, ratchet, ratchetItem), out);
    });
    return;
  }
  if (!isPlainObject(value)) return;
  const correlatable = schema['x-kubernetes-map-type'] !== 'atomic';
  const oldObject = old && correlatable && isPlainObject(old.old) ? old.old : undefined;
  const ratchetObject = ratchet.current && isPlainObject(ratchet.current.old) ? ratchet.current.old : undefined;
  const valueSchema = additionalPropertiesSchema(schema);
  for (const [key, child] of Object.entries(value)) {
    if (isResourceRoot && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
    const propSchema = schema.properties?.[key];
    const childSchema = propSchema ?? valueSchema;
    if (!childSchema) continue;
    const childPathText = propSchema ? (path ? `${path}.${key}` : key) : `${path ?? ''}[${key}]`;
    const oldChild = oldObject && Object.hasOwn(oldObject, key) ? { old: oldObject[key] } : undefined;
    const ratchetChild = ratchetObject && Object.hasOwn(ratchetObject, key) ? { old: ratchetObject[key] } : undefined;
    validateNode(child, childSchema, oldChild, childPathText, false, childRatchet(value, ratchet, ratchetChild), out);
  }
}

/**
 * Runs every x-kubernetes-validations rule in `schema` against `obj` (and, on
 * update, `old`). Returns errors, plus warnings for ratcheted failures.
 */
export function validateCelRules(
  obj: Record<string, unknown>,
  schema: JSONSchemaProps | undefined,
  old?: Record<string, unknown>,
): Outcome {
  const out: Outcome = { errors: [], warnings: [] };
  if (!schema) return out;
  const ratchet: Ratchet = { current: old ? { old } : undefined, parentUnchanged: false };
  validateNode(obj, schema, old ? { old } : undefined, null, true, ratchet, out);
  return out;
}

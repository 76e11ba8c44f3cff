// The CEL evaluator and its Kubernetes semantics, tested directly (no HTTP):
// value typing, correlation for transition rules, optionalOldSelf,
// ratcheting, property-name escaping, error wording, library functions.
import { describe, expect, it } from 'vitest';
import { validateCelRules } from '../../support/kube-apiserver/cel-validation.ts';
import { errorString } from '../../support/kube-apiserver/field-errors.ts';
import type { JSONSchemaProps, ValidationRule } from '../../support/kube-apiserver/schema.ts';

function root(spec: JSONSchemaProps, rootRules: ValidationRule[] = []): JSONSchemaProps {
  return { type: 'object', properties: { spec }, 'x-kubernetes-validations': rootRules };
}

function run(schema: JSONSchemaProps, spec: unknown, oldSpec?: unknown) {
  const obj = { apiVersion: 'test.example.io/v1', kind: 'Widget', metadata: { name: 'w' }, spec };
  const old = oldSpec === undefined ? undefined : { ...obj, spec: oldSpec };
  const out = validateCelRules(obj, schema, old);
  return { errors: out.errors.map(errorString), warnings: out.warnings };
}

describe('CEL rules', () => {
  it('binds integers as int, numbers as double, date-times as timestamps', () => {
    const schema = root({
      type: 'object',
      properties: { size: { type: 'integer' }, ratio: { type: 'number' }, at: { type: 'string', format: 'date-time' } },
      'x-kubernetes-validations': [
        { rule: 'self.size + 1 == 4' },
        { rule: 'self.ratio * 2.0 == 3.0' },
        { rule: "self.at < timestamp('2030-01-01T00:00:00Z')" },
      ],
    });
    expect(run(schema, { size: 3, ratio: 1.5, at: '2024-01-01T00:00:00Z' }).errors).toEqual([]);
  });

  it('evaluates transition rules only where an old value correlates (objects, maps, map-lists)', () => {
    const immutable: ValidationRule[] = [{ rule: 'self == oldSelf', message: 'immutable' }];
    const schema = root({
      type: 'object',
      properties: {
        labels: { type: 'object', additionalProperties: { type: 'string', 'x-kubernetes-validations': immutable } },
        keyed: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', properties: { name: { type: 'string' }, v: { type: 'string', 'x-kubernetes-validations': immutable } } },
        },
        plain: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': immutable } },
      },
    });
    const old = { labels: { a: '1' }, keyed: [{ name: 'x', v: '1' }], plain: ['1'] };
    expect(run(schema, { labels: { a: '2', b: 'new' }, keyed: [{ name: 'y', v: '9' }, { name: 'x', v: '2' }], plain: ['2'] }, old).errors).toEqual([
      'spec.labels[a]: Invalid value: "string": immutable',
      'spec.keyed[1].v: Invalid value: "string": immutable',
    ]);
    expect(run(schema, { labels: { a: '2' } }).errors).toEqual([]); // create: no oldSelf anywhere
  });

  it('runs optionalOldSelf rules on create with oldSelf = optional.none()', () => {
    const schema = root({
      type: 'object',
      properties: {
        level: {
          type: 'integer',
          'x-kubernetes-validations': [
            { rule: '!oldSelf.hasValue() || self >= oldSelf.value()', message: 'level may only grow', optionalOldSelf: true },
            { rule: 'oldSelf.hasValue() || self == 1', message: 'start at level 1', optionalOldSelf: true },
          ],
        },
      },
    });
    expect(run(schema, { level: 2 }).errors).toEqual(['spec.level: Invalid value: "integer": start at level 1']);
    expect(run(schema, { level: 1 }, { level: 3 }).errors).toEqual(['spec.level: Invalid value: "integer": level may only grow']);
    expect(run(schema, { level: 4 }, { level: 3 }).errors).toEqual([]);
  });

  it('ratchets failures of unchanged values into warnings (rules without oldSelf)', () => {
    const schema = root({
      type: 'object',
      properties: { name: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.lowerAscii() == self', message: 'must be lowercase' }] }, size: { type: 'integer' } },
    });
    const result = run(schema, { name: 'UPPER', size: 2 }, { name: 'UPPER', size: 1 });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual(['spec.name: Invalid value: "string": must be lowercase']);
    expect(run(schema, { name: 'OTHER', size: 2 }, { name: 'UPPER', size: 1 }).errors).toEqual(['spec.name: Invalid value: "string": must be lowercase']);
  });

  it('escapes property names CEL cannot spell', () => {
    const schema = root({
      type: 'object',
      properties: { 'foo-bar': { type: 'string' }, namespace: { type: 'string' } },
      'x-kubernetes-validations': [{ rule: "self.foo__dash__bar == 'x' && self.__namespace__ == 'y'" }],
    });
    expect(run(schema, { 'foo-bar': 'x', namespace: 'y' }).errors).toEqual([]);
  });

  it('sees apiVersion, kind and metadata.name at the root; root errors have no field path', () => {
    const schema = root({ type: 'object' }, [{ rule: "self.metadata.name.startsWith('x')", message: 'names start with x' }]);
    expect(run(schema, {}).errors).toEqual(['<nil>: Invalid value: "object": names start with x']);
  });

  it('words runtime errors like cel-go', () => {
    const schema = root({ type: 'object', properties: { a: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.b == 1' }] });
    expect(run(schema, { a: 1 }).errors).toEqual(['spec: Invalid value: "object": no such key: b evaluating rule: self.b == 1']);
  });

  it('falls back to the default message when messageExpression fails, and honours reasons', () => {
    const schema = root({
      type: 'object',
      properties: {
        a: { type: 'string', 'x-kubernetes-validations': [{ rule: "self != 'bad'", messageExpression: 'self.nope' }] },
        b: { type: 'string', 'x-kubernetes-validations': [{ rule: "self != 'dup'", reason: 'FieldValueDuplicate' }] },
        c: { type: 'string', 'x-kubernetes-validations': [{ rule: "self != ''", reason: 'FieldValueRequired', message: 'c must not be empty' }] },
      },
    });
    expect(run(schema, { a: 'bad', b: 'dup', c: '' }).errors).toEqual([
      `spec.a: Invalid value: "string": failed rule: self != 'bad'`,
      'spec.b: Duplicate value: "string"',
      'spec.c: Required value: c must not be empty',
    ]);
  });

  it('provides the Kubernetes list, regex and string library functions', () => {
    const schema = root({
      type: 'object',
      properties: { xs: { type: 'array', items: { type: 'integer' } }, s: { type: 'string' } },
      'x-kubernetes-validations': [
        { rule: 'self.xs.isSorted() && self.xs.sum() == 6 && self.xs.min() == 1 && self.xs.max() == 3 && self.xs.indexOf(2) == 1' },
        { rule: "self.s.find('[0-9]+') == '42' && self.s.findAll('[a-z]').size() == 3" },
        { rule: "self.s.upperAscii().startsWith('ABC') && self.s.split('-').size() == 2 && self.s.contains('c-4')" },
        { rule: "self.s.matches('^[a-z]+-[0-9]+$') && self.xs.exists(x, x == 2) && self.xs.all(x, x > 0)" },
      ],
    });
    expect(run(schema, { xs: [1, 2, 3], s: 'abc-42' }).errors).toEqual([]);
  });
});

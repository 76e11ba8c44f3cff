// Small pieces whose output users read: Go value formatting in messages,
// kubectl's ages, printer-column JSONPath, selectors.
import { describe, expect, it } from 'vitest';
import { fieldErrors, errorString, goNumber } from '../../support/kube-apiserver/field-errors.ts';
import { evaluateJSONPath, parseJSONPath } from '../../support/kube-apiserver/jsonpath.ts';
import { parseFieldSelector, parseLabelSelector } from '../../support/kube-apiserver/selectors.ts';
import { humanDuration } from '../../support/kube-apiserver/table.ts';

describe('Go formatting', () => {
  it('prints numbers as %v does', () => {
    expect(goNumber(3)).toBe('3');
    expect(goNumber(0.5)).toBe('0.5');
    expect(goNumber(1234567.5)).toBe('1.2345675e+06');
    expect(goNumber(0.00001)).toBe('1e-05');
  });

  it('formats field errors like field.Error', () => {
    expect(errorString(fieldErrors.invalid('spec.a', 'x', 'bad'))).toBe('spec.a: Invalid value: "x": bad');
    expect(errorString(fieldErrors.invalid(null, null, 'root'))).toBe('<nil>: Invalid value: "null": root');
    expect(errorString(fieldErrors.duplicate('spec.l[1]', { name: 'a', n: 1 }))).toBe('spec.l[1]: Duplicate value: map[string]interface {}{"n":1, "name":"a"}');
    expect(errorString(fieldErrors.tooMany('spec.l', 4, 3))).toBe('spec.l: Too many: 4: must have at most 3 items');
  });
});

describe('humanDuration (kubectl AGE)', () => {
  it.each([
    [5_000, '5s'],
    [119_000, '119s'],
    [150_000, '2m30s'],
    [600_000, '10m'],
    [3 * 3_600_000 + 5 * 60_000, '3h5m'],
    [30 * 3_600_000, '30h'],
    [3 * 86_400_000 + 4 * 3_600_000, '3d4h'],
    [40 * 86_400_000, '40d'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('JSONPath', () => {
  const obj = { status: { conditions: [{ type: 'Synced', status: 'False' }, { type: 'Ready', status: 'True' }] }, metadata: { labels: { 'app.kubernetes.io/name': 'x' } } };
  it('selects fields, indexes, filters and quoted keys', () => {
    expect(evaluateJSONPath(parseJSONPath('.status.conditions[?(@.type=="Ready")].status'), obj)).toEqual(['True']);
    expect(evaluateJSONPath(parseJSONPath('.status.conditions[0].type'), obj)).toEqual(['Synced']);
    expect(evaluateJSONPath(parseJSONPath('.status.conditions[*].type'), obj)).toEqual(['Synced', 'Ready']);
    expect(evaluateJSONPath(parseJSONPath("{.metadata.labels['app.kubernetes.io/name']}"), obj)).toEqual(['x']);
    expect(evaluateJSONPath(parseJSONPath('.spec.missing'), obj)).toEqual([]);
  });
});

describe('selectors', () => {
  it('parses label selector operators', () => {
    const s = parseLabelSelector('env in (prod,staging),tier!=db,!legacy,version>2');
    expect(s.matches({ env: 'prod', tier: 'web', version: '3' })).toBe(true);
    expect(s.matches({ env: 'prod', tier: 'web', version: '3', legacy: '' })).toBe(false);
    expect(s.matches({ env: 'dev', version: '3' })).toBe(false);
  });

  it('parses field selectors with escapes', () => {
    const s = parseFieldSelector('metadata.name=a\\,b,metadata.namespace!=x');
    expect(s.matches({ 'metadata.name': 'a,b', 'metadata.namespace': 'y' })).toBe(true);
  });
});

// Label and field selectors as parsed by k8s.io/apimachinery/pkg/labels and
// pkg/fields. List and watch filter with them; a malformed selector is a 400.
import { badRequest } from './status.ts';

type LabelOperator = 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';

interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export interface LabelSelector {
  matches(labels: Record<string, string> | undefined): boolean;
  readonly empty: boolean;
}

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  matches(fields: Record<string, string>): boolean;
}

/** Splits on commas that are not inside `( )`. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function parseRequirement(text: string): LabelRequirement {
  const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (setMatch) {
    const values = (setMatch[3] ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v.length > 0);
    return checkKey({ key: setMatch[1] as string, operator: setMatch[2] as LabelOperator, values });
  }
  if (text.startsWith('!')) return checkKey({ key: text.slice(1).trim(), operator: '!', values: [] });
  const opMatch = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(text);
  if (opMatch) {
    const op = opMatch[2] as string;
    const operator: LabelOperator = op === '==' || op === '=' ? '=' : op === '!=' ? '!=' : op === '>' ? 'gt' : 'lt';
    return checkKey({ key: opMatch[1] as string, operator, values: [(opMatch[3] ?? '').trim()] });
  }
  if (/^[^=!<>\s()]+$/.test(text)) return checkKey({ key: text, operator: 'exists', values: [] });
  throw badRequest(`unable to parse requirement: found '${text}', expected: !, =, ==, !=, in, notin, gt or lt`);
}

function checkKey(req: LabelRequirement): LabelRequirement {
  if (!LABEL_KEY.test(req.key)) {
    throw badRequest(
      `unable to parse requirement: <nil>: Invalid value: "${req.key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
  }
  return req;
}

function requirementMatches(req: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, req.key);
  const value = labels[req.key];
  switch (req.operator) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
      return has && value === req.values[0];
    case '!=':
      return !has || value !== req.values[0];
    case 'in':
      return has && req.values.includes(value as string);
    case 'notin':
      return !has || !req.values.includes(value as string);
    case 'gt':
    case 'lt': {
      if (!has) return false;
      const actual = Number(value);
      const bound = Number(req.values[0]);
      if (!Number.isFinite(actual) || !Number.isFinite(bound)) return false;
      return req.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

export function parseLabelSelector(selector: string | null | undefined): LabelSelector {
  const requirements = splitTopLevel(selector ?? '').map(parseRequirement);
  return {
    empty: requirements.length === 0,
    matches: (labels) => requirements.every((r) => requirementMatches(r, labels ?? {})),
  };
}

/** Field selector values may escape `,`, `=` and `\` with a backslash. */
function unescapeFieldValue(value: string): string {
  return value.replace(/\\([,=\\])/g, '$1');
}

function splitFieldTerms(selector: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i] as string;
    if (ch === '\\' && i + 1 < selector.length) {
      current += ch + selector[i + 1];
      i++;
    } else if (ch === ',') {
      terms.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current);
  return terms.filter((t) => t.length > 0);
}

export function parseFieldSelector(selector: string | null | undefined): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const term of splitFieldTerms(selector ?? '')) {
    const match = /^([^=!]+)(==|=|!=)(.*)$/.exec(term);
    if (!match) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    requirements.push({
      field: (match[1] as string).trim(),
      operator: match[2] === '!=' ? '!=' : '=',
      value: unescapeFieldValue(match[3] as string),
    });
  }
  return {
    requirements,
    matches: (fields) =>
      requirements.every((r) => (r.operator === '=' ? fields[r.field] === r.value : fields[r.field] !== r.value)),
  };
}

/** Rejects field labels the resource does not index, with the server's message. */
export function checkFieldLabels(selector: FieldSelector, supported: ReadonlySet<string>): void {
  for (const r of selector.requirements) {
    if (!supported.has(r.field)) throw badRequest(`field label not supported: ${r.field}`);
  }
}

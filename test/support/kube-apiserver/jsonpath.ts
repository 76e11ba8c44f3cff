// The subset of Kubernetes JSONPath that printer columns use:
// `.a.b`, `.a[0].b`, `.a[*].b`, `.a['dotted.key']`, and filters such as
// `.status.conditions[?(@.type=="Ready")].status`. Missing keys yield no
// results (the table convertor sets AllowMissingKeys).

type Segment =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: string[]; op: string | undefined; literal: unknown };

function parseLiteral(text: string): unknown {
  const t = text.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  if (t === 'true' || t === 'false') return t === 'true';
  if (t === 'null') return null;
  const n = Number(t);
  return Number.isNaN(n) ? t : n;
}

export function parseJSONPath(expression: string): Segment[] {
  let text = expression.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1);
  if (text.startsWith('$')) text = text.slice(1);
  const segments: Segment[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '.') {
      i++;
      let name = '';
      while (i < text.length && text[i] !== '.' && text[i] !== '[') name += text[i++];
      if (name === '*') segments.push({ kind: 'wildcard' });
      else if (name) segments.push({ kind: 'field', name });
      continue;
    }
    if (ch === '[') {
      const end = findClosingBracket(text, i);
      const inner = text.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') segments.push({ kind: 'wildcard' });
      else if (/^-?\d+$/.test(inner)) segments.push({ kind: 'index', index: Number(inner) });
      else if (inner.startsWith('?(') && inner.endsWith(')')) segments.push(parseFilter(inner.slice(2, -1)));
      else segments.push({ kind: 'field', name: String(parseLiteral(inner)) });
      continue;
    }
    throw new Error(`unrecognized character in action: ${JSON.stringify(ch)}`);
  }
  return segments;
}

function findClosingBracket(text: string, open: number): number {
  let quote: string | undefined;
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ']') return i;
  }
  throw new Error('unterminated array');
}

function parseFilter(body: string): Segment {
  const m = /^@((?:\.[^.=!<>\s]+)+)\s*(==|!=|<=|>=|<|>)?\s*(.*)$/.exec(body.trim());
  if (!m) throw new Error(`unrecognized filter: ${body}`);
  const path = (m[1] as string).split('.').filter((p) => p.length > 0);
  return { kind: 'filter', path, op: m[2], literal: m[2] ? parseLiteral(m[3] as string) : undefined };
}

function get(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const p of path) {
    if (!current || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[p];
  }
  return current;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return (a as number) < (b as number);
    case '>':
      return (a as number) > (b as number);
    case '<=':
      return (a as number) <= (b as number);
    case '>=':
      return (a as number) >= (b as number);
    default:
      return false;
  }
}

/** All values the path selects, in document order. */
export function evaluateJSONPath(segments: readonly Segment[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const seg of segments) {
    const next: unknown[] = [];
    for (const value of current) {
      switch (seg.kind) {
        case 'field':
          if (value && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, seg.name)) {
            next.push((value as Record<string, unknown>)[seg.name]);
          }
          break;
        case 'index':
          if (Array.isArray(value)) {
            const idx = seg.index < 0 ? value.length + seg.index : seg.index;
            if (idx >= 0 && idx < value.length) next.push(value[idx]);
          }
          break;
        case 'wildcard':
          if (Array.isArray(value)) next.push(...value);
          else if (value && typeof value === 'object') next.push(...Object.values(value));
          break;
        case 'filter':
          if (Array.isArray(value)) {
            for (const item of value) {
              const actual = get(item, seg.path);
              if (seg.op === undefined ? actual !== undefined : compare(seg.op, actual, seg.literal)) next.push(item);
            }
          }
          break;
      }
    }
    current = next;
  }
  return current;
}

// Field-level validation errors (k8s.io/apimachinery/pkg/util/validation/field),
// formatted byte-for-byte like the Go implementation of kube-apiserver 1.32:
// kubectl prints these strings to users, so they are part of the contract.

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

/** A value printed verbatim, for Go values whose %#v form we spell out (e.g. `0x0`). */
export class GoLiteral {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** Marks an error whose value is left out of the message (field.omitValue). */
export const OMIT_VALUE: unique symbol = Symbol('omitValue');

export interface FieldError {
  type: FieldErrorType;
  /** field.Path.String(): `spec.items[0].name`, or `<nil>` for the root. */
  field: string;
  badValue: unknown;
  detail: string;
}

/** A field path in construction: `null` is the nil *field.Path (root of the object). */
export type FieldPath = string | null;

export function pathString(path: FieldPath): string {
  return path ?? '<nil>';
}

export function childPath(path: FieldPath, name: string): string {
  return path ? `${path}.${name}` : name;
}

export function indexPath(path: FieldPath, index: number): string {
  return `${path ?? ''}[${index}]`;
}

export function keyPath(path: FieldPath, key: string): string {
  return `${path ?? ''}[${key}]`;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

function make(type: FieldErrorType, path: FieldPath, badValue: unknown, detail: string): FieldError {
  return { type, field: pathString(path), badValue, detail };
}

export const fieldErrors = {
  invalid: (path: FieldPath, value: unknown, detail: string) => make('FieldValueInvalid', path, value, detail),
  typeInvalid: (path: FieldPath, value: unknown, detail: string) => make('FieldValueTypeInvalid', path, value, detail),
  required: (path: FieldPath, detail = '') => make('FieldValueRequired', path, '', detail),
  forbidden: (path: FieldPath, detail: string) => make('FieldValueForbidden', path, '', detail),
  duplicate: (path: FieldPath, value: unknown) => make('FieldValueDuplicate', path, value, ''),
  notFound: (path: FieldPath, value: unknown) => make('FieldValueNotFound', path, value, ''),
  notSupported: (path: FieldPath, value: unknown, validValues: readonly string[]) =>
    make(
      'FieldValueNotSupported',
      path,
      value,
      validValues.length > 0 ? `supported values: ${validValues.map((v) => goQuote(v)).join(', ')}` : '',
    ),
  tooLong: (path: FieldPath, value: unknown, maxLength: number) =>
    make('FieldValueTooLong', path, value, `may not be more than ${maxLength} bytes`),
  tooMany: (path: FieldPath, actual: number, max: number) =>
    make(
      'FieldValueTooMany',
      path,
      actual >= 0 ? actual : OMIT_VALUE,
      max >= 0 ? `must have at most ${max} items` : 'has too many items',
    ),
  internal: (path: FieldPath, cause: string) => make('InternalError', path, null, cause),
};

/** Go's %q for strings (strconv.Quote): JSON escaping is the same for the characters we meet. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u007f/g, '\\x7f');
}

/**
 * Go's %v for a decoded JSON number. Integral values decode to int64 and print
 * plainly; others are float64 printed with strconv 'g' shortest, which
 * switches to exponent form below 1e-4 and from 1e6 on.
 */
export function goNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const [mantissa, expText] = n.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

/** Go's %#v of a decoded JSON value (map[string]interface {}, []interface {}, ...). */
export function goSyntax(value: unknown): string {
  if (value === null || value === undefined) return 'interface {}(nil)';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return goNumber(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSyntax).join(', ')}}`;
  if (value instanceof GoLiteral) return value.text;
  const entries = Object.keys(value as object)
    .sort()
    .map((k) => `${goQuote(k)}:${goSyntax((value as Record<string, unknown>)[k])}`);
  return `map[string]interface {}{${entries.join(', ')}}`;
}

/** field.Error.ErrorBody(): the message without the field name. */
export function errorBody(e: FieldError): string {
  let s: string;
  if (
    e.type === 'FieldValueRequired' ||
    e.type === 'FieldValueForbidden' ||
    e.type === 'FieldValueTooLong' ||
    e.type === 'InternalError' ||
    e.badValue === OMIT_VALUE
  ) {
    s = TYPE_TEXT[e.type];
  } else {
    const value = e.badValue;
    const text = TYPE_TEXT[e.type];
    if (value === null || value === undefined) s = `${text}: "null"`;
    else if (typeof value === 'string') s = `${text}: ${goQuote(value)}`;
    else if (typeof value === 'number') s = `${text}: ${goNumber(value)}`;
    else if (typeof value === 'boolean') s = `${text}: ${value}`;
    else s = `${text}: ${goSyntax(value)}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** field.Error.Error(): `<field>: <body>`. */
export function errorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/**
 * ErrorList.ToAggregate().Error(): duplicates dropped, a single error printed
 * bare, several wrapped in brackets.
 */
export function aggregateMessage(errors: readonly FieldError[]): string {
  const seen = new Set<string>();
  const messages: string[] = [];
  for (const e of errors) {
    const msg = errorString(e);
    if (seen.has(msg)) continue;
    seen.add(msg);
    messages.push(msg);
  }
  if (messages.length === 0) return '';
  if (messages.length === 1) return messages[0] as string;
  return `[${messages.join(', ')}]`;
}

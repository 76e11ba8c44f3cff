import { z } from 'zod';
import { formatDuration, parseDuration } from './duration.ts';

/**
 * Parsers for the raw strings that flags and environment variables carry. Each one
 * knows how to describe what it expects, so every invalid value gets the same kind
 * of message: `--flag: expected <expected>, got "<raw>"`.
 */
export interface ValueParser<T> {
  /** Boolean flags may stand alone (`--leader-elect`) or be negated (`--no-leader-elect`). */
  readonly isBoolean: boolean;
  /** Placeholder shown in --help, e.g. `int`, `duration`. */
  readonly valueName: string;
  /** Completes "expected ...", e.g. `an integer between 1 and 256`. */
  readonly expected: string;
  /** Converts and validates the raw string. */
  readonly schema: z.ZodType<T, string>;
}

export interface BindAddress {
  host: string;
  port: number;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function parser<T>(valueName: string, expected: string, schema: z.ZodType<T, string>, isBoolean = false): ValueParser<T> {
  return { isBoolean, valueName, expected, schema };
}

export function integer(min: number, max: number): ValueParser<number> {
  return parser(
    'int',
    `an integer between ${min} and ${max}`,
    z
      .string()
      .regex(/^[+-]?\d+$/)
      .transform(Number)
      .pipe(z.number().int().min(min).max(max)),
  );
}

export function positiveNumber(max: number): ValueParser<number> {
  return parser(
    'number',
    `a number greater than 0 and at most ${max}`,
    z
      .string()
      .regex(/^\+?(\d+\.?\d*|\.\d+)$/)
      .transform(Number)
      .pipe(z.number().positive().max(max)),
  );
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 't', 'y']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'f', 'n']);

export const boolean: ValueParser<boolean> = parser(
  'bool',
  'true or false',
  z
    .string()
    .transform((raw) => raw.trim().toLowerCase())
    .refine((word) => TRUE_WORDS.has(word) || FALSE_WORDS.has(word))
    .transform((word) => TRUE_WORDS.has(word)),
  true,
);

/** A Go-style duration, converted to milliseconds, within [minMs, maxMs]. */
export function duration(minMs: number, maxMs: number): ValueParser<number> {
  return parser(
    'duration',
    `a duration between ${formatDuration(minMs)} and ${formatDuration(maxMs)}, such as 15s, 5m or 1h30m`,
    z
      .string()
      .transform((raw, ctx) => {
        try {
          return parseDuration(raw);
        } catch {
          ctx.addIssue({ code: 'custom', message: 'not a duration' });
          return z.NEVER;
        }
      })
      .pipe(z.number().min(minMs).max(maxMs)),
  );
}

export function oneOf<const T extends readonly [string, ...string[]]>(valueName: string, values: T): ValueParser<T[number]> {
  return parser(valueName, `one of ${values.join(', ')}`, z.string().pipe(z.enum(values)));
}

export function text(maxLength = 1024): ValueParser<string> {
  return parser('string', `a non-empty string of at most ${maxLength} characters`, z.string().min(1).max(maxLength));
}

/** A Kubernetes namespace name. */
export const dnsLabel: ValueParser<string> = parser(
  'name',
  'a namespace name: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
  z.string().max(63).regex(DNS_LABEL),
);

/** A Kubernetes object name (Lease, ClusterProviderConfig). */
export const dnsSubdomain: ValueParser<string> = parser(
  'name',
  'an object name: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters',
  z.string().max(253).regex(DNS_SUBDOMAIN),
);

/**
 * `host:port`, `:port` (all interfaces) or `[ipv6]:port`. Port 0 picks a free port,
 * which is only useful in tests.
 */
export const bindAddress: ValueParser<BindAddress> = parser(
  'host:port',
  'host:port, such as 0.0.0.0:8080, :8080 or [::]:8080',
  z
    .string()
    .regex(/^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]*):\d{1,5}$/)
    .transform((raw) => {
      const colon = raw.lastIndexOf(':');
      const host = raw.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
      return { host: host === '' ? '0.0.0.0' : host, port: Number(raw.slice(colon + 1)) };
    })
    .pipe(z.object({ host: z.string(), port: z.number().int().min(0).max(65535) })),
);

export function formatBindAddress(address: BindAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

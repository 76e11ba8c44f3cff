import { pino, type Logger } from 'pino';
import { createPrettyDestination, type LogDestination } from './pretty-destination.ts';
import { REDACTED, REDACT_PATHS, redactSecrets } from './redact.ts';
import { containsSecret, scrubSecrets } from './scrub-secrets.ts';

export type { Logger } from 'pino';
export type { LogDestination } from './pretty-destination.ts';
// The helpers for text and objects that do not pass through the logger (status, Events).
export { redactSecretObject, redactSecrets } from './redact.ts';
export { scrubSecrets } from './scrub-secrets.ts';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface LoggerOptions {
  level: LogLevel;
  /** Human-readable lines instead of JSON; for local development. */
  pretty?: boolean;
  /** Where lines go; stdout when omitted. Tests pass an in-memory sink. */
  destination?: LogDestination;
  /**
   * Current secret values (database passwords, cloud keys) the operator has read.
   * Any line containing one is scrubbed before it is written, whatever field or
   * error message it hides in. Called per line that might contain one, so keep it cheap.
   */
  knownSecrets?: () => Iterable<string>;
}

/**
 * Creates the operator's logger: JSON lines with level names, ISO timestamps and
 * three layers against leaking secrets:
 * 1. secret-bearing fields are redacted by key name at any depth (redact.ts),
 *    and Kubernetes Secrets lose their data;
 * 2. pino's redact paths cover the same names in child-logger bindings;
 * 3. with `knownSecrets`, any known secret value is scrubbed from the final line.
 */
export function createLogger(options: LoggerOptions): Logger {
  const { knownSecrets } = options;
  const pinoOptions = {
    level: options.level,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label: string) => ({ level: label }),
      log: (object: Record<string, unknown>) => redactSecrets(object),
    },
    ...(knownSecrets ? { hooks: { streamWrite: (line: string) => scrubLogLine(line, [...knownSecrets()]) } } : {}),
  };
  const destination = options.pretty
    ? createPrettyDestination(options.destination ?? process.stdout)
    : options.destination;
  return destination ? pino(pinoOptions, destination) : pino(pinoOptions);
}

/** Scrubs known secrets from one JSON log line, keeping it valid JSON. */
export function scrubLogLine(line: string, secrets: readonly string[]): string {
  if (secrets.length === 0 || !containsSecret(line, secrets)) return line;
  try {
    // Scrub decoded strings rather than the raw line so a secret that happens to
    // look like JSON syntax (or a number) cannot corrupt the line's structure.
    return `${JSON.stringify(scrubStrings(JSON.parse(line), secrets))}\n`;
  } catch {
    return scrubSecrets(line, secrets);
  }
}

function scrubStrings(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrubSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((item) => scrubStrings(item, secrets));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [scrubSecrets(key, secrets), scrubStrings(item, secrets)]),
    );
  }
  return value;
}

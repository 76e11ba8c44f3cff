/**
 * Human-readable log lines for local development (`--log-level debug` on a laptop),
 * without pulling in pino-pretty. Production keeps JSON, which log pipelines parse.
 * Lines arrive here already redacted and scrubbed by the logger.
 */

export interface LogDestination {
  write(line: string): unknown;
}

const HIDDEN_FIELDS = new Set(['time', 'level', 'msg', 'pid', 'hostname', 'err']);

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** Turns one pino JSON line into `time LEVEL msg key=value ...`, plus the error stack if any. */
export function formatPrettyLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line; // not JSON: pass through untouched
  }
  const time = typeof record['time'] === 'string' ? record['time'].slice(11, 23) : String(record['time'] ?? '');
  const level = String(record['level'] ?? '').toUpperCase().padEnd(5);
  const fields = Object.entries(record)
    .filter(([key]) => !HIDDEN_FIELDS.has(key))
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  let text = [time, level, String(record['msg'] ?? ''), ...fields].join(' ');
  const err = record['err'] as { message?: unknown; stack?: unknown } | undefined;
  if (err) text += `\n    ${String(err.stack ?? err.message ?? JSON.stringify(err)).replaceAll('\n', '\n    ')}`;
  return `${text}\n`;
}

export function createPrettyDestination(out: LogDestination): LogDestination {
  return { write: (line: string) => out.write(formatPrettyLine(line)) };
}

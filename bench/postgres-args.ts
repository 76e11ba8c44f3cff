/** What `node bench/postgres.ts ...` asks for. */
export interface PgBenchArgs {
  /** Rows in all source tables together (spread evenly over them). */
  rows: number;
  /** Approximate heap size of one row (its text payload is sized to it). */
  rowBytes: number;
  tables: number;
  /** Write load for the steady-state phase. */
  loadSeconds: number;
  loadRps: number;
  /** The whole run gives up (and cleans up) after this many seconds. */
  timeoutSeconds: number;
}

export const PG_USAGE =
  'usage: node bench/postgres.ts [--rows 1000000] [--row-bytes 200] [--tables 4] [--load-seconds 20] [--load-rps 2000] [--timeout-seconds 900]';

const DEFAULTS = { rows: '1000000', 'row-bytes': '200', tables: '4', 'load-seconds': '20', 'load-rps': '2000', 'timeout-seconds': '900' };
type Flag = keyof typeof DEFAULTS;

/** The smallest row the table layout allows: id, k, updated_at and a 1-byte payload plus the tuple header. */
export const MIN_ROW_BYTES = 48;

/** Parses `--flag value` and `--flag=value`; throws an Error with the usage line on anything else. */
export function parsePgBenchArgs(argv: readonly string[]): PgBenchArgs {
  const values: Record<Flag, string> = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') throw new Error(PG_USAGE);
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || !(match[1]! in DEFAULTS)) throw new Error(`unknown argument ${JSON.stringify(arg)}\n${PG_USAGE}`);
    const flag = match[1] as Flag;
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '') throw new Error(`--${flag} needs a value\n${PG_USAGE}`);
    values[flag] = value;
  }
  const parsed: PgBenchArgs = {
    rows: positiveInt('rows', values.rows),
    rowBytes: positiveInt('row-bytes', values['row-bytes']),
    tables: positiveInt('tables', values.tables),
    loadSeconds: positiveInt('load-seconds', values['load-seconds']),
    loadRps: positiveInt('load-rps', values['load-rps']),
    timeoutSeconds: positiveInt('timeout-seconds', values['timeout-seconds']),
  };
  if (parsed.rowBytes < MIN_ROW_BYTES) throw new Error(`--row-bytes must be at least ${MIN_ROW_BYTES}, got ${parsed.rowBytes}`);
  if (parsed.tables > parsed.rows) throw new Error(`--tables (${parsed.tables}) cannot exceed --rows (${parsed.rows})`);
  return parsed;
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be a positive integer, got ${JSON.stringify(text)}\n${PG_USAGE}`);
  return n;
}

import { execFile } from 'node:child_process';
import pg from 'pg';
import type { PgEndpoint } from './endpoints.ts';
import type { PoolRegistry } from './pools.ts';
import type { QualifiedName } from './selection.ts';

/**
 * Copies table definitions from the source to the target before the subscription exists
 * (logical replication carries rows, not DDL): `pg_dump --schema-only` of exactly the tables
 * to create, filtered to what belongs to those tables, applied on the target in one
 * transaction. Only tables absent on the target are dumped; an existing (empty) table is used
 * as it is.
 *
 * Kept from the dump: tables, their sequences (serial/identity) and defaults, primary keys,
 * unique/check/exclusion constraints, indexes, comments, and foreign keys between selected
 * tables. Dropped: foreign keys to tables not selected (they would not exist on the target),
 * triggers, rules and policies (they reference functions pg_dump -t does not dump; the apply
 * worker does not fire ordinary triggers anyway), and psql meta-commands (\restrict).
 */
export interface SchemaCopyOptions {
  pools: PoolRegistry;
  source: PgEndpoint;
  target: PgEndpoint;
  /** Tables to create on the target. */
  tables: readonly QualifiedName[];
  /** Every selected table (foreign keys may point at any of them). */
  selected: readonly QualifiedName[];
  /** The pg_dump program. */
  pgDump: string;
}

export async function copyTableDefinitions(options: SchemaCopyOptions): Promise<{ skipped: string[] }> {
  if (options.tables.length === 0) return { skipped: [] };
  const dump = await runPgDump(options.pgDump, options.source, options.tables);
  const { sql, skipped } = filterSchemaDump(dump, options.selected);
  const schemas = [...new Set(options.tables.map((table) => table.schema))];
  await options.pools.withClient(options.target, async (client) => {
    await client.query('BEGIN');
    try {
      for (const schema of schemas) await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
      await client.query(sql);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw new Error(`creating the table definitions on the target failed: ${(error as Error).message}`);
    }
  });
  return { skipped };
}

function runPgDump(pgDump: string, source: PgEndpoint, tables: readonly QualifiedName[]): Promise<string> {
  const args = [
    '--schema-only',
    '--no-owner',
    '--no-privileges',
    '--no-publications',
    '--no-subscriptions',
    '--no-security-labels',
    '--no-tablespaces',
    '--strict-names',
    '-h', source.host,
    '-p', String(source.port),
    '-U', source.user,
    '-d', source.database,
    ...tables.flatMap((table) => ['-t', dumpPattern(table)]),
  ];
  const env = { ...process.env, PGPASSWORD: source.password, PGCONNECT_TIMEOUT: '10', PGSSLMODE: source.ssl ? 'require' : 'prefer', PGAPPNAME: 'drs-engine' };
  return new Promise((resolve, reject) => {
    execFile(pgDump, args, { env, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        new Error(
          missing
            ? `pg_dump not found (${pgDump}): install the PostgreSQL client programs on the engine host or set ENGINE_PG_BINDIR`
            : `pg_dump of the table definitions failed: ${stderr.trim() || error.message}`,
        ),
      );
    });
  });
}

/** A pg_dump -t pattern matching exactly one table: double quotes make every character literal. */
export function dumpPattern(table: QualifiedName): string {
  const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
  return `${quote(table.schema)}.${quote(table.name)}`;
}

const KEPT_ENTRY_TYPES = new Set(['TABLE', 'SEQUENCE', 'SEQUENCE OWNED BY', 'DEFAULT', 'CONSTRAINT', 'CHECK CONSTRAINT', 'INDEX', 'COMMENT', 'STATISTICS']);

/** Keeps what creates the selected tables (see the module comment); says what it left out. */
export function filterSchemaDump(dump: string, selected: readonly QualifiedName[]): { sql: string; skipped: string[] } {
  const text = dump
    .split('\n')
    .filter((line) => !line.startsWith('\\'))
    .join('\n');
  const selectedNames = new Set(selected.map((table) => JSON.stringify([table.schema, table.name])));
  const header = /^--\n-- Name: (.*); Type: (.*); Schema: (.*); Owner: .*\n--\n/gm;
  const starts: Array<{ index: number; name: string; type: string }> = [];
  for (const match of text.matchAll(header)) starts.push({ index: match.index, name: match[1]!, type: match[2]! });
  const kept: string[] = [starts.length > 0 ? text.slice(0, starts[0]!.index) : text];
  const skipped: string[] = [];
  starts.forEach((start, i) => {
    const body = text.slice(start.index, starts[i + 1]?.index ?? text.length);
    let keep = KEPT_ENTRY_TYPES.has(start.type);
    if (start.type === 'FK CONSTRAINT') {
      const referenced = referencedTable(body);
      keep = referenced !== undefined && selectedNames.has(JSON.stringify([referenced.schema, referenced.name]));
    }
    if (keep) kept.push(body);
    else skipped.push(`${start.type} ${start.name}`);
  });
  return { sql: kept.join(''), skipped };
}

const IDENTIFIER = String.raw`(?:"(?:[^"]|"")*"|[^\s."(]+)`;
const REFERENCES = new RegExp(String.raw`REFERENCES\s+(${IDENTIFIER})\.(${IDENTIFIER})`);

export function referencedTable(statement: string): QualifiedName | undefined {
  const match = REFERENCES.exec(statement);
  if (!match) return undefined;
  return { schema: unquote(match[1]!), name: unquote(match[2]!) };
}

function unquote(identifier: string): string {
  return identifier.startsWith('"') ? identifier.slice(1, -1).replace(/""/g, '"') : identifier;
}

import type { JobRecord } from '../../job.ts';
import { databaseOf } from './endpoints.ts';

/**
 * What a task replicates, read from its DRS object selection (batch-select-objects) and
 * endpoints. PostgreSQL connects to one database per endpoint, and logical replication writes
 * each change to the table of the same schema-qualified name on the target, so:
 *
 * - the source database is `source_endpoint.db_name`, or else the one database selected;
 *   selecting several databases (or one other than db_name) is refused;
 * - the target database is `target_endpoint.db_name`, or else the database entry's alias, or
 *   else the source database's name;
 * - `selected: false` (or no selection) and database entries with select "true" mean every
 *   table of the source database; `schema` entries every table of that schema; `table`
 *   entries (id "db-*-*-table", object_name "table" or "schema.table") one table, in schema
 *   public unless named;
 * - a table alias (object_alias_name that differs from the table name) is refused: native
 *   logical replication cannot write into a differently named table. Views are refused too
 *   (logical replication carries table changes only).
 */
export interface QualifiedName {
  schema: string;
  name: string;
}

export interface Selection {
  sourceDatabase: string;
  targetDatabase: string;
  /** Every table of the source database (resolved from its catalog when the task starts). */
  allTables: boolean;
  /** Every table of these schemas. */
  schemas: string[];
  /** These tables. */
  tables: QualifiedName[];
}

export type SelectionResult = { ok: true; selection: Selection } | { ok: false; problems: string[] };

type SelectedObject = Record<string, unknown>;

export function selectionOf(job: Pick<JobRecord, 'objects' | 'source' | 'target'>): SelectionResult {
  const problems: string[] = [];
  const items = job.objects?.selected ? job.objects.items : [];
  const active = items.filter((item) => selectValue(item) !== 'false');
  const databases = new Set<string>();
  for (const item of active) {
    const type = objectType(item);
    const database = type === 'database' ? nameOf(item) : stringOf(item.parent_id);
    if (database) databases.add(database);
  }

  const endpointDatabase = databaseOf(job.source);
  let sourceDatabase = endpointDatabase;
  if (!sourceDatabase) {
    if (databases.size === 1) sourceDatabase = [...databases][0]!;
    else if (databases.size === 0) problems.push('name the source database: set source_endpoint.db_name (PostgreSQL connects to one database per endpoint)');
  }
  const others = [...databases].filter((name) => name !== sourceDatabase);
  if (others.length > 0) {
    problems.push(
      sourceDatabase
        ? `objects of database(s) ${others.join(', ')} are selected, but the source database is ${sourceDatabase}: PostgreSQL replicates one database per task; create one task per database`
        : `several databases are selected (${[...databases].join(', ')}): PostgreSQL replicates one database per task; create one task per database`,
    );
  }

  let targetDatabase = databaseOf(job.target);
  let allTables = !job.objects?.selected || active.length === 0;
  const schemas: string[] = [];
  const tables: QualifiedName[] = [];
  for (const item of active) {
    const type = objectType(item);
    const alias = stringOf(item.object_alias_name);
    if (type === 'database') {
      if (selectValue(item) === 'true') allTables = true;
      if (alias && alias !== nameOf(item)) {
        if (targetDatabase && targetDatabase !== alias) {
          problems.push(`database alias ${alias} differs from target_endpoint.db_name ${targetDatabase}: the target database is the endpoint's database; drop the alias or make them match`);
        }
        targetDatabase ??= alias;
      }
    } else if (type === 'schema') {
      const schema = stringOf(item.object_name) ?? lastPart(stringOf(item.id));
      if (!schema) problems.push(`a schema entry has no object_name`);
      else if (alias && alias !== schema) problems.push(`schema ${schema} has alias ${alias}: renaming schemas is not supported by PostgreSQL logical replication; remove object_alias_name`);
      else schemas.push(schema);
    } else if (type === 'table') {
      const table = tableNameOf(item);
      if (!table) {
        problems.push(`a table entry has no object_name`);
        continue;
      }
      if (alias && alias !== table.name && alias !== `${table.schema}.${table.name}`) {
        problems.push(
          `table ${table.schema}.${table.name} has alias ${alias}: PostgreSQL logical replication writes to the table of the same name on the target, so table aliases are not supported; remove object_alias_name`,
        );
        continue;
      }
      tables.push(table);
    } else {
      problems.push(`${type || 'untyped'} object ${nameOf(item) ?? '?'} cannot be replicated: PostgreSQL logical replication carries tables only; select tables`);
    }
  }
  // Database entries alone ("partial" or unset, with no table or schema entries) mean the whole database.
  if (tables.length === 0 && schemas.length === 0) allTables = true;
  if (problems.length > 0 || !sourceDatabase) return { ok: false, problems };
  return { ok: true, selection: { sourceDatabase, targetDatabase: targetDatabase ?? sourceDatabase, allTables, schemas: unique(schemas), tables: uniqueTables(tables) } };
}

/**
 * Problems the selection has whatever the databases hold (aliases, views, several databases):
 * refused as soon as the objects are selected.
 */
export function staticSelectionProblems(job: Pick<JobRecord, 'objects' | 'source' | 'target'>): string[] {
  const result = selectionOf(job);
  return result.ok ? [] : result.problems.filter((problem) => !problem.startsWith('name the source database'));
}

export function qualified(table: QualifiedName): string {
  return `${table.schema}.${table.name}`;
}

function tableNameOf(item: SelectedObject): QualifiedName | undefined {
  // "db-*-*-schema-*-*-table" / "db-*-*schema-*-*table" (the ID formats DRS uses) name the schema.
  const parts = (stringOf(item.id) ?? '').split(/-\*-\*-?/);
  const objectName = stringOf(item.object_name);
  if (parts.length >= 3) return { schema: parts[parts.length - 2]!, name: objectName ?? parts[parts.length - 1]! };
  const name = objectName ?? parts[parts.length - 1];
  if (!name) return undefined;
  const dot = name.indexOf('.');
  return dot > 0 ? { schema: name.slice(0, dot), name: name.slice(dot + 1) } : { schema: 'public', name };
}

function objectType(item: SelectedObject): string {
  return (stringOf(item.object_type) ?? '').toLowerCase();
}

function selectValue(item: SelectedObject): string {
  const value = item.select;
  if (value === undefined || value === null) return 'true';
  return String(value).toLowerCase();
}

function nameOf(item: SelectedObject): string | undefined {
  return stringOf(item.object_name) ?? stringOf(item.id);
}

function lastPart(id: string | undefined): string | undefined {
  return id?.split(/-\*-\*-?/).pop() || undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function uniqueTables(tables: QualifiedName[]): QualifiedName[] {
  const seen = new Map<string, QualifiedName>();
  for (const table of tables) seen.set(JSON.stringify([table.schema, table.name]), table);
  return [...seen.values()];
}

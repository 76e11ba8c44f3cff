import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../engine/src/job.ts';
import { selectionOf, staticSelectionProblems } from '../../../engine/src/executors/postgres/selection.ts';

type Job = Pick<JobRecord, 'objects' | 'source' | 'target'>;

const job = (items: Array<Record<string, unknown>> | undefined, source: Record<string, unknown> = { db_name: 'shop' }, target: Record<string, unknown> = {}): Job => ({
  objects: items === undefined ? undefined : { selected: true, items },
  source,
  target,
});
const database = (name: string, select = 'partial', alias: string | null = null) => ({ id: name, parent_id: null, object_name: name, object_type: 'database', select, object_alias_name: alias });
const table = (db: string, name: string, alias: string | null = null) => ({ id: `${db}-*-*-${name}`, parent_id: db, object_name: name, object_type: 'table', select: 'true', object_alias_name: alias });

describe('PostgreSQL object selection (DRS select-objects → tables)', () => {
  it('no selection, or selected: false, means every table of the source database', () => {
    expect(selectionOf(job(undefined))).toEqual({ ok: true, selection: { sourceDatabase: 'shop', targetDatabase: 'shop', allTables: true, schemas: [], tables: [] } });
    expect(selectionOf({ objects: { selected: false, items: [] }, source: { db_name: 'shop' }, target: { db_name: 'copy' } })).toMatchObject({
      ok: true,
      selection: { sourceDatabase: 'shop', targetDatabase: 'copy', allTables: true },
    });
  });

  it('reads db-*-*-table entries, "schema.table" names and DRS schema-qualified IDs; public is the default schema', () => {
    const result = selectionOf(
      job([database('shop'), table('shop', 'orders'), table('shop', 'app.items'), { id: 'shop-*-*sales-*-*invoices', parent_id: 'shop', object_type: 'table', select: 'true' }]),
    );
    expect(result).toEqual({
      ok: true,
      selection: {
        sourceDatabase: 'shop',
        targetDatabase: 'shop',
        allTables: false,
        schemas: [],
        tables: [
          { schema: 'public', name: 'orders' },
          { schema: 'app', name: 'items' },
          { schema: 'sales', name: 'invoices' },
        ],
      },
    });
  });

  it('takes the database from the selection when the endpoint has no db_name, and a database alias as the target database', () => {
    expect(selectionOf(job([database('shop', 'true', 'shop_copy')], {}))).toMatchObject({
      ok: true,
      selection: { sourceDatabase: 'shop', targetDatabase: 'shop_copy', allTables: true },
    });
  });

  it('schema entries select every table of the schema; select "false" entries are ignored', () => {
    const result = selectionOf(job([database('shop'), { id: 'shop-*-*-app', parent_id: 'shop', object_name: 'app', object_type: 'schema', select: 'true' }, { ...table('shop', 'gone'), select: 'false' }]));
    expect(result).toMatchObject({ ok: true, selection: { allTables: false, schemas: ['app'], tables: [] } });
  });

  it('refuses table aliases, views and a second database, saying what to do', () => {
    const problems = staticSelectionProblems(job([database('shop'), table('shop', 'orders', 'orders_v2'), { id: 'shop-*-*-v', parent_id: 'shop', object_name: 'v', object_type: 'view', select: 'true' }, database('other', 'true')]));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/database\(s\) other .*one database per task/);
    expect(problems[1]).toMatch(/table public\.orders has alias orders_v2: .*table aliases are not supported; remove object_alias_name/);
    expect(problems[2]).toMatch(/view object v cannot be replicated/);
    // An alias equal to the name is no rename.
    expect(staticSelectionProblems(job([table('shop', 'orders', 'orders')]))).toEqual([]);
  });

  it('needs a source database name from somewhere', () => {
    expect(selectionOf(job(undefined, {}))).toEqual({ ok: false, problems: [expect.stringMatching(/set source_endpoint\.db_name/)] });
    // ...but that is not a reason to refuse the selection itself (db_name may come with a later modification).
    expect(staticSelectionProblems(job(undefined, {}))).toEqual([]);
  });
});

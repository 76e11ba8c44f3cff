import { describe, expect, it } from 'vitest';
import { dumpPattern, filterSchemaDump, referencedTable } from '../../../engine/src/executors/postgres/schema-copy.ts';

const entry = (name: string, type: string, sql: string) => `--\n-- Name: ${name}; Type: ${type}; Schema: public; Owner: -\n--\n\n${sql}\n\n\n`;

const DUMP = [
  '--\n-- PostgreSQL database dump\n--\n\n\\restrict abc123\n\nSET statement_timeout = 0;\nSELECT pg_catalog.set_config(\'search_path\', \'\', false);\n\n',
  entry('orders', 'TABLE', 'CREATE TABLE public.orders (\n    id integer NOT NULL,\n    customer integer\n);'),
  entry('orders_id_seq', 'SEQUENCE', 'CREATE SEQUENCE public.orders_id_seq AS integer;'),
  entry('orders id', 'DEFAULT', "ALTER TABLE ONLY public.orders ALTER COLUMN id SET DEFAULT nextval('public.orders_id_seq'::regclass);"),
  entry('orders orders_pkey', 'CONSTRAINT', 'ALTER TABLE ONLY public.orders\n    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);'),
  entry('orders_customer', 'INDEX', 'CREATE INDEX orders_customer ON public.orders USING btree (customer);'),
  entry('orders audit', 'TRIGGER', 'CREATE TRIGGER audit AFTER INSERT ON public.orders FOR EACH ROW EXECUTE FUNCTION public.audit();'),
  entry('orders orders_customer_fkey', 'FK CONSTRAINT', 'ALTER TABLE ONLY public.orders\n    ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer) REFERENCES public.customers(id);'),
  entry('orders orders_item_fkey', 'FK CONSTRAINT', 'ALTER TABLE ONLY public.orders\n    ADD CONSTRAINT orders_item_fkey FOREIGN KEY (item) REFERENCES "Catalog"."Items ""x"""(id);'),
  '--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict abc123\n',
].join('');

describe('copying table definitions: the pg_dump filter', () => {
  it('keeps tables, sequences, defaults, keys, indexes and foreign keys between selected tables; drops triggers, other foreign keys and psql meta-commands', () => {
    const { sql, skipped } = filterSchemaDump(DUMP, [
      { schema: 'public', name: 'orders' },
      { schema: 'Catalog', name: 'Items "x"' },
    ]);
    expect(sql).not.toContain('\\restrict');
    expect(sql).not.toContain('\\unrestrict');
    expect(sql).toContain("SELECT pg_catalog.set_config('search_path', '', false);");
    for (const kept of ['CREATE TABLE public.orders', 'CREATE SEQUENCE', 'SET DEFAULT nextval', 'orders_pkey PRIMARY KEY', 'CREATE INDEX orders_customer', 'orders_item_fkey']) {
      expect(sql).toContain(kept);
    }
    expect(sql).not.toContain('CREATE TRIGGER');
    expect(sql).not.toContain('orders_customer_fkey');
    expect(skipped).toEqual(['TRIGGER orders audit', 'FK CONSTRAINT orders orders_customer_fkey']);
  });

  it('reads quoted and unquoted REFERENCES targets', () => {
    expect(referencedTable('ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES app.parent(id);')).toEqual({ schema: 'app', name: 'parent' });
    expect(referencedTable('REFERENCES "My Schema"."Odd""Name"(id)')).toEqual({ schema: 'My Schema', name: 'Odd"Name' });
    expect(referencedTable('no reference here')).toBeUndefined();
  });

  it('quotes -t patterns so every character is literal', () => {
    expect(dumpPattern({ schema: 'public', name: 'orders' })).toBe('"public"."orders"');
    expect(dumpPattern({ schema: 'a*b', name: 'x"y' })).toBe('"a*b"."x""y"');
  });
});

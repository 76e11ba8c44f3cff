import { describe, expect, it } from 'vitest';
import { ReplicationJobSpec } from '../../../../controller/src/api/replication-job-spec.ts';
import { MAX_CREATE_QUERY_BYTES, createParams, validateForCdb } from '../../../../controller/src/providers/tencent-cdb/spec-mapping.ts';

const spec = (overrides: object = {}) =>
  ReplicationJobSpec.parse({
    providerRef: { kind: 'ProviderConfig', name: 'cdb' },
    type: 'disasterRecovery',
    engine: 'mysql',
    source: { instanceId: 'cdb-c1nl9rpv' },
    target: { instanceId: 'cdb-d2sagyed', region: 'ap-shanghai' },
    ...overrides,
  });

describe('createParams', () => {
  it('builds the seed example: one database with two tables, no root override', () => {
    const params = createParams(spec({ objects: { databases: [{ name: 'myDB', tables: ['myTable0', 'myTable1'] }] } }), 'myJobName', 'ap-guangzhou');
    expect(params).toEqual({
      jobName: 'myJobName',
      'srcInfo.0.cdbUInstanceId': 'cdb-c1nl9rpv',
      'srcInfo.0.dbInfo.0.database': 'myDB',
      'srcInfo.0.dbInfo.0.table.0': 'myTable0',
      'srcInfo.0.dbInfo.0.table.1': 'myTable1',
      'srcInfo.0.isOverrideRoot': 0,
      'dstInfo.0.cdbUInstanceId': 'cdb-d2sagyed',
      'dstInfo.0.region': 'ap-shanghai',
    });
  });

  it('sends no dbInfo for the whole instance, takes overrideRoot, and defaults the target region to the account', () => {
    const params = createParams(spec({ target: { instanceId: 'cdb-d2sagyed' }, objects: { all: true }, providerOptions: { overrideRoot: true } }), 'rj-1', 'ap-guangzhou');
    expect(Object.keys(params).some((k) => k.includes('dbInfo'))).toBe(false);
    expect(params).toMatchObject({ 'srcInfo.0.isOverrideRoot': 1, 'dstInfo.0.region': 'ap-guangzhou' });
  });

  it('numbers several databases, a database without tables meaning all its tables', () => {
    const params = createParams(spec({ objects: { databases: [{ name: 'a' }, { name: 'b', tables: ['t'] }] } }), 'rj-1', 'ap-guangzhou');
    expect(params).toMatchObject({ 'srcInfo.0.dbInfo.0.database': 'a', 'srcInfo.0.dbInfo.1.database': 'b', 'srcInfo.0.dbInfo.1.table.0': 't' });
    expect(params['srcInfo.0.dbInfo.0.table.0']).toBeUndefined();
  });
});

describe('validateForCdb', () => {
  it('accepts a plain disaster-recovery (or sync) spec', () => {
    expect(validateForCdb(spec(), 'ap-guangzhou')).toEqual([]);
    expect(validateForCdb(spec({ type: 'sync', mode: 'fullAndIncremental', state: 'Stopped', deletionPolicy: 'Orphan' }), 'ap-guangzhou')).toEqual([]);
  });

  it('refuses state Paused with a message naming the field and what to do', () => {
    expect(validateForCdb(spec({ state: 'Paused' }), 'ap-guangzhou')).toEqual([
      'spec.state Paused is not possible: the CDB data-sync API cannot pause a task; set spec.state to Running (or Stopped to delete a task that is not syncing)',
    ]);
  });

  it.each([
    [{ engine: 'postgresql' }, 'spec.engine postgresql'],
    [{ type: 'migration' }, 'spec.type migration'],
    [{ mode: 'full' }, 'spec.mode full'],
    [{ source: { host: '203.0.113.10', port: 3306, user: 'repl' } }, 'spec.source.instanceId is required'],
    [{ source: { instanceId: 'cdb-c1nl9rpv', user: 'repl', passwordSecretRef: { name: 's', key: 'p' } } }, 'spec.source.passwordSecretRef is not used'],
    [{ target: { instanceId: 'cdb-d2sagyed', host: 'db.example' } }, 'spec.target.host is not used'],
    [{ source: { instanceId: 'cdb-c1nl9rpv', region: 'ap-beijing' } }, 'spec.source.region ap-beijing differs from the ProviderConfig region ap-guangzhou'],
    [{ syncPolicy: { conflict: 'overwrite' } }, 'spec.syncPolicy'],
    [{ speedLimits: [{ begin: '01:00', end: '02:59', speedMBps: 5 }] }, 'spec.speedLimits'],
    [{ description: 'x' }, 'spec.description'],
    [{ tags: { team: 'a' } }, 'spec.tags'],
    [{ network: { type: 'vpc' } }, 'spec.network'],
    [{ objects: { databases: [{ name: 'a', alias: 'b' }] } }, 'spec.objects.databases[0].alias'],
    [{ providerOptions: { overrideRoot: 'yes' } }, 'spec.providerOptions.overrideRoot'],
    [{ providerOptions: { zone: 1 } }, 'spec.providerOptions zone not understood by tencent-cdb (known: overrideRoot)'],
    [{ providerOptions: { overrideRoot: true }, objects: { databases: [{ name: 'a' }] } }, 'overrideRoot applies only when the whole instance is synced'],
  ])('refuses %j', (overrides, message) => {
    const problems = validateForCdb(spec(overrides), 'ap-guangzhou');
    expect(problems.some((p) => p.includes(message))).toBe(true);
  });

  it('refuses an object list too long for one GET request', () => {
    const tables = Array.from({ length: 2000 }, (_, i) => `orders_archive_table_${i}`);
    const problems = validateForCdb(spec({ objects: { databases: [{ name: 'orders', tables }] } }), 'ap-guangzhou');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`at most ${MAX_CREATE_QUERY_BYTES}`);
  });
});

describe('examples/tencent-cdb-sync.yaml', () => {
  it('is a job this provider runs as written', async () => {
    const { readFile } = await import('node:fs/promises');
    const { parseAllDocuments } = await import('yaml');
    const text = await readFile(new URL('../../../../examples/tencent-cdb-sync.yaml', import.meta.url), 'utf8');
    const docs = parseAllDocuments(text).map((d) => d.toJS() as { kind: string; spec: { region?: string } });
    const region = docs.find((d) => d.kind === 'ProviderConfig')!.spec.region;
    const job = ReplicationJobSpec.parse(docs.find((d) => d.kind === 'ReplicationJob')!.spec);
    expect(validateForCdb(job, region)).toEqual([]);
    expect(createParams(job, 'rj-x', region)).toMatchObject({ 'srcInfo.0.cdbUInstanceId': 'cdb-c1nl9rpv', 'dstInfo.0.region': 'ap-shanghai' });
  });
});

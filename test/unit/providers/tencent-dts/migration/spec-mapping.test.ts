import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ReplicationJobSpec } from '../../../../../controller/src/api/replication-job-spec.ts';
import {
  createServiceRequest,
  modifyJobRequest,
  validateMigrationSpec,
} from '../../../../../controller/src/providers/tencent-dts/migration/spec-mapping.ts';
import { jobContextFor } from '../../../../support/job-fixtures.ts';
import { migrationSpec } from './harness.ts';

const REGION = 'ap-guangzhou';

/** The harness's migration, selecting tables (one renamed) of two databases. */
function spec(overrides: object = {}): ReplicationJobSpec {
  return migrationSpec({
    objects: { databases: [{ name: 'orders', tables: ['orders', 'order_items'], tableAliases: { order_items: 'items' } }, { name: 'audit' }] },
    ...overrides,
  });
}

const job = (s: ReplicationJobSpec) => jobContextFor(s, { uid: '0f3c' });

describe('tencent-dts migration spec mapping', () => {
  it('accepts a plain MySQL migration', () => {
    expect(validateMigrationSpec(spec(), REGION)).toEqual([]);
  });

  it('accepts the example in examples/tencent-dts-mysql-migration.yaml', async () => {
    const text = await readFile(join(import.meta.dirname, '..', '..', '..', '..', '..', 'examples', 'tencent-dts-mysql-migration.yaml'), 'utf8');
    const docs = parseAllDocuments(text).map((d) => d.toJS() as { kind: string; spec: { region?: string } });
    const region = docs.find((d) => d.kind === 'ProviderConfig')!.spec.region!;
    const example = ReplicationJobSpec.parse(docs.find((d) => d.kind === 'ReplicationJob')!.spec);
    expect(validateMigrationSpec(example, region)).toEqual([]);
  });

  it('refuses what DTS migrations cannot do, naming the field and the fix', () => {
    const problems = validateMigrationSpec(
      spec({
        type: 'sync',
        mode: 'incremental',
        nodeType: 'high',
        network: { type: 'vpc' },
        speedLimits: [{ begin: '01:00', end: '02:59', speedMBps: 10 }],
        syncPolicy: { conflict: 'overwrite' },
        description: 'x',
        tags: { 'managed-by': 'me' },
        target: { instanceId: 'cdb-1', region: 'ap-shanghai', user: 'root', passwordSecretRef: { name: 'dst', key: 'password' } },
        providerOptions: { sourceAccessType: 'dcg', bogus: 1 },
      }),
      REGION,
    ).join('\n');
    for (const needle of ['spec.type sync', 'spec.mode incremental', 'spec.nodeType high', 'spec.network', 'spec.speedLimits', 'spec.syncPolicy', 'spec.description', 'spec.tags.managed-by', 'spec.target.region ap-shanghai', 'providerOptions bogus', 'providerOptions.sourceAccessType']) {
      expect(problems).toContain(needle);
    }
  });

  it('requires what each access type needs', () => {
    const problems = validateMigrationSpec(
      spec({ source: { host: '10.0.0.5', user: 'repl', passwordSecretRef: { name: 'src', key: 'password' } }, target: { host: 'db', port: 3306 }, providerOptions: { sourceAccessType: 'vpc', targetAccessType: 'cdb' } }),
      REGION,
    ).join('\n');
    expect(problems).toContain('spec.source.host and spec.source.port are required with access type vpc');
    expect(problems).toContain('spec.source.vpcId and spec.source.subnetId are required with access type vpc');
    expect(problems).toContain('spec.target.instanceId is required with access type cdb');
    expect(problems).toContain('spec.target.user is required');
  });

  it('builds CreateMigrationService under the deterministic job name, tagged for the batched observation', () => {
    expect(createServiceRequest(job(spec({ nodeType: 'small', tags: { team: 'orders' } })), REGION)).toEqual({
      SrcDatabaseType: 'mysql',
      DstDatabaseType: 'mysql',
      SrcRegion: REGION,
      DstRegion: REGION,
      InstanceClass: 'small',
      Count: 1,
      JobName: 'rj-0f3c',
      Tags: [{ TagKey: 'team', TagValue: 'orders' }, { TagKey: 'managed-by', TagValue: 'drs-operator' }],
    });
  });

  it('builds ModifyMigrationJob with objects, type and both endpoints (passwords only here)', () => {
    const request = modifyJobRequest('dts-abc', job(spec({ providerOptions: { targetReadOnly: true } })), REGION);
    expect(request).toMatchObject({
      JobId: 'dts-abc',
      RunMode: 'immediate',
      JobName: 'rj-0f3c',
      MigrateOption: {
        MigrateType: 'fullAndIncrement',
        IsDstReadOnly: true,
        DatabaseTable: {
          ObjectMode: 'partial',
          Databases: [
            { DbName: 'orders', DBMode: 'partial', TableMode: 'partial', Tables: [{ TableName: 'orders' }, { TableName: 'order_items', NewTableName: 'items', TableEditMode: 'rename' }] },
            { DbName: 'audit', DBMode: 'all' },
          ],
        },
      },
      SrcInfo: { Region: REGION, AccessType: 'extranet', DatabaseType: 'mysql', NodeType: 'simple', Info: [{ Host: '203.0.113.10', Port: 3306, User: 'repl', Password: 'Src-Passw0rd' }] },
      DstInfo: { Region: REGION, AccessType: 'cdb', DatabaseType: 'mysql', NodeType: 'simple', Info: [{ InstanceId: 'cdb-c1nl9rpv', User: 'root', Password: 'Dst-Passw0rd' }] },
    });
    expect(JSON.stringify(createServiceRequest(job(spec()), REGION))).not.toContain('Passw0rd');
  });

  it('maps full mode, everything, a timed start and per-side database types', () => {
    const request = modifyJobRequest(
      'dts-abc',
      job(spec({ mode: 'full', objects: { all: true }, target: { instanceId: 'cynosdbmysql-1', dbType: 'cynosdbmysql', user: 'root', passwordSecretRef: { name: 'dst', key: 'password' } }, providerOptions: { expectRunTime: '2030-01-02 03:04:05' } })),
      REGION,
    );
    expect(request).toMatchObject({ RunMode: 'timed', ExpectRunTime: '2030-01-02 03:04:05', MigrateOption: { MigrateType: 'full', DatabaseTable: { ObjectMode: 'all' } }, DstInfo: { DatabaseType: 'cynosdbmysql' } });
    expect(request.MigrateOption.DatabaseTable.Databases).toBeUndefined();
  });
});

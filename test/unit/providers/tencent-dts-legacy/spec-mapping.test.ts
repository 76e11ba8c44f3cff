import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ReplicationJobSpec } from '../../../../controller/src/api/replication-job-spec.ts';
import { createRequest, databaseInfo, modifyRequest, validateForLegacy } from '../../../../controller/src/providers/tencent-dts-legacy/spec-mapping.ts';
import { jobContextFor } from '../../../support/job-fixtures.ts';

/** The seed's example job (extranet MySQL → CDB) as a ReplicationJob spec. */
function spec(overrides: Record<string, unknown> = {}): ReplicationJobSpec {
  return ReplicationJobSpec.parse({
    providerRef: { kind: 'ProviderConfig', name: 'tencent' },
    type: 'migration',
    engine: 'mysql',
    mode: 'full',
    source: { host: '14.17.22.36', port: 10301, user: 'root', region: 'ap-guangzhou', passwordSecretRef: { name: 'db', key: 'source' } },
    target: { instanceId: 'cdb-e78e0nnv', region: 'ap-shanghai', user: 'root', passwordSecretRef: { name: 'db', key: 'target' } },
    ...overrides,
  });
}

const job = (s: ReplicationJobSpec) =>
  jobContextFor(s, { uid: '1234', key: 'ns/orders', jobId: 'dts-1kl0iy0v', passwords: { sourcePassword: 'src-Passw0rd', targetPassword: 'dst-Passw0rd' } });

describe('tencent-dts-legacy spec → CreateMigrateJob', () => {
  it('builds the seed example request from the spec and its Secrets', () => {
    expect(createRequest(job(spec({ providerOptions: { structureOnly: true } })), 'ap-guangzhou')).toEqual({
      JobName: 'rj-1234',
      SrcDatabaseType: 'mysql',
      SrcAccessType: 'extranet',
      DstDatabaseType: 'mysql',
      DstAccessType: 'cdb',
      MigrateOption: { RunMode: 1, MigrateType: 1, MigrateObject: 1, ConsistencyType: 1, IsOverrideRoot: 0 },
      SrcInfo: { Ip: '14.17.22.36', Port: 10301, User: 'root', Supplier: 'others', Password: 'src-Passw0rd', Region: 'ap-guangzhou' },
      DstInfo: { InstanceId: 'cdb-e78e0nnv', Region: 'ap-shanghai', User: 'root', Password: 'dst-Passw0rd' },
    });
  });

  it('maps mode, objects and providerOptions onto MigrateOption, DatabaseInfo and DstInfo', () => {
    const s = spec({
      mode: 'fullAndIncremental',
      source: { instanceId: 'cdb-source01', user: 'repl', passwordSecretRef: { name: 'db', key: 'source' } },
      target: { instanceId: 'cdb-target01', user: 'root' },
      objects: { databases: [{ name: 'orders', tables: ['orders', 'order_items'] }, { name: 'crm' }] },
      providerOptions: { consistencyCheck: 'sample', consistencySample: { rowsPercent: 10, tablesPercent: 20, countTablesPercent: 30 } },
    });
    expect(validateForLegacy(s)).toEqual([]);
    const request = createRequest(job(s), 'ap-guangzhou');
    expect(request.MigrateOption).toEqual({
      RunMode: 1,
      MigrateType: 3,
      MigrateObject: 2,
      ConsistencyType: 3,
      IsOverrideRoot: 0,
      ConsistencyParams: { SelectRowsPerTable: 10, TablesSelectAll: 20, TablesSelectCount: 30 },
    });
    expect(request.SrcAccessType).toBe('cdb');
    expect(request.SrcInfo).toMatchObject({ InstanceId: 'cdb-source01', Region: 'ap-guangzhou', User: 'repl' });
    expect(request.DstInfo).toMatchObject({ InstanceId: 'cdb-target01', Region: 'ap-guangzhou' });
    expect(JSON.parse(request.DatabaseInfo!)).toEqual([{ Database: 'orders', Table: ['orders', 'order_items'] }, { Database: 'crm' }]);
    expect(databaseInfo(spec({ objects: { all: true } }))).toBeUndefined();
  });

  it('sends the access-type fields for a source behind Direct Connect', () => {
    const s = spec({
      source: { host: '10.0.0.8', port: 3306, user: 'repl', vpcId: 'vpc-92jblxto', subnetId: 'subnet-3paxmkdz' },
      providerOptions: { srcAccessType: 'dcg', dcgId: 'dcg-0rxtqqxb', overrideRoot: true, targetReadOnly: true },
    });
    expect(validateForLegacy(s)).toEqual([]);
    const request = createRequest(job(s), 'ap-guangzhou');
    expect(request.SrcInfo).toMatchObject({ UniqDcgId: 'dcg-0rxtqqxb', VpcId: 'vpc-92jblxto', SubnetId: 'subnet-3paxmkdz', Ip: '10.0.0.8' });
    expect(request.MigrateOption.IsOverrideRoot).toBe(1);
    expect(request.DstInfo.ReadOnly).toBe(1);
  });

  it('re-applies the same configuration through ModifyMigrateJob (no name, no database types)', () => {
    const request = modifyRequest('dts-1kl0iy0v', job(spec()), 'ap-guangzhou');
    expect(request).toMatchObject({ JobId: 'dts-1kl0iy0v', SrcAccessType: 'extranet', DstAccessType: 'cdb', SrcInfo: { Password: 'src-Passw0rd' } });
    expect(request).not.toHaveProperty('JobName');
    expect(request).not.toHaveProperty('SrcDatabaseType');
  });
});

describe('tencent-dts-legacy validate()', () => {
  it('accepts the seed example, and the ReplicationJob of examples/tencent-dts-legacy-mysql-migration.yaml', async () => {
    expect(validateForLegacy(spec())).toEqual([]);
    const file = join(import.meta.dirname, '..', '..', '..', '..', 'examples', 'tencent-dts-legacy-mysql-migration.yaml');
    const docs = parseAllDocuments(await readFile(file, 'utf8')).map((d) => d.toJS() as { kind: string; spec: unknown });
    const example = ReplicationJobSpec.parse(docs.find((d) => d.kind === 'ReplicationJob')!.spec);
    expect(validateForLegacy(example)).toEqual([]);
    expect(createRequest(job(example), 'ap-guangzhou').MigrateOption).toMatchObject({ MigrateType: 3, MigrateObject: 2, ConsistencyType: 5 });
  });

  it('refuses spec.state Paused with a fix-it message naming the field', () => {
    expect(validateForLegacy(spec({ state: 'Paused' }))).toEqual([
      'spec.state Paused is not supported: the 2018-03-30 migrate API cannot pause a job; set spec.state to Running or Stopped',
    ]);
    expect(validateForLegacy(spec({ state: 'Stopped' }))).toEqual([]);
  });

  it('refuses what the migrate API cannot do, each problem naming its field', () => {
    const problems = validateForLegacy(
      spec({
        type: 'sync',
        engine: 'postgresql',
        mode: 'incremental',
        speedLimits: [{ begin: '01:00', end: '02:59', speedMBps: 10 }],
        tags: { team: 'orders' },
        description: 'nightly',
        network: { type: 'vpc' },
        target: { host: '10.0.0.9', port: 3306 },
        objects: { databases: [{ name: 'orders', alias: 'orders_copy' }] },
        providerOptions: { pauseMode: 'all', overrideRoot: 'yes' },
      }),
    );
    const expected = [
      'spec.engine postgresql',
      'spec.type sync',
      'spec.mode incremental',
      'spec.speedLimits',
      'spec.tags',
      'spec.description',
      'spec.network',
      'spec.target.instanceId is required',
      'spec.target.host',
      'spec.objects.databases[0].alias',
      'spec.providerOptions pauseMode not understood',
      'spec.providerOptions.overrideRoot',
    ];
    for (const start of expected) expect(problems.some((p) => p.startsWith(start)), `a problem starting "${start}" in ${JSON.stringify(problems)}`).toBe(true);
  });

  it('checks the fields each source access type needs and the providerOptions combinations', () => {
    expect(validateForLegacy(spec({ providerOptions: { srcAccessType: 'cvm' } }))).toContain(
      'spec.providerOptions.cvmInstanceId is required when the source is reached as cvm (spec.providerOptions.srcAccessType)',
    );
    expect(validateForLegacy(spec({ providerOptions: { srcAccessType: 'vpncloud', vpnGatewayId: 'vpngw-1' } }))).toEqual([
      'spec.source.vpcId is required when the source is reached as vpncloud (spec.providerOptions.srcAccessType)',
      'spec.source.subnetId is required when the source is reached as vpncloud (spec.providerOptions.srcAccessType)',
    ]);
    expect(validateForLegacy(spec({ mode: 'fullAndIncremental', providerOptions: { structureOnly: true } }))[0]).toMatch(/^spec.providerOptions.structureOnly needs spec.mode full/);
    expect(validateForLegacy(spec({ providerOptions: { consistencyCheck: 'sample' } }))[0]).toMatch(/needs spec.providerOptions.consistencySample/);
    expect(validateForLegacy(spec({ objects: { databases: [{ name: 'orders' }] }, providerOptions: { overrideRoot: true } }))[0]).toMatch(/^spec.providerOptions.overrideRoot is only allowed/);
    expect(validateForLegacy(spec({ engine: 'redis', source: { host: '10.0.0.8', port: 6379, user: 'default' }, providerOptions: { externParams: { ReplTimeout: 120 } } }))).toEqual([]);
    expect(validateForLegacy(spec({ providerOptions: { externParams: { x: 1 } } }))[0]).toMatch(/^spec.providerOptions.externParams is for Redis and MongoDB/);
  });
});

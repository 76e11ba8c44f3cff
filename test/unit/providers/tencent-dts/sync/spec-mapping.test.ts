import { describe, expect, it } from 'vitest';
import { ReplicationJobSpec } from '../../../../../controller/src/api/replication-job-spec.ts';
import {
  accessType,
  configureSyncJobRequest,
  createSyncJobRequest,
  operations,
  rateLimitRequest,
  syncObjects,
  validateForDtsSync,
} from '../../../../../controller/src/providers/tencent-dts/sync/spec-mapping.ts';
import { jobContextFor, mysqlToCdbSpec, type MysqlToCdbJob } from '../../../../support/job-fixtures.ts';

const REGION = 'ap-guangzhou';

const SYNC: MysqlToCdbJob = {
  providerConfig: 'dts',
  type: 'sync',
  mode: 'fullAndIncremental',
  targetInstanceId: 'cdb-abcd1234',
  passwords: { source: { name: 'src', key: 'password' }, target: { name: 'dst', key: 'password' } },
};

/** A sync of two tables of one database, both renamed on the target, overwriting conflicts. */
function spec(overrides: Record<string, unknown> = {}): ReplicationJobSpec {
  return ReplicationJobSpec.parse(
    mysqlToCdbSpec(SYNC, {
      objects: { databases: [{ name: 'orders', alias: 'orders_copy', tables: ['orders', 'order_items'], tableAliases: { orders: 'orders_v2' } }] },
      syncPolicy: { conflict: 'overwrite' },
      ...overrides,
    }),
  );
}

const job = (s: ReplicationJobSpec) => jobContextFor(s, { uid: '0b9c' });

describe('spec → CreateSyncJob', () => {
  it('fills the seed fields: pay mode, both types and regions, the deterministic name, tags', () => {
    const request = createSyncJobRequest(job(spec({ nodeType: 'small', tags: { team: 'shop' }, target: { instanceId: 'cdb-1', region: 'ap-shanghai', user: 'root', passwordSecretRef: { name: 'dst', key: 'password' } } })), REGION);
    expect(request).toEqual({
      PayMode: 'PostPay',
      SrcDatabaseType: 'mysql',
      SrcRegion: REGION,
      DstDatabaseType: 'mysql',
      DstRegion: 'ap-shanghai',
      Count: 1,
      InstanceClass: 'small',
      JobName: 'rj-0b9c',
      Tags: [{ TagKey: 'team', TagValue: 'shop' }],
    });
  });

  it('sends AutoRenew and TimeSpan for subscriptions only', () => {
    const prepaid = createSyncJobRequest(job(spec({ providerOptions: { payMode: 'PrePay', autoRenew: true, timeSpanMonths: 3 } })), REGION);
    expect(prepaid).toMatchObject({ PayMode: 'PrePay', AutoRenew: 1, TimeSpan: 3 });
  });
});

describe('spec → ConfigureSyncJob', () => {
  it('sends both endpoints with their passwords, the objects and the options', () => {
    const request = configureSyncJobRequest('sync-abcd1234', job(spec()), REGION);
    expect(request).toEqual({
      JobId: 'sync-abcd1234',
      SrcAccessType: 'extranet',
      DstAccessType: 'cdb',
      JobName: 'rj-0b9c',
      RunMode: 'Immediate',
      SrcNodeType: 'single',
      DstNodeType: 'single',
      SrcInfo: { Region: REGION, Ip: '203.0.113.10', Port: 3306, User: 'repl', Password: 'Src-Passw0rd' },
      DstInfo: { Region: REGION, InstanceId: 'cdb-abcd1234', User: 'root', Password: 'Dst-Passw0rd' },
      Objects: {
        Mode: 'Partial',
        Databases: [
          {
            DbName: 'orders',
            NewDbName: 'orders_copy',
            DbMode: 'Partial',
            TableMode: 'Partial',
            Tables: [{ TableName: 'orders', NewTableName: 'orders_v2' }, { TableName: 'order_items' }],
          },
        ],
      },
      Options: { InitType: 'Full', ConflictHandleType: 'Cover' },
    });
  });

  it('maps mode incremental to InitType None and the conflict policies', () => {
    expect(configureSyncJobRequest('sync-1', job(spec({ mode: 'incremental', syncPolicy: { conflict: 'ignore' } })), REGION).Options).toEqual({ InitType: 'None', ConflictHandleType: 'Ignore' });
    expect(configureSyncJobRequest('sync-1', job(spec({ syncPolicy: { conflict: 'stop' } })), REGION).Options).toMatchObject({ ConflictHandleType: 'ReportError' });
    expect(configureSyncJobRequest('sync-1', job(spec({ providerOptions: { initType: 'Data' } })), REGION).Options).toMatchObject({ InitType: 'Data' });
  });

  it('replicates everything with Mode All when no databases are named', () => {
    expect(syncObjects(spec({ objects: { all: true } }))).toEqual({ Mode: 'All' });
    expect(syncObjects(spec({ objects: undefined }))).toEqual({ Mode: 'All' });
    expect(syncObjects(spec({ objects: { databases: [{ name: 'orders' }] } }))).toEqual({
      Mode: 'Partial',
      Databases: [{ DbName: 'orders', DbMode: 'All', TableMode: 'All', ViewMode: 'All', FunctionMode: 'All', ProcedureMode: 'All' }],
    });
  });

  it('groups PostgreSQL tables by schema', () => {
    const pg = spec({
      engine: 'postgresql',
      source: { host: '10.0.0.5', port: 5432, database: 'shop', user: 'repl', passwordSecretRef: { name: 'src', key: 'password' } },
      objects: { databases: [{ name: 'shop', tables: ['public.orders', 'sales.invoices', 'items'], tableAliases: { 'sales.invoices': 'sales.invoices_v2' } }] },
    });
    expect(syncObjects(pg).Databases).toEqual([
      { DbName: 'shop', DbMode: 'Partial', SchemaName: 'public', TableMode: 'Partial', Tables: [{ TableName: 'orders' }, { TableName: 'items' }] },
      { DbName: 'shop', DbMode: 'Partial', SchemaName: 'sales', TableMode: 'Partial', Tables: [{ TableName: 'invoices', NewTableName: 'invoices_v2' }] },
    ]);
    expect(configureSyncJobRequest('sync-1', job(pg), REGION).SrcInfo).toMatchObject({ DbName: 'shop' });
  });

  it('derives access types: cdb for instances, vpc/vpncloud from network, providerOptions wins', () => {
    expect(accessType(spec(), 'target')).toBe('cdb');
    expect(accessType(spec(), 'source')).toBe('extranet');
    expect(accessType(spec({ network: { type: 'vpc', vpcId: 'vpc-1', subnetId: 'subnet-1' } }), 'source')).toBe('vpc');
    expect(accessType(spec({ network: { type: 'vpn' } }), 'source')).toBe('vpncloud');
    expect(accessType(spec({ providerOptions: { source: { accessType: 'cvm', cvmInstanceId: 'ins-1' } } }), 'source')).toBe('cvm');
    const vpc = configureSyncJobRequest('sync-1', job(spec({ network: { type: 'vpc', vpcId: 'vpc-1', subnetId: 'subnet-1' } })), REGION);
    expect(vpc.SrcInfo).toMatchObject({ VpcId: 'vpc-1', SubnetId: 'subnet-1' });
    // A cloud instance is reached as cdb: no VPC fields on it.
    expect(vpc.DstInfo).not.toHaveProperty('VpcId');
  });

  it('turns ssl.enabled into EncryptConn', () => {
    const s = spec({ source: { host: '203.0.113.10', port: 3306, user: 'repl', passwordSecretRef: { name: 'src', key: 'password' }, ssl: { enabled: true } } });
    expect(configureSyncJobRequest('sync-1', job(s), REGION).SrcInfo?.EncryptConn).toBe('Encrypted');
  });
});

describe('syncPolicy → OpTypes / DdlOptions', () => {
  it.each([
    [{}, {}],
    [{ ddl: true }, { OpTypes: ['Insert', 'Update', 'Delete', 'DDL'] }],
    [{ ddl: false }, { OpTypes: ['Insert', 'Update', 'Delete'] }],
    [{ ddl: false, indexes: true }, { OpTypes: ['Insert', 'Update', 'Delete', 'PartialDDL'], DdlOptions: [{ DdlObject: 'Index', DdlValue: ['Create', 'Drop'] }] }],
    [
      { ddl: true, indexes: false, filterDropDatabase: true },
      {
        OpTypes: ['Insert', 'Update', 'Delete', 'PartialDDL'],
        DdlOptions: [
          { DdlObject: 'Database', DdlValue: ['Create', 'Alter'] },
          { DdlObject: 'Table', DdlValue: ['Create', 'Drop', 'Alter', 'Truncate', 'Rename'] },
          { DdlObject: 'View', DdlValue: ['Create', 'Drop'] },
        ],
      },
    ],
  ])('%j → %j', (policy, expected) => {
    expect(operations(policy)).toEqual(expected);
  });
});

describe('providerOptions.rateLimit → ModifySyncRateLimit', () => {
  it('sends the set values only; nothing without rateLimit', () => {
    expect(rateLimitRequest('sync-1', spec({ providerOptions: { rateLimit: { dumpThread: 4, sinkerThread: 32 } } }))).toEqual({ JobId: 'sync-1', DumpThread: 4, SinkerThread: 32 });
    expect(rateLimitRequest('sync-1', spec())).toBeUndefined();
  });
});

describe('validate', () => {
  const problems = (overrides: Record<string, unknown>, region: string | undefined = REGION) => validateForDtsSync(spec(overrides), { region });
  const withoutRegion = () => validateForDtsSync(spec(), { region: undefined });

  it('accepts a plain MySQL sync job', () => {
    expect(problems({})).toEqual([]);
  });

  it.each([
    [{ speedLimits: [{ begin: '00:00', end: '23:59', speedMBps: 50 }] }, 'spec.speedLimits'],
    [{ mode: 'full' }, 'spec.mode full'],
    [{ type: 'migration' }, 'spec.type migration'],
    [{ engine: 'oracle' }, 'engine oracle'],
    [{ alarms: { delaySeconds: 30 } }, 'spec.alarms'],
    [{ description: 'nightly' }, 'spec.description'],
    [{ nodeType: 'xlarge' }, 'spec.nodeType xlarge'],
    [{ providerOptions: { payMode: 'PostPay', autoRenew: true } }, 'PrePay only'],
    [{ providerOptions: { flavour: 'large' } }, 'providerOptions flavour not understood'],
    [{ providerOptions: { rateLimit: { dumpThread: 99 } } }, 'providerOptions.rateLimit.dumpThread'],
    [{ providerOptions: { autoRetryTimeRangeMinutes: 3 } }, 'providerOptions.autoRetryTimeRangeMinutes'],
    [{ network: { type: 'vpc' } }, 'access type vpc needs spec.source.vpcId'],
    [{ providerOptions: { target: { accessType: 'extranet' } } }, 'access type extranet needs spec.target.host'],
    [{ providerOptions: { source: { accessType: 'ccn' } }, network: { type: 'vpc', vpcId: 'v', subnetId: 's' } }, 'providerOptions.source.ccnId'],
    [{ target: { instanceId: 'cdb-1', user: 'root' } }, 'spec.target.passwordSecretRef is required'],
    [{ source: { host: 'db', port: 3306, user: 'u', passwordSecretRef: { name: 's', key: 'p' }, kafka: { topic: 't' } } }, 'spec.source.kafka'],
    [{ target: { instanceId: 'cdb-1', instanceName: 'orders', user: 'root', passwordSecretRef: { name: 'd', key: 'p' } } }, 'spec.target.instanceName'],
    [{ target: { dbType: 'postgresql', instanceId: 'pg-1', user: 'root', passwordSecretRef: { name: 'd', key: 'p' } } }, 'cannot be synced with engine mysql'],
  ])('refuses %j naming the field', (overrides, expected) => {
    expect(problems(overrides).join('\n')).toContain(expected);
  });

  it('accepts another MySQL-family target type', () => {
    expect(problems({ target: { dbType: 'cynosdbmysql', instanceId: 'cynosdbmysql-1', user: 'root', passwordSecretRef: { name: 'd', key: 'p' } } })).toEqual([]);
  });

  it('needs a region from the ProviderConfig or the endpoint', () => {
    expect(withoutRegion().join('\n')).toContain('spec.source.region is required');
  });
});

describe('examples/tencent-dts-mysql-sync.yaml', () => {
  it('is a job this provider accepts as written', async () => {
    const { readFile } = await import('node:fs/promises');
    const { parseAllDocuments } = await import('yaml');
    const docs = parseAllDocuments(await readFile(new URL('../../../../../examples/tencent-dts-mysql-sync.yaml', import.meta.url), 'utf8')).map((d) => d.toJS());
    const rj = docs.find((d) => d.kind === 'ReplicationJob');
    const pc = docs.find((d) => d.kind === 'ProviderConfig');
    expect(validateForDtsSync(ReplicationJobSpec.parse(rj.spec), { region: pc.spec.region })).toEqual([]);
  });
});

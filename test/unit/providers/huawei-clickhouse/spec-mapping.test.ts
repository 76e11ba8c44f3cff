import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ReplicationJobSpec } from '../../../../controller/src/api/replication-job-spec.ts';
import { formatJobId, parseJobId } from '../../../../controller/src/providers/huawei-clickhouse/job-id.ts';
import {
  createRequest,
  databaseCheckRequest,
  jobIdOf,
  tableCheckRequest,
  validateForClickHouse,
} from '../../../../controller/src/providers/huawei-clickhouse/spec-mapping.ts';
import { CreateReplicationRequest } from '../../../../controller/src/providers/huawei-clickhouse/schemas.ts';

const PROJECT = '23a50154cf494ec9ad6883979a12db0a';
const account = { projectId: PROJECT };

function spec(overrides: Record<string, unknown> = {}): ReplicationJobSpec {
  return ReplicationJobSpec.parse({
    providerRef: { kind: 'ProviderConfig', name: 'htap' },
    type: 'sync',
    engine: 'gaussdb-mysql',
    source: { instanceId: 'source_instance_id' },
    target: { instanceId: '54e42160670e48e789af7075e1efea1fin16' },
    objects: { databases: [{ name: 'source_database' }] },
    ...overrides,
  });
}

describe('huawei-clickhouse spec mapping', () => {
  it('maps a spec to the seed example request (one database per job)', () => {
    const s = spec({ providerOptions: { sourceNodeId: 'source_node_id' } });
    expect(validateForClickHouse(s, account)).toEqual([]);
    // The seed's example request body, field for field.
    expect(createRequest(s)).toEqual({ source_instance_id: 'source_instance_id', source_node_id: 'source_node_id', source_database: 'source_database' });
    expect(CreateReplicationRequest.safeParse(createRequest(s)).success).toBe(true);
    expect(createRequest(spec())).toEqual({ source_instance_id: 'source_instance_id', source_database: 'source_database' });
    expect(jobIdOf(s)).toBe('54e42160670e48e789af7075e1efea1fin16/source_database');
  });

  it('checks the whole database with the API defaults, as create will run it', () => {
    const s = spec();
    expect(databaseCheckRequest(s)).toEqual({
      source_instance_id: 'source_instance_id',
      source_database_name: 'source_database',
      db_configs: [],
      table_repl_config: { repl_type: 'black_list', tables: [] },
    });
    expect(tableCheckRequest(s)).toEqual({ ...databaseCheckRequest(s), tables_configs: [] });
  });

  it('accepts engine mysql as well as gaussdb-mysql', () => {
    expect(validateForClickHouse(spec({ engine: 'mysql' }), account)).toEqual([]);
    expect(validateForClickHouse(spec({ engine: 'postgresql' }), account)).toEqual([expect.stringMatching(/^spec\.engine postgresql is not offered.*engine: gaussdb-mysql$/)]);
  });

  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['type migration', { type: 'migration' }, /^spec\.type migration is not offered.*set type: sync$/],
    ['mode full', { mode: 'full' }, /^spec\.mode full is not offered/],
    ['nodeType', { nodeType: 'high' }, /^spec\.nodeType is not used/],
    ['network', { network: { type: 'vpc' } }, /^spec\.network is not used/],
    ['source connection fields', { source: { instanceId: 'x', host: '10.0.0.1', port: 3306, user: 'repl' } }, /^spec\.source\.host, port, user cannot be used: .*remove them and set spec\.source\.instanceId$/],
    ['a target without instanceId', { target: { host: 'ch.example.com' } }, /^spec\.target\.instanceId is required: the ClickHouse instance/],
    ['target dbType', { target: { instanceId: 'x', dbType: 'mysql' } }, /^spec\.target\.dbType mysql is not offered \(clickhouse\)/],
    ['a foreign project', { source: { instanceId: 'x', projectId: 'another' } }, /^spec\.source\.projectId another differs from the ProviderConfig's project/],
    ['objects.all', { objects: { all: true } }, /^spec\.objects\.all cannot be honoured/],
    ['no database', { objects: undefined }, /^spec\.objects\.databases must list exactly one database \(got 0\)/],
    ['two databases', { objects: { databases: [{ name: 'a' }, { name: 'b' }] } }, /create one ReplicationJob per database$/],
    ['tables', { objects: { databases: [{ name: 'a', tables: ['t'] }] } }, /^spec\.objects\.databases\[0\]\.tables cannot be honoured: the whole database a/],
    ['alias', { objects: { databases: [{ name: 'a', alias: 'b' }] } }, /^spec\.objects\.databases\[0\]\.alias cannot be honoured/],
    ['syncPolicy', { syncPolicy: { conflict: 'overwrite' } }, /^spec\.syncPolicy cannot be honoured/],
    ['speedLimits', { speedLimits: [{ begin: '01:00', end: '02:59', speedMBps: 5 }] }, /^spec\.speedLimits cannot be honoured: the API has no flow control/],
    ['alarms', { alarms: { delaySeconds: 10 } }, /^spec\.alarms cannot be honoured/],
    ['description', { description: 'x' }, /^spec\.description cannot be stored/],
    ['tags', { tags: { team: 'bi' } }, /^spec\.tags cannot be stored/],
    ['retryPolicy', { retryPolicy: { maxRetries: 2 } }, /^spec\.retryPolicy has no effect/],
    ['state Paused', { state: 'Paused' }, /^spec\.state Paused cannot be honoured: the API cannot pause.*set spec\.state to Running, or Stopped/],
    ['unknown providerOptions', { providerOptions: { pauseMode: 'all' } }, /^spec\.providerOptions pauseMode not understood \(known: sourceNodeId\)$/],
    ['a wrong providerOptions type', { providerOptions: { sourceNodeId: 7 } }, /^spec\.providerOptions\.sourceNodeId: /],
  ];

  it.each(refused)('refuses %s with a fix-it message naming the field', (_name, overrides, message) => {
    const problems = validateForClickHouse(spec(overrides), account);
    expect(problems).toContainEqual(expect.stringMatching(message));
  });

  it('lets fields it can run through: state Stopped, empty speedLimits, deletionPolicy, tolerateAlarms, region and instanceName', () => {
    const s = spec({
      state: 'Stopped',
      speedLimits: [],
      deletionPolicy: 'Orphan',
      precheck: { tolerateAlarms: true },
      mode: 'fullAndIncremental',
      source: { instanceId: 'x', region: 'cn-north-4', instanceName: 'orders-db', projectId: PROJECT, dbType: 'gaussdb-mysql' },
      target: { instanceId: 'y', dbType: 'clickhouse' },
    });
    expect(validateForClickHouse(s, account)).toEqual([]);
  });

  it('derives job IDs that parse back, database names with slashes included', () => {
    expect(parseJobId(formatJobId({ instanceId: 'ch1', database: 'odd/name' }))).toEqual({ instanceId: 'ch1', database: 'odd/name' });
    expect(parseJobId('no-slash')).toBeUndefined();
    expect(parseJobId('/db')).toBeUndefined();
    expect(parseJobId('ch1/')).toBeUndefined();
  });
});

describe('examples/huawei-clickhouse-replication.yaml', () => {
  it('is a job huawei-clickhouse runs as written', () => {
    const file = join(import.meta.dirname, '..', '..', '..', '..', 'examples', 'huawei-clickhouse-replication.yaml');
    const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as { kind: string; spec: unknown });
    const config = docs.find((d) => d.kind === 'ProviderConfig')!.spec as { provider: string; projectId: string };
    expect(config.provider).toBe('huawei-clickhouse');
    const job = ReplicationJobSpec.parse(docs.find((d) => d.kind === 'ReplicationJob')!.spec);
    expect(validateForClickHouse(job, { projectId: config.projectId })).toEqual([]);
    expect(createRequest(job)).toMatchObject({ source_database: 'orders', source_node_id: expect.any(String) });
  });
});

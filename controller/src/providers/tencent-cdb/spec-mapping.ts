import type { Endpoint, ReplicationJobSpec } from '../../api/replication-job-spec.ts';
import { parseCdbJobOptions } from './provider-options.ts';

/**
 * ReplicationJob spec → CreateCdbDataSyncTask parameters, and the checks that say which specs
 * the API can run. Pure: the same spec always gives the same request.
 *
 * The API knows cloud instances only (no hosts, users or passwords), copies and then streams
 * changes (no mode), and has no pause, stop, retry, speed limit, policy, description or tags.
 */

/** Tencent accepts GET requests up to 32 KB; the common parameters and Signature take ~300 bytes of it. */
export const MAX_CREATE_QUERY_BYTES = 30_000;

const ENDPOINT_FIELDS_REFUSED = [
  'host',
  'port',
  'database',
  'user',
  'passwordSecretRef',
  'ssl',
  'kafka',
  'instanceName',
  'projectId',
  'vpcId',
  'subnetId',
  'securityGroupId',
] as const satisfies readonly (keyof Endpoint)[];

/** Problems only a spec change fixes, each naming the field; empty when CDB can run the spec. */
export function validateForCdb(spec: ReplicationJobSpec, accountRegion: string | undefined): string[] {
  const problems: string[] = [];
  if (spec.engine !== 'mysql') problems.push(`spec.engine ${spec.engine} is not offered: CDB data-sync tasks replicate MySQL (engine: mysql)`);
  if (spec.type === 'migration') {
    problems.push('spec.type migration is not offered: a CDB data-sync task replicates continuously (type: sync or disasterRecovery); use tencent-dts or tencent-dts-legacy for migrations');
  }
  if (spec.mode !== undefined && spec.mode !== 'fullAndIncremental') {
    problems.push(`spec.mode ${spec.mode} is not offered: a CDB data-sync task always copies the data and then streams changes (omit mode or set fullAndIncremental)`);
  }
  if (spec.state === 'Paused') {
    problems.push('spec.state Paused is not possible: the CDB data-sync API cannot pause a task; set spec.state to Running (or Stopped to delete a task that is not syncing)');
  }
  for (const side of ['source', 'target'] as const) {
    const e = spec[side];
    if (!e.instanceId) problems.push(`spec.${side}.instanceId is required: the CDB instance ID (cdb-xxxxxxxx) of the ${side === 'source' ? 'master' : 'disaster-recovery'} instance`);
    for (const field of ENDPOINT_FIELDS_REFUSED) {
      if (e[field] !== undefined) problems.push(`spec.${side}.${field} is not used by the CDB data-sync API (it connects instances by ID): remove it`);
    }
    if (e.dbType !== undefined && e.dbType !== 'mysql') problems.push(`spec.${side}.dbType ${e.dbType} is not offered: CDB instances are MySQL (remove dbType)`);
  }
  if (spec.source.region !== undefined && accountRegion !== undefined && spec.source.region !== accountRegion) {
    problems.push(`spec.source.region ${spec.source.region} differs from the ProviderConfig region ${accountRegion}: CDB creates the task in the master instance's region, so use a ProviderConfig for ${spec.source.region}`);
  }
  if (!spec.target.region && !accountRegion) problems.push('spec.target.region is required: the region of the disaster-recovery instance');
  if (spec.network) problems.push('spec.network is not used by the CDB data-sync API: remove it');
  if (spec.nodeType) problems.push('spec.nodeType is not used by the CDB data-sync API: remove it');
  if (spec.syncPolicy) problems.push('spec.syncPolicy is not offered by the CDB data-sync API: remove it');
  if ((spec.speedLimits ?? []).length > 0) problems.push('spec.speedLimits is not offered by the CDB data-sync API: remove it');
  if (spec.alarms) problems.push('spec.alarms is not offered by the CDB data-sync API: remove it (use Cloud Monitor alarms on the instances)');
  if (spec.description !== undefined) problems.push('spec.description cannot be stored on a CDB data-sync task: remove it');
  if (spec.tags && Object.keys(spec.tags).length > 0) problems.push('spec.tags cannot be put on a CDB data-sync task: remove them');
  (spec.objects?.databases ?? []).forEach((db, i) => {
    if (db.alias !== undefined) problems.push(`spec.objects.databases[${i}].alias is not offered: CDB keeps database names; remove it`);
    if (db.tableAliases !== undefined) problems.push(`spec.objects.databases[${i}].tableAliases is not offered: CDB keeps table names; remove it`);
  });
  const { options, problems: optionProblems } = parseCdbJobOptions(spec.providerOptions);
  problems.push(...optionProblems);
  if (options.overrideRoot && (spec.objects?.databases ?? []).length > 0) {
    problems.push('spec.providerOptions.overrideRoot applies only when the whole instance is synced: remove objects.databases or overrideRoot');
  }
  if (problems.length === 0) {
    const bytes = queryBytes(createParams(spec, 'rj-00000000-0000-0000-0000-000000000000', accountRegion));
    if (bytes > MAX_CREATE_QUERY_BYTES) {
      problems.push(`spec.objects lists too much for one CDB request (${bytes} bytes, at most ${MAX_CREATE_QUERY_BYTES}): select whole databases instead of long table lists`);
    }
  }
  return problems;
}

/** CreateCdbDataSyncTask parameters (the seed's names, flattened the v2 way: srcInfo.0.dbInfo.N.table.M). */
export function createParams(spec: ReplicationJobSpec, jobName: string, accountRegion: string | undefined): Record<string, string | number> {
  const options = parseCdbJobOptions(spec.providerOptions).options;
  const params: Record<string, string | number> = {
    jobName,
    'srcInfo.0.cdbUInstanceId': spec.source.instanceId ?? '',
    'srcInfo.0.isOverrideRoot': options.overrideRoot ? 1 : 0,
    'dstInfo.0.cdbUInstanceId': spec.target.instanceId ?? '',
    'dstInfo.0.region': spec.target.region ?? accountRegion ?? '',
  };
  // objects omitted or all: true → no dbInfo, which the API reads as the whole instance.
  if (!spec.objects?.all) {
    (spec.objects?.databases ?? []).forEach((db, n) => {
      params[`srcInfo.0.dbInfo.${n}.database`] = db.name;
      (db.tables ?? []).forEach((table, m) => {
        params[`srcInfo.0.dbInfo.${n}.table.${m}`] = table;
      });
    });
  }
  return params;
}

function queryBytes(params: Record<string, string | number>): number {
  return Object.entries(params).reduce((n, [k, v]) => n + encodeURIComponent(k).length + encodeURIComponent(String(v)).length + 2, 0);
}

import type { JobContext } from '../../controller/src/reconcile/provider.ts';
import type { ReplicationJobSpec } from '../../controller/src/api/replication-job-spec.ts';

/**
 * ReplicationJob fixtures the provider tests build the same way. The Tencent providers' unit and
 * end-to-end tests all start from one job: MySQL on the internet into a CDB instance.
 */

export interface SecretKeyRef {
  name: string;
  key: string;
}

/** The MySQL source the Tencent tests read from: a server on the internet (documentation range). */
export const INTERNET_MYSQL = { host: '203.0.113.10', port: 3306, user: 'repl' };

/** The objects most end-to-end tests select: two tables of the orders database. */
export const ORDERS_TABLES = { databases: [{ name: 'orders', tables: ['orders', 'order_items'] }] };

export interface MysqlToCdbJob {
  /** The ProviderConfig the job names. */
  providerConfig: string;
  type: 'sync' | 'migration';
  mode: 'full' | 'fullAndIncremental';
  /** The CDB instance written to, as user root. */
  targetInstanceId: string;
  /** Where the source and the target password are. */
  passwords: { source: SecretKeyRef; target: SecretKeyRef };
}

/**
 * The spec of a MySQL job from INTERNET_MYSQL into a CDB instance, plus `more` (objects, policies,
 * options, overrides). A plain object: end-to-end tests send it to the API server, unit tests
 * parse it with ReplicationJobSpec.
 */
export function mysqlToCdbSpec(job: MysqlToCdbJob, more: object = {}) {
  return {
    providerRef: { kind: 'ProviderConfig', name: job.providerConfig },
    type: job.type,
    engine: 'mysql',
    mode: job.mode,
    source: { ...INTERNET_MYSQL, passwordSecretRef: job.passwords.source },
    target: { instanceId: job.targetInstanceId, user: 'root', passwordSecretRef: job.passwords.target },
    ...more,
  };
}

/** The passwords jobContextFor resolves a spec's Secret references to, unless told others. */
export const RESOLVED_PASSWORDS = { sourcePassword: 'Src-Passw0rd', targetPassword: 'Dst-Passw0rd' };

/**
 * A job as the reconciler hands it to a provider (JobContext): the parsed spec, its names, and
 * its Secrets already resolved. The job name is the deterministic `rj-<uid>` unless given.
 */
export function jobContextFor(
  spec: ReplicationJobSpec,
  names: { uid: string; key?: string; jobName?: string; jobId?: string; passwords?: { sourcePassword: string; targetPassword: string } },
): JobContext {
  const { uid, key = 'shop/orders', jobName = `rj-${uid}`, jobId, passwords = RESOLVED_PASSWORDS } = names;
  return { key, jobName, ...(jobId === undefined ? {} : { jobId }), uid, spec, secrets: { get: () => '', ...passwords } };
}

/**
 * A DTS 2018-03-30 migrate job (tencent-dts-legacy): a full copy from INTERNET_MYSQL into a CDB
 * instance. The legacy API takes passwords in CreateMigrateJob, so the tests resolve them directly
 * (no Secret references), plus `overrides`.
 */
export function legacyMigrationSpec(overrides: object = {}) {
  return {
    providerRef: { kind: 'ProviderConfig', name: 'tencent' },
    type: 'migration',
    engine: 'mysql',
    mode: 'full',
    source: { ...INTERNET_MYSQL },
    target: { instanceId: 'cdb-e78e0nnv', user: 'root' },
    ...overrides,
  };
}

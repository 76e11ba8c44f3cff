/**
 * Paths of the GaussDB(for MySQL) → ClickHouse replication API (TaurusDB "HTAP Lightweight
 * Edition"), relative to the regional GaussDB(for MySQL) endpoint. {instance_id} is always the
 * ClickHouse instance. The operation name doubles as the metrics label and the simulator's
 * fault-injection and call-count key.
 */
export const CLICKHOUSE_OPERATIONS = {
  'create-replication': { method: 'POST', path: '/clickhouse/replication' },
  'list-replications': { method: 'GET', path: '/clickhouse/replication' },
  'delete-replication': { method: 'DELETE', path: '/clickhouse/replication/{database_name}' },
  'show-replication-config': { method: 'GET', path: '/clickhouse/replication/config' },
  'check-database': { method: 'POST', path: '/clickhouse/replication/database-check' },
  'check-tables': { method: 'POST', path: '/clickhouse/replication/table-check' },
} as const;

export type ClickHouseOperation = keyof typeof CLICKHOUSE_OPERATIONS;

/** The IAM call that exchanges a password for a token (served by the simulator too). */
export const IAM_TOKEN_OPERATION = 'iam-token';

/** Page size of the list call: the API's maximum, so one call covers 100 replications. */
export const LIST_PAGE_SIZE = 100;

/**
 * Regions whose GaussDB(for MySQL) API is not at gaussdb.<region>: the official SDK's region
 * table (@huaweicloud/huaweicloud-sdk-gaussdb GaussDBRegion) names these hosts. Every other
 * region uses https://gaussdb.<region>.myhuaweicloud.com; spec.endpoint overrides both.
 */
const HOST_BY_REGION: Readonly<Record<string, string>> = {
  'ap-southeast-1': 'gaussdbformysql.ap-southeast-1.myhuaweicloud.com',
  'ap-southeast-2': 'gaussdbformysql.ap-southeast-2.myhuaweicloud.com',
  'tr-west-1': 'gaussdbformysql.tr-west-1.myhuaweicloud.com',
  'af-south-1': 'gaussdb-mysql.af-south-1.myhuaweicloud.com',
};

export function defaultEndpoint(region: string): string {
  return `https://${HOST_BY_REGION[region] ?? `gaussdb.${region}.myhuaweicloud.com`}`;
}

/** Absolute URL of an operation on one ClickHouse instance. */
export function operationUrl(
  endpoint: string,
  projectId: string,
  instanceId: string,
  operation: ClickHouseOperation,
  params: { databaseName?: string; query?: Record<string, string> } = {},
): string {
  let path = CLICKHOUSE_OPERATIONS[operation].path as string;
  if (path.includes('{database_name}')) {
    if (params.databaseName === undefined) throw new Error(`${operation} needs a database name`);
    path = path.replace('{database_name}', encodeURIComponent(params.databaseName));
  }
  const base = `${endpoint.replace(/\/+$/, '')}/v3/${encodeURIComponent(projectId)}/instances/${encodeURIComponent(instanceId)}${path}`;
  const query = new URLSearchParams(params.query ?? {}).toString();
  return query === '' ? base : `${base}?${query}`;
}

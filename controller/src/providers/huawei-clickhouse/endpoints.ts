import { regionalEndpoint, type HuaweiRoute } from '../huawei/endpoints.ts';

/**
 * Paths of the GaussDB(for MySQL) → ClickHouse replication API (TaurusDB "HTAP Lightweight
 * Edition"), relative to the regional GaussDB(for MySQL) endpoint. {instance_id} is always the
 * ClickHouse instance; the client fills in {project_id}. The operation name doubles as the metrics label and the simulator's
 * fault-injection and call-count key.
 */
export const CLICKHOUSE_OPERATIONS = {
  'create-replication': { method: 'POST', path: '/v3/{project_id}/instances/{instance_id}/clickhouse/replication' },
  'list-replications': { method: 'GET', path: '/v3/{project_id}/instances/{instance_id}/clickhouse/replication' },
  'delete-replication': { method: 'DELETE', path: '/v3/{project_id}/instances/{instance_id}/clickhouse/replication/{database_name}' },
  'show-replication-config': { method: 'GET', path: '/v3/{project_id}/instances/{instance_id}/clickhouse/replication/config' },
  'check-database': { method: 'POST', path: '/v3/{project_id}/instances/{instance_id}/clickhouse/replication/database-check' },
  'check-tables': { method: 'POST', path: '/v3/{project_id}/instances/{instance_id}/clickhouse/replication/table-check' },
} as const satisfies Record<string, HuaweiRoute>;

export type ClickHouseOperation = keyof typeof CLICKHOUSE_OPERATIONS;

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
  const host = HOST_BY_REGION[region];
  return host ? `https://${host}` : regionalEndpoint('gaussdb', region);
}

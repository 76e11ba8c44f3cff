import type { EndpointRecord } from '../../job.ts';

/**
 * A PostgreSQL endpoint as the executor uses it, read from a DRS endpoint record (ip, db_port,
 * db_user, db_password, db_name, ssl_link). PostgreSQL connects to one database per
 * connection, so the database is part of the endpoint.
 */
export interface PgEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** ssl_link: connect with TLS (sslmode=require; the certificate is not verified). */
  ssl: boolean;
}

export const DEFAULT_PORT = 5432;
/** What a PostgreSQL endpoint without db_name connects to (every cluster has it). */
export const DEFAULT_DATABASE = 'postgres';

export function pgEndpointOf(record: Readonly<EndpointRecord>, database?: string): PgEndpoint {
  // DRS allows "ip1,ip2" for clustered sources; PostgreSQL logical replication needs the primary: the first one.
  const host = String(record.ip ?? '').split(',')[0]!.trim();
  const port = Number(record.db_port ?? DEFAULT_PORT) || DEFAULT_PORT;
  return {
    host,
    port,
    user: String(record.db_user ?? ''),
    password: String(record.db_password ?? ''),
    database: database ?? databaseOf(record) ?? DEFAULT_DATABASE,
    ssl: record.ssl_link === true,
  };
}

export function databaseOf(record: Readonly<EndpointRecord>): string | undefined {
  const name = record.db_name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** Human-readable, password-free: for messages and logs. */
export function describeEndpoint(endpoint: PgEndpoint): string {
  return `${endpoint.user}@${endpoint.host}:${endpoint.port}/${endpoint.database}`;
}

/**
 * The libpq connection string the target's subscription uses to reach the source. Values are
 * single-quoted with \ and ' escaped (libpq conninfo rules); the result still has to be
 * written as an SQL literal.
 */
export function subscriptionConnInfo(source: PgEndpoint, connectTimeoutSeconds = 10): string {
  const pairs: Array<[string, string]> = [
    ['host', source.host],
    ['port', String(source.port)],
    ['dbname', source.database],
    ['user', source.user],
    ['password', source.password],
    ['connect_timeout', String(connectTimeoutSeconds)],
    ['sslmode', source.ssl ? 'require' : 'prefer'],
  ];
  return pairs.map(([key, value]) => `${key}=${quoteConnInfoValue(value)}`).join(' ');
}

export function quoteConnInfoValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

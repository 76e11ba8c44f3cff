import pg from 'pg';
import type { EngineLogger } from '../../logger.ts';
import { describeEndpoint, type PgEndpoint } from './endpoints.ts';

/**
 * Connection pools, one per endpoint (host, port, user, database, TLS): the pollers query every
 * few hundred milliseconds, and a new connection each time would cost a SCRAM handshake. When
 * the password of an endpoint changes (batch-modify-pwd), its pool is replaced: connections
 * from then on use the new password.
 */
export class PoolRegistry {
  private readonly pools = new Map<string, { password: string; pool: pg.Pool }>();
  private readonly connectTimeoutMs: number;
  private readonly log: EngineLogger;

  constructor(options: { connectTimeoutMs: number; log: EngineLogger }) {
    this.connectTimeoutMs = options.connectTimeoutMs;
    this.log = options.log;
  }

  pool(endpoint: PgEndpoint): pg.Pool {
    const key = identityOf(endpoint);
    const existing = this.pools.get(key);
    if (existing && existing.password === endpoint.password) return existing.pool;
    if (existing) void existing.pool.end().catch(() => {});
    const pool = new pg.Pool({ ...clientConfig(endpoint, this.connectTimeoutMs), max: 3, idleTimeoutMillis: 30_000 });
    // An idle connection dropped by the server (restart, terminate) must not crash the engine.
    pool.on('error', (error) => this.log.debug({ err: error, endpoint: describeEndpoint(endpoint) }, 'idle PostgreSQL connection closed'));
    this.pools.set(key, { password: endpoint.password, pool });
    return pool;
  }

  query<R extends pg.QueryResultRow = Record<string, any>>(endpoint: PgEndpoint, sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.pool(endpoint).query<R>(sql, params);
  }

  /**
   * Runs `fn` on one dedicated connection, which is then discarded: for work that changes
   * session settings (a restored dump sets search_path) or needs one session throughout.
   */
  async withClient<T>(endpoint: PgEndpoint, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool(endpoint).connect();
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (error) {
      broken = error as Error;
      throw error;
    } finally {
      client.release(broken ?? true);
    }
  }

  async closeAll(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map(({ pool }) => pool.end().catch(() => {})));
  }
}

/** Client settings for an endpoint; connection tests use them for a fresh, single-use client. */
export function clientConfig(endpoint: PgEndpoint, connectTimeoutMs: number): pg.ClientConfig {
  return {
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    password: endpoint.password,
    database: endpoint.database,
    ssl: endpoint.ssl ? { rejectUnauthorized: false } : false,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: 'drs-engine',
  };
}

function identityOf(endpoint: PgEndpoint): string {
  return JSON.stringify([endpoint.host, endpoint.port, endpoint.user, endpoint.database, endpoint.ssl]);
}

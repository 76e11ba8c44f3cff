/**
 * The provider job ID of a ReplicationJob: `<ClickHouse instance ID>/<source database>`. The API
 * keeps one synchronization per (ClickHouse instance, database) and names it by the database,
 * so the ID is derived rather than issued: creating twice lands on the same ID, and a job is
 * found again after a crash by listing the instance.
 */
export interface ReplicationKey {
  instanceId: string;
  database: string;
}

export function formatJobId(key: ReplicationKey): string {
  return `${key.instanceId}/${key.database}`;
}

/** Instance IDs never contain '/', so the first one separates the parts (a database name may hold more). */
export function parseJobId(jobId: string): ReplicationKey | undefined {
  const slash = jobId.indexOf('/');
  if (slash <= 0 || slash === jobId.length - 1) return undefined;
  return { instanceId: jobId.slice(0, slash), database: jobId.slice(slash + 1) };
}

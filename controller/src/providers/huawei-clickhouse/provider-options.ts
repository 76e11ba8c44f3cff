import { z } from 'zod';

/**
 * spec.providerOptions keys huawei-clickhouse reads. Anything else is refused with this list.
 */
export const ClickHouseProviderOptions = z
  .object({
    sourceNodeId: z
      .string()
      .min(1)
      .max(128)
      .describe('ID of a GaussDB(for MySQL) read replica to read from (source_node_id). Default: the primary node.'),
  })
  .partial()
  .strict();

export type ClickHouseProviderOptions = z.infer<typeof ClickHouseProviderOptions>;

/** The options, or the problems (each naming the key and what is accepted). */
export function parseClickHouseProviderOptions(raw: Record<string, unknown> | undefined): { options: ClickHouseProviderOptions; problems: string[] } {
  const result = ClickHouseProviderOptions.safeParse(raw ?? {});
  if (result.success) return { options: result.data, problems: [] };
  const known = Object.keys(ClickHouseProviderOptions.shape).join(', ');
  const problems = result.error.issues.map((issue) =>
    issue.code === 'unrecognized_keys'
      ? `spec.providerOptions ${issue.keys.join(', ')} not understood (known: ${known})`
      : `spec.providerOptions.${issue.path.map(String).join('.')}: ${issue.message}`,
  );
  return { options: {}, problems };
}

import { z } from 'zod';
import { providerOptionsParser } from '../provider-options.ts';

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
export const parseClickHouseProviderOptions = providerOptionsParser(ClickHouseProviderOptions, 'spec.providerOptions');

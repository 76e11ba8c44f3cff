import { z } from 'zod';

/**
 * spec.providerOptions keys tencent-cdb reads on a ReplicationJob. Anything else is refused with
 * this list (validate()).
 */
export const CdbJobOptions = z
  .object({
    overrideRoot: z
      .boolean()
      .describe('srcInfo.0.isOverrideRoot: overwrite the target root account with the source one (whole-instance sync only). Default false.'),
  })
  .partial()
  .strict();

export type CdbJobOptions = z.infer<typeof CdbJobOptions>;

/** Keys read from a ProviderConfig's providerOptions (account-wide settings). */
export const CdbAccountOptions = z
  .object({
    signatureMethod: z.enum(['HmacSHA256', 'HmacSHA1']).describe('API v2 SignatureMethod. Default HmacSHA256.'),
  })
  .partial()
  .strict();

export type CdbAccountOptions = z.infer<typeof CdbAccountOptions>;

export function parseCdbJobOptions(raw: Record<string, unknown> | undefined): { options: CdbJobOptions; problems: string[] } {
  return parseOptions(CdbJobOptions, raw, 'spec.providerOptions');
}

export function parseCdbAccountOptions(raw: unknown): { options: CdbAccountOptions; problems: string[] } {
  return parseOptions(CdbAccountOptions, raw, 'spec.providerOptions');
}

function parseOptions<S extends z.ZodObject>(schema: S, raw: unknown, where: string): { options: z.infer<S>; problems: string[] } {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return { options: result.data, problems: [] };
  const known = Object.keys(schema.shape).join(', ');
  const problems = result.error.issues.map((issue) =>
    issue.code === 'unrecognized_keys'
      ? `${where} ${issue.keys.join(', ')} not understood by tencent-cdb (known: ${known})`
      : `${where}.${issue.path.map(String).join('.')}: ${issue.message}`,
  );
  return { options: {} as z.infer<S>, problems };
}

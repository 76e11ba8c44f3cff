import type { z } from 'zod';

/** Options read from spec.providerOptions, or the problems that keep them from being read. */
export type ParsedProviderOptions<T> = { options: T; problems: string[] };

/**
 * The reader of a ReplicationJob's spec.providerOptions for one provider's strict schema: the
 * options, or the problems, one per issue, each naming the key and what is accepted (an unknown
 * key lists the known ones). `where` is how the provider's messages name the field
 * ("spec.providerOptions" or "providerOptions"). Shared so every provider refuses options in the
 * same words.
 */
export function providerOptionsParser<S extends z.ZodObject>(schema: S, where: string): (raw: unknown) => ParsedProviderOptions<z.infer<S>> {
  const known = Object.keys(schema.shape).join(', ');
  return (raw) => {
    const result = schema.safeParse(raw ?? {});
    if (result.success) return { options: result.data, problems: [] };
    const problems = result.error.issues.map((issue) =>
      issue.code === 'unrecognized_keys' && issue.path.length === 0
        ? `${where} ${issue.keys.join(', ')} not understood (known: ${known})`
        : `${where}.${issue.path.map(String).join('.')}: ${issue.message}`,
    );
    // Every provider's options are all optional (.partial()), so none is a valid value.
    return { options: {} as z.infer<S>, problems };
  };
}

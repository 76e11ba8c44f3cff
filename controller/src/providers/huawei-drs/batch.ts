/** Every DRS batch call takes at most this many items (the query APIs say so; actions follow suit). */
export const MAX_BATCH_SIZE = 100;

/** Splits items into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size = MAX_BATCH_SIZE): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be an integer >= 1, got ${size}`);
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/**
 * Pairs each requested item with its entry in a batch response. Entries usually come back in
 * request order, which is the only way to tell apart two entries for the same job (the source and
 * target halves of a connection test); when the order does not line up, entries are matched by
 * key, the n-th entry for a key going to the n-th item with that key. Returns one entry (or
 * undefined when the response has none) per requested item.
 */
export function matchResults(requestKeys: readonly string[], results: readonly unknown[], resultKey: (entry: unknown) => string | undefined): (unknown | undefined)[] {
  const keys = results.map(resultKey);
  const positional = results.length === requestKeys.length && keys.every((key, index) => key === undefined || key === requestKeys[index]);
  if (positional) return [...results];

  const byKey = new Map<string, unknown[]>();
  results.forEach((entry, index) => {
    const key = keys[index];
    if (key === undefined) return;
    const queue = byKey.get(key) ?? [];
    queue.push(entry);
    byKey.set(key, queue);
  });
  return requestKeys.map((key) => byKey.get(key)?.shift());
}

/** A string field of a response entry, if present and non-empty. */
export function stringField(entry: unknown, field: string): string | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const value = (entry as Record<string, unknown>)[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

import type { AdminEndpoint } from './admin.ts';

/**
 * Per-key counters a simulator keeps so tests and benchmarks can see what clients did (calls
 * answered per action, answers per code or HTTP status), and the admin endpoint that shows them.
 */
export function countOne<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** `/_sim/calls` and the like: GET the counts; DELETE answers them and starts again from zero. */
export function countsEndpoint<K extends PropertyKey>(counts: Map<K, number>): AdminEndpoint {
  return ({ method }) => {
    const answer = Object.fromEntries(counts);
    if (method === 'DELETE') counts.clear();
    return answer;
  };
}

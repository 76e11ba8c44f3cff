/**
 * Is a change of replication delay worth a reconcile and a status write? Delay jitters on every
 * poll; writing it each time costs one API-server write per job per poll interval, which at
 * thousands of jobs is pure noise. A change counts when it is at least 5 s and at least half of
 * the smaller value (0 → 10 s counts, 100 s → 140 s does not), or when delay appears or goes away.
 * Small drifts still reach status with the periodic observation refresh.
 */
export function isMaterialDelayChange(before: number | undefined, after: number | undefined): boolean {
  if (before === undefined || after === undefined) return before !== after;
  const change = Math.abs(after - before);
  return change >= Math.max(5, 0.5 * Math.min(before, after));
}

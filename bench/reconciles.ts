import type { OperatorMetrics } from '../controller/src/observability/metrics.ts';

/** Reconciles so far by result (success, requeue, error, terminal), from the operator's own counter. */
export async function reconcileCounts(metrics: OperatorMetrics): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { labels, value } of (await metrics.reconcileTotal.get()).values) out[String(labels.result)] = value;
  return out;
}

/** Poll intervals the operator lengthened to keep polling within half the request budget, so far (all providers). */
export async function pollIntervalsStretched(metrics: OperatorMetrics): Promise<number> {
  return (await metrics.pollIntervalStretched.get()).values.reduce((sum, { value }) => sum + value, 0);
}

/**
 * The human-readable side of a run, on stderr (stdout carries only the JSON line, for
 * scripts). Takes the report as printed, so the two can never disagree.
 */
interface Calls {
  total: number;
  byEndpoint: Record<string, number>;
}

interface AnsweredCalls extends Calls {
  failedByEndpoint: Record<string, Record<string, number>>;
}

export interface SummaryInput {
  provider: string;
  jobs: number;
  secondsToIncrementalSync: number;
  secondsToApply: number;
  reconcilesToIncrementalSync: Record<string, number>;
  callsToIncrementalSync: AnsweredCalls;
  callsPerJobToIncrementalSync: Record<string, number>;
  pollRoundsToIncrementalSync: number;
  pollIntervalsStretchedToIncrementalSync: number;
  steadyCallsPerInterval: AnsweredCalls & { intervals: number; measuredIntervalSeconds: number; kubeApiRequests: Record<string, number>; reconciles: Record<string, number> };
  statusCall: string;
  expectedStatusCallsPerInterval: number;
  phasesAfterSteady: Record<string, number>;
  kubeApiRequests: { operator: { total: number; byVerb: Record<string, number> }; bench: Record<string, number> };
  peakRssMB: number;
  heapUsedMB: number;
  settings: { pollActive: string; pollSteady: string; requestsPerSecond: number; note?: unknown };
}

const list = (o: Record<string, number>) =>
  Object.entries(o)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'none';

/** `Action RequestLimitExceeded 3, error 1; ...`, or none. */
const failures = (o: Record<string, Record<string, number>>) =>
  Object.entries(o)
    .map(([k, v]) => `${k} ${list(v)}`)
    .join('; ') || 'none';

const roundSeconds = (r: SummaryInput) => (r.pollRoundsToIncrementalSync > 0 ? (r.secondsToIncrementalSync / r.pollRoundsToIncrementalSync).toFixed(2) : '-');

export function printSummary(r: SummaryInput, log: { warnings: Record<string, number>; errors: Record<string, number> }): void {
  const s = r.settings;
  const steadyStatus = r.steadyCallsPerInterval.byEndpoint[r.statusCall] ?? 0;
  const lines = [
    `drs-operator bench: ${r.provider}, ${r.jobs} jobs (poll active ${s.pollActive}, steady ${s.pollSteady}; requestsPerSecond ${s.requestsPerSecond})`,
    ...(typeof s.note === 'string' ? [`  request limits: ${s.note}`] : []),
    `  to IncrementalSync: ${r.secondsToIncrementalSync} s (applying the jobs: ${r.secondsToApply} s), ${r.callsToIncrementalSync.total} provider calls (${list(r.callsToIncrementalSync.byEndpoint)}); reconciles ${list(r.reconcilesToIncrementalSync)}`,
    `  to IncrementalSync, per job: ${list(r.callsPerJobToIncrementalSync)}; failed answers: ${failures(r.callsToIncrementalSync.failedByEndpoint)}`,
    `  to IncrementalSync, polling: ${r.pollRoundsToIncrementalSync} rounds (${roundSeconds(r)} s each on average); intervals stretched to the request budget ${r.pollIntervalsStretchedToIncrementalSync}`,
    `  steady, per poll round (${r.steadyCallsPerInterval.intervals} rounds, ${r.steadyCallsPerInterval.measuredIntervalSeconds} s apart; --poll-steady ${s.pollSteady}): ${r.steadyCallsPerInterval.total} calls (${list(r.steadyCallsPerInterval.byEndpoint)}); ` +
      `${r.statusCall} ${steadyStatus} vs ceil(N/100) = ${r.expectedStatusCallsPerInterval}; failed answers: ${failures(r.steadyCallsPerInterval.failedByEndpoint)}`,
    `  steady, per round: Kubernetes requests ${list(r.steadyCallsPerInterval.kubeApiRequests)}; reconciles ${list(r.steadyCallsPerInterval.reconciles)}`,
    `  phases after the steady window: ${list(r.phasesAfterSteady)}`,
    `  kubernetes: operator ${r.kubeApiRequests.operator.total} requests (${list(r.kubeApiRequests.operator.byVerb)}); bench's own: ${list(r.kubeApiRequests.bench)}`,
    `  memory (whole process: operator + API server + simulator): peak RSS ${r.peakRssMB} MB, heap used at the end ${r.heapUsedMB} MB`,
    `  operator warnings: ${list(log.warnings)}; errors: ${list(log.errors)}`,
  ];
  console.error(lines.join('\n'));
}

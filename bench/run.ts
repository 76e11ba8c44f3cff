import { setTimeout as sleep } from 'node:timers/promises';
import { parseBenchArgs, type BenchArgs } from './args.ts';
import { BenchObjects, jobNames } from './bench-objects.ts';
import { BENCH_OPERATOR, NAMESPACE, startEnvironment, type Environment } from './environment.ts';
import { countsSince, expectedStatusCalls, kubeRequests, megabytes, perInterval, perIntervalCounts, phaseCounts, round } from './figures.ts';
import { MemorySampler } from './memory-sampler.ts';
import { pollIntervalsStretched, reconcileCounts } from './reconciles.ts';
import { printSummary } from './summary.ts';

/**
 * `npm run bench -- --provider huawei-drs|tencent-dts --jobs 1000`: the real operator against
 * the Kubernetes API test server and the provider's simulator (DRS, or Tencent DTS sync jobs).
 * Applies N ReplicationJobs, waits until every one is in IncrementalSync, then measures
 * provider calls per steady poll interval. Prints one JSON line on stdout and a readable
 * summary on stderr. Figures are printed, never asserted: timing depends on the machine.
 */
/** How often the benchmark lists the jobs to see their phases (one list call, not N gets). */
const WATCH_EVERY_MS = 500;
/** How often progress goes to stderr while waiting. */
const PROGRESS_EVERY_MS = 5000;
const TARGET_PHASE = 'IncrementalSync';

class TimedOut extends Error {}

async function main(): Promise<void> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 2;
    return;
  }
  const memory = new MemorySampler();
  const env = await startEnvironment(args.jobs, args.provider);
  try {
    const report = await measure(args, env, memory);
    console.log(JSON.stringify(report));
    printSummary(report, env.log.summary());
  } catch (error) {
    process.exitCode = 1;
    console.error(error instanceof TimedOut ? `bench: ${error.message}` : error);
  } finally {
    memory.stop();
    await env.close();
  }
}

async function measure(args: BenchArgs, env: Environment, memory: MemorySampler) {
  const { provider } = env;
  const objects = new BenchObjects(env.server.kubeConfig(), NAMESPACE);
  await objects.createProviderSide(provider, { active: args.pollActive.text, steady: args.pollSteady.text });
  await env.startOperator();

  // From here on every counter belongs to the run.
  provider.resetCalls();
  env.server.faults.resetCounts();
  const startedAt = performance.now();
  const roundsBefore = env.accounts.rounds;
  await objects.createJobs(provider, jobNames(args.jobs));
  const secondsToApply = round((performance.now() - startedAt) / 1000, 1);
  await waitForAll(objects, args, startedAt, env);
  const secondsToIncrementalSync = round((performance.now() - startedAt) / 1000, 1);
  const callsToIncrementalSync = provider.calls();
  const reconcilesToIncrementalSync = await reconcileCounts(env.metrics);
  const stretchedToIncrementalSync = await pollIntervalsStretched(env.metrics);
  const roundsToIncrementalSync = env.accounts.rounds - roundsBefore;

  const steady = await measureSteady(env, args);
  const phasesAfter = phaseCounts(await objects.phases());
  const kube = kubeRequests(env.server.faults.counts(), objects.requests);
  memory.sample();

  return {
    provider: args.provider,
    jobs: args.jobs,
    callsToIncrementalSync,
    // Calls per job by endpoint/action: create, configure, check, start ... once each is the floor; more is retries or repeated reads.
    callsPerJobToIncrementalSync: perIntervalCounts(callsToIncrementalSync.byEndpoint, args.jobs),
    secondsToIncrementalSync,
    // How long creating the N objects took (part of secondsToIncrementalSync): the API server's share.
    secondsToApply,
    reconcilesToIncrementalSync,
    // Poll rounds in the same span: secondsToIncrementalSync / rounds is how long a round took while jobs moved.
    pollRoundsToIncrementalSync: roundsToIncrementalSync,
    // Poll intervals lengthened to keep polling within half the request budget (the client's own throttling of reads).
    pollIntervalsStretchedToIncrementalSync: stretchedToIncrementalSync,
    steadyCallsPerInterval: steady,
    // The poller's batch status read and how many of them a round should cost: ceil(N/100).
    statusCall: provider.statusCall,
    expectedStatusCallsPerInterval: expectedStatusCalls(args.jobs),
    // A job leaving IncrementalSync during the steady window would make that figure meaningless.
    phasesAfterSteady: phasesAfter,
    kubeApiRequests: kube,
    peakRssMB: megabytes(memory.peakRss),
    heapUsedMB: megabytes(process.memoryUsage().heapUsed),
    node: process.version,
    settings: {
      pollActive: args.pollActive.text,
      pollSteady: args.pollSteady.text,
      steadyIntervals: args.steadyIntervals,
      requestsPerSecond: provider.requestsPerSecond,
      ...provider.settings,
      operator: BENCH_OPERATOR,
    },
  };
}

/** Lists the jobs every 500 ms until all are in IncrementalSync; TimedOut (with the phase counts) past --timeout. */
async function waitForAll(objects: BenchObjects, args: BenchArgs, startedAt: number, env: Environment): Promise<void> {
  let lastProgress = performance.now();
  for (;;) {
    const phases = await objects.phases();
    const done = phases.filter((p) => p === TARGET_PHASE).length;
    if (phases.length === args.jobs && done === args.jobs) return;
    const elapsed = performance.now() - startedAt;
    if (elapsed > args.timeout.ms) {
      const calls = env.provider.calls();
      throw new TimedOut(
        `only ${done} of ${args.jobs} jobs reached ${TARGET_PHASE} within --timeout ${args.timeout.text}; ` +
          `phases ${JSON.stringify(phaseCounts(phases))}; provider calls so far ${JSON.stringify(calls)}; ` +
          `operator log ${JSON.stringify(env.log.summary())}`,
      );
    }
    if (performance.now() - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = performance.now();
      console.error(`bench: ${(elapsed / 1000).toFixed(0)}s ${done}/${args.jobs} in ${TARGET_PHASE} ${JSON.stringify(phaseCounts(phases))}`);
    }
    await sleep(WATCH_EVERY_MS);
  }
}

/**
 * Provider calls per steady interval, one interval being one poll round. The round after the
 * last job's change may have been scheduled while jobs still moved, so one round passes first;
 * then the simulator's counters are reset right after a round and read right after the
 * --steady-intervals-th round from there: whole rounds only, none cut in half. The measured
 * mean interval shows whether the poller really is at its steady pace.
 */
async function measureSteady(env: Environment, args: BenchArgs) {
  const waitRounds = async (target: number, what: string) => {
    // Generous: the poller jitters ±10% and may be stretched by its request budget.
    const deadline = performance.now() + (target - env.accounts.rounds + 2) * args.pollSteady.ms * 2;
    while (env.accounts.rounds < target) {
      if (performance.now() > deadline) throw new TimedOut(`the ${env.provider.id} poller completed no round for too long while ${what} (rounds ${env.accounts.rounds}, wanted ${target})`);
      await sleep(10);
    }
  };
  await waitRounds(env.accounts.rounds + 1, 'settling');
  env.provider.resetCalls();
  const kubeBefore = env.server.faults.counts();
  const reconcilesBefore = await reconcileCounts(env.metrics);
  const from = performance.now();
  const first = env.accounts.rounds;
  await waitRounds(first + args.steadyIntervals, 'measuring steady state');
  const calls = env.provider.calls();
  const kube = countsSince(kubeBefore, env.server.faults.counts());
  const reconciles = countsSince(reconcilesBefore, await reconcileCounts(env.metrics));
  const intervals = env.accounts.rounds - first;
  return {
    ...perInterval(calls, intervals),
    intervals,
    measuredIntervalSeconds: round((performance.now() - from) / intervals / 1000, 2),
    failedByEndpoint: calls.failedByEndpoint,
    // The benchmark makes no Kubernetes requests in this window: all of these are the operator's.
    kubeApiRequests: perIntervalCounts(kube, intervals),
    // Every job is requeued each steady interval, so about N per round even when nothing changed.
    reconciles: perIntervalCounts(reconciles, intervals),
  };
}

await main();

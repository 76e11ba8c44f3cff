import { parseDuration } from '../controller/src/duration.ts';

/** Providers the benchmark knows how to stand up a simulator for (simulated-provider.ts starts them). */
export const BENCH_PROVIDERS = ['huawei-drs', 'tencent-dts'] as const;
export type BenchProviderId = (typeof BENCH_PROVIDERS)[number];

/** What `npm run bench -- ...` asks for. Durations keep their text (the ProviderConfig takes it as is) and their milliseconds. */
export interface BenchArgs {
  provider: BenchProviderId;
  jobs: number;
  pollActive: { text: string; ms: number };
  pollSteady: { text: string; ms: number };
  steadyIntervals: number;
  timeout: { text: string; ms: number };
}

export const USAGE =
  'usage: npm run bench -- --provider huawei-drs|tencent-dts --jobs N [--poll-active 1s] [--poll-steady 5s] [--steady-intervals 3] [--timeout 10m]';

const DEFAULTS = { provider: 'huawei-drs', jobs: '100', 'poll-active': '1s', 'poll-steady': '5s', 'steady-intervals': '3', timeout: '10m' };
type Flag = keyof typeof DEFAULTS;

/** Parses `--flag value` and `--flag=value`; throws an Error with the usage line on anything else. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const values: Record<Flag, string> = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || !(match[1]! in DEFAULTS)) throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
    const flag = match[1] as Flag;
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '') throw new Error(`--${flag} needs a value\n${USAGE}`);
    values[flag] = value;
  }
  const provider = BENCH_PROVIDERS.find((id) => id === values.provider);
  if (!provider) throw new Error(`--provider ${values.provider} is not benchmarked (known: ${BENCH_PROVIDERS.join(', ')})`);
  return {
    provider,
    jobs: positiveInt('jobs', values.jobs),
    pollActive: duration('poll-active', values['poll-active']),
    pollSteady: duration('poll-steady', values['poll-steady']),
    steadyIntervals: positiveInt('steady-intervals', values['steady-intervals']),
    timeout: duration('timeout', values.timeout),
  };
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be a positive integer, got ${JSON.stringify(text)}`);
  return n;
}

function duration(flag: string, text: string): { text: string; ms: number } {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (error) {
    throw new Error(`--${flag}: ${(error as Error).message}`);
  }
  if (!(ms > 0)) throw new Error(`--${flag} must be positive, got ${JSON.stringify(text)}`);
  return { text, ms };
}

import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../../bench/args.ts';

describe('parseBenchArgs', () => {
  it('has the documented defaults', () => {
    expect(parseBenchArgs([])).toEqual({
      provider: 'huawei-drs',
      jobs: 100,
      pollActive: { text: '1s', ms: 1000 },
      pollSteady: { text: '5s', ms: 5000 },
      steadyIntervals: 3,
      timeout: { text: '10m', ms: 600_000 },
    });
  });

  it('takes `--flag value` and `--flag=value`, keeping duration text for the ProviderConfig', () => {
    const args = parseBenchArgs(['--jobs', '1000', '--poll-active=500ms', '--poll-steady', '2s', '--steady-intervals=4', '--timeout', '1h']);
    expect(args).toMatchObject({ jobs: 1000, pollActive: { text: '500ms', ms: 500 }, pollSteady: { text: '2s', ms: 2000 }, steadyIntervals: 4, timeout: { ms: 3_600_000 } });
  });

  it.each([
    [['--jobs', '0'], /--jobs must be a positive integer/],
    [['--jobs', '1.5'], /--jobs must be a positive integer/],
    [['--jobs'], /--jobs needs a value/],
    [['--poll-steady', '5'], /--poll-steady: invalid duration/],
    [['--timeout', '0'], /--timeout must be positive/],
    [['--provider', 'tencent-cdb'], /not benchmarked/],
    [['--job', '10'], /unknown argument "--job"/],
    [['100'], /unknown argument "100"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});

import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  configHelp,
  configReferenceMarkdown,
  formatBindAddress,
  isHelpRequested,
  loadConfig,
  type Config,
} from '../../../controller/src/config.ts';
import { SETTINGS } from '../../../controller/src/config-flags.ts';

const deps = { hostname: () => 'drs-operator-7d9f', randomSuffix: () => 'abcd1234' };
const load = (argv: string[] = [], env: NodeJS.ProcessEnv = {}) => loadConfig(argv, env, deps);

function problemsOf(argv: string[], env: NodeJS.ProcessEnv = {}): readonly string[] {
  try {
    load(argv, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig defaults', () => {
  it('uses the documented defaults', () => {
    const expected: Config = {
      concurrency: 4,
      leaderElect: true,
      leaderElectionNamespace: 'default',
      leaderElectionId: 'drs-operator-leader',
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2000,
      identity: 'drs-operator-7d9f_abcd1234',
      metricsBindAddress: { host: '0.0.0.0', port: 8080 },
      healthBindAddress: { host: '0.0.0.0', port: 8081 },
      logLevel: 'info',
      resyncPeriodMs: 600_000,
      watchdogTimeoutMs: 300_000,
      defaultPollIntervalMs: 30_000,
      backoffBaseMs: 1000,
      backoffMaxMs: 300_000,
      globalQps: 10,
      globalBurst: 100,
      embeddedEngine: false,
      engineDataDir: '/tmp/.local/state/drs-operator/engine',
      engineListen: { host: '127.0.0.1', port: 0 },
    };
    expect(load()).toEqual(expected);
  });

  it('defaults the lease namespace to POD_NAMESPACE', () => {
    expect(load([], { POD_NAMESPACE: 'drs-system' }).leaderElectionNamespace).toBe('drs-system');
  });

  it('generates a unique identity from the hostname and a random suffix by default', () => {
    const a = loadConfig([], {}, { hostname: () => 'pod-a' }).identity;
    const b = loadConfig([], {}, { hostname: () => 'pod-a' }).identity;
    expect(a).toMatch(/^pod-a_[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });
});

describe('loadConfig sources', () => {
  it('reads every setting from its environment variable', () => {
    const config = load([], {
      KUBECONFIG: '/home/me/.kube/dev',
      DRS_OPERATOR_NAMESPACE: 'team-a',
      DRS_OPERATOR_CONCURRENCY: '16',
      DRS_OPERATOR_LEADER_ELECT: 'false',
      DRS_OPERATOR_LEADER_ELECTION_NAMESPACE: 'drs-system',
      DRS_OPERATOR_LEADER_ELECTION_ID: 'drs.example.com',
      DRS_OPERATOR_LEASE_DURATION: '30s',
      DRS_OPERATOR_RENEW_DEADLINE: '20s',
      DRS_OPERATOR_RETRY_PERIOD: '5s',
      DRS_OPERATOR_IDENTITY: 'replica-1',
      DRS_OPERATOR_METRICS_BIND_ADDRESS: ':9090',
      DRS_OPERATOR_HEALTH_BIND_ADDRESS: '[::1]:9091',
      DRS_OPERATOR_LOG_LEVEL: 'debug',
      DRS_OPERATOR_RESYNC_PERIOD: '1h',
      DRS_OPERATOR_WATCHDOG_TIMEOUT: '2m30s',
      DRS_OPERATOR_DEFAULT_POLL_INTERVAL: '1m',
      DRS_OPERATOR_BACKOFF_BASE: '250ms',
      DRS_OPERATOR_BACKOFF_MAX: '10m',
      DRS_OPERATOR_GLOBAL_QPS: '2.5',
      DRS_OPERATOR_GLOBAL_BURST: '20',
      DRS_OPERATOR_SHARD_SELECTOR: 'shard in (a,b)',
      DRS_OPERATOR_EMBEDDED_ENGINE: 'true',
      DRS_OPERATOR_ENGINE_DATA_DIR: '/var/lib/drs-engine',
      DRS_OPERATOR_ENGINE_LISTEN: '127.0.0.1:8088',
    });
    expect(config).toEqual({
      kubeconfig: '/home/me/.kube/dev',
      namespace: 'team-a',
      concurrency: 16,
      leaderElect: false,
      leaderElectionNamespace: 'drs-system',
      leaderElectionId: 'drs.example.com',
      leaseDurationMs: 30_000,
      renewDeadlineMs: 20_000,
      retryPeriodMs: 5000,
      identity: 'replica-1',
      metricsBindAddress: { host: '0.0.0.0', port: 9090 },
      healthBindAddress: { host: '::1', port: 9091 },
      logLevel: 'debug',
      resyncPeriodMs: 3_600_000,
      watchdogTimeoutMs: 150_000,
      defaultPollIntervalMs: 60_000,
      backoffBaseMs: 250,
      backoffMaxMs: 600_000,
      globalQps: 2.5,
      globalBurst: 20,
      shardSelector: 'shard in (a,b)',
      embeddedEngine: true,
      engineDataDir: '/var/lib/drs-engine',
      engineListen: { host: '127.0.0.1', port: 8088 },
    } satisfies Config);
  });

  it('lets a flag override its environment variable', () => {
    const env = { DRS_OPERATOR_CONCURRENCY: '16', DRS_OPERATOR_LOG_LEVEL: 'debug' };
    const config = load(['--concurrency', '8', '--log-level=warn'], env);
    expect(config.concurrency).toBe(8);
    expect(config.logLevel).toBe('warn');
  });

  it('lets the last occurrence of a repeated flag win, as Go does', () => {
    expect(load(['--concurrency=2', '--concurrency=3']).concurrency).toBe(3);
  });

  it('accepts Go-style single-dash flags', () => {
    expect(load(['-concurrency=5', '-namespace', 'x']).concurrency).toBe(5);
  });

  it('treats empty environment variables as unset', () => {
    const config = load([], { DRS_OPERATOR_CONCURRENCY: '', DRS_OPERATOR_NAMESPACE: '' });
    expect(config.concurrency).toBe(4);
    expect(config.namespace).toBeUndefined();
  });

  it('treats an empty value of an optional flag as unset (all namespaces)', () => {
    expect(load(['--namespace='], { DRS_OPERATOR_NAMESPACE: 'team-a' }).namespace).toBeUndefined();
  });

  it('ignores unrelated DRS_OPERATOR_* variables, such as Kubernetes service links', () => {
    expect(() => load([], { DRS_OPERATOR_SERVICE_HOST: '10.0.0.1', DRS_OPERATOR_PORT: 'tcp://10.0.0.1:8080' })).not.toThrow();
  });
});

describe('boolean flags', () => {
  it.each([
    [['--leader-elect'], true],
    [['--leader-elect=true'], true],
    [['--leader-elect=false'], false],
    [['--leader-elect=0'], false],
    [['--leader-elect=FALSE'], false],
    [['--no-leader-elect'], false],
    [['--no-leader-elect', '--leader-elect'], true],
  ])('%j gives leaderElect=%s', (argv, expected) => {
    expect(load(argv).leaderElect).toBe(expected);
  });

  it('a bare boolean flag does not consume the next argument', () => {
    const config = load(['--embedded-engine', '--concurrency', '2']);
    expect(config.embeddedEngine).toBe(true);
    expect(config.concurrency).toBe(2);
  });

  it('accepts boolean words in environment variables', () => {
    expect(load([], { DRS_OPERATOR_LEADER_ELECT: 'no' }).leaderElect).toBe(false);
    expect(load([], { DRS_OPERATOR_EMBEDDED_ENGINE: '1' }).embeddedEngine).toBe(true);
  });
});

describe('loadConfig errors', () => {
  it('names the flag, the expected form and the bad value', () => {
    expect(problemsOf(['--concurrency=abc'])).toEqual(['--concurrency: expected an integer between 1 and 256, got "abc"']);
  });

  it('also names the environment variable when the value came from one', () => {
    expect(problemsOf([], { DRS_OPERATOR_CONCURRENCY: 'abc' })).toEqual([
      '--concurrency: expected an integer between 1 and 256, got "abc" (env DRS_OPERATOR_CONCURRENCY)',
    ]);
  });

  it.each([
    [['--concurrency=0'], '--concurrency: expected an integer between 1 and 256, got "0"'],
    [['--concurrency=257'], '--concurrency: expected an integer between 1 and 256, got "257"'],
    [['--concurrency=2.5'], '--concurrency: expected an integer between 1 and 256, got "2.5"'],
    [['--concurrency='], '--concurrency: expected an integer between 1 and 256, got ""'],
    [['--leader-elect=maybe'], '--leader-elect: expected true or false, got "maybe"'],
    [['--lease-duration=15'], '--lease-duration: expected a duration between 1s and 1h, such as 15s, 5m or 1h30m, got "15"'],
    [['--resync-period=10s'], '--resync-period: expected a duration between 1m and 24h, such as 15s, 5m or 1h30m, got "10s"'],
    [['--backoff-max=-5m'], '--backoff-max: expected a duration between 1ms and 24h, such as 15s, 5m or 1h30m, got "-5m"'],
    [['--log-level=verbose'], '--log-level: expected one of trace, debug, info, warn, error, got "verbose"'],
    [['--metrics-bind-address=8080'], '--metrics-bind-address: expected host:port, such as 0.0.0.0:8080, :8080 or [::]:8080, got "8080"'],
    [['--health-bind-address=:70000'], '--health-bind-address: expected host:port, such as 0.0.0.0:8080, :8080 or [::]:8080, got ":70000"'],
    [['--global-qps=0'], '--global-qps: expected a number greater than 0 and at most 10000, got "0"'],
    [['--global-qps=fast'], '--global-qps: expected a number greater than 0 and at most 10000, got "fast"'],
    [['--global-burst=0'], '--global-burst: expected an integer between 1 and 100000, got "0"'],
    [
      ['--namespace=Team_A'],
      '--namespace: expected a namespace name: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters, got "Team_A"',
    ],
    [
      ['--leader-election-id=Bad Name'],
      '--leader-election-id: expected an object name: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters, got "Bad Name"',
    ],
    [['--identity='], '--identity: expected a non-empty string of at most 128 characters, got ""'],
  ])('%j', (argv, message) => {
    expect(problemsOf(argv)).toEqual([message]);
  });

  it('reports unknown flags with a hint, suggesting a near miss', () => {
    expect(problemsOf(['--concurency=4'])).toEqual([
      'unknown flag --concurency (did you mean --concurrency?); run with --help to list the flags',
    ]);
    expect(problemsOf(['--frobnicate'])).toEqual(['unknown flag --frobnicate; run with --help to list the flags']);
  });

  it('reports a flag missing its value', () => {
    expect(problemsOf(['--namespace'])).toEqual(['--namespace needs a value (name): use --namespace=VALUE or --namespace VALUE']);
    expect(problemsOf(['--concurrency', '--leader-elect'])).toEqual([
      '--concurrency needs a value (int): use --concurrency=VALUE or --concurrency VALUE',
    ]);
  });

  it('reports positional arguments', () => {
    expect(problemsOf(['run'])).toEqual(['unexpected argument "run": drs-operator takes only flags; run with --help to list them']);
  });

  it('reports a value given to a --no- flag', () => {
    expect(problemsOf(['--no-leader-elect=true'])).toEqual([
      '--no-leader-elect does not take a value; use --leader-elect=true instead',
    ]);
  });

  it('treats --no- on a non-boolean flag as unknown', () => {
    expect(problemsOf(['--no-concurrency'])).toEqual(['unknown flag --no-concurrency; run with --help to list the flags']);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf(['--concurrency=x', '--bogus'], { DRS_OPERATOR_LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(3);
    try {
      load(['--concurrency=x', '--bogus'], { DRS_OPERATOR_LOG_LEVEL: 'loud' });
    } catch (err) {
      expect((err as Error).message).toMatch(/^invalid configuration:\n {2}unknown flag --bogus/);
    }
  });

  it('requires the renew deadline to be shorter than the lease duration', () => {
    expect(problemsOf(['--lease-duration=10s', '--renew-deadline=10s'])).toEqual([
      '--renew-deadline (10s) must be shorter than --lease-duration (10s), otherwise another replica can take the lease while this one still believes it leads',
    ]);
  });

  it('requires the renew deadline to exceed 1.2 × the retry period', () => {
    expect(problemsOf(['--retry-period=9s'])).toEqual([
      '--renew-deadline (10s) must be longer than 1.2 × --retry-period (10.8s), so a failed renewal is retried before the deadline',
    ]);
  });

  it('skips leader election timing rules when leader election is off', () => {
    expect(load(['--no-leader-elect', '--lease-duration=5s', '--renew-deadline=10s']).leaderElect).toBe(false);
  });

  it('requires the backoff base not to exceed the backoff max', () => {
    expect(problemsOf(['--backoff-base=10m', '--backoff-max=5m'])).toEqual([
      '--backoff-base (10m) must not be longer than --backoff-max (5m)',
    ]);
  });
});

describe('bind addresses', () => {
  it.each([
    ['0.0.0.0:8080', { host: '0.0.0.0', port: 8080 }],
    [':8080', { host: '0.0.0.0', port: 8080 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['localhost:9000', { host: 'localhost', port: 9000 }],
    ['[::]:8080', { host: '::', port: 8080 }],
  ])('parses %s', (raw, expected) => {
    expect(load([`--metrics-bind-address=${raw}`]).metricsBindAddress).toEqual(expected);
  });

  it('formats addresses back, bracketing IPv6 hosts', () => {
    expect(formatBindAddress({ host: '::', port: 8080 })).toBe('[::]:8080');
    expect(formatBindAddress({ host: '0.0.0.0', port: 8081 })).toBe('0.0.0.0:8081');
  });
});

describe('help and reference', () => {
  it('detects --help and -h', () => {
    expect(isHelpRequested(['--concurrency=2', '--help'])).toBe(true);
    expect(isHelpRequested(['-h'])).toBe(true);
    expect(isHelpRequested(['--concurrency=2'])).toBe(false);
    expect(() => load(['--help'])).not.toThrow();
  });

  it('lists every flag with its variable and default in --help', () => {
    const help = configHelp();
    for (const setting of Object.values(SETTINGS)) {
      expect(help).toContain(`--${setting.flag}`);
      expect(help).toContain(`env ${setting.env}; default: ${setting.defaultText}`);
    }
    expect(help).toContain('  --concurrency int\n        Number of ReplicationJobs reconciled in parallel (1-256).\n');
    expect(help).toContain('  --leader-elect\n');
  });

  it('renders a markdown table with one row per setting', () => {
    const markdown = configReferenceMarkdown();
    const lines = markdown.trim().split('\n');
    expect(lines[0]).toBe('| Flag | Environment variable | Default | Description |');
    expect(lines).toHaveLength(2 + Object.keys(SETTINGS).length);
    expect(markdown).toContain('| `--concurrency int` | `DRS_OPERATOR_CONCURRENCY` | 4 | Number of ReplicationJobs reconciled in parallel (1-256). |');
    expect(markdown).toContain('| `--kubeconfig string` | `KUBECONFIG` |');
  });

  it('every documented default parses back to the value loadConfig uses', () => {
    const defaults = load();
    for (const [key, setting] of Object.entries(SETTINGS)) {
      const value = defaults[key as keyof Config];
      // Environment-derived defaults are described, not literal.
      if (value === undefined || key === 'identity' || key === 'leaderElectionNamespace' || key === 'engineDataDir') continue;
      expect(setting.parser.schema.parse(setting.defaultText)).toEqual(value);
    }
  });
});

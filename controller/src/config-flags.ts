import { z } from 'zod';
import * as value from './config-values.ts';
import type { ValueParser } from './config-values.ts';
import { formatDuration } from './duration.ts';

/**
 * The one table every operator setting is defined in. loadConfig, --help and the
 * README's configuration reference are all generated from it, so they cannot drift.
 */

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** client-go's leader election JitterFactor: renewals are retried at up to 1.2 × retry period. */
const LEADER_ELECTION_JITTER = 1.2;

const bindAddressShape = z.object({ host: z.string(), port: z.number().int().min(0).max(65535) });

/** The shape of a loaded configuration, plus the rules that relate settings to each other. */
export const configSchema = z
  .object({
    kubeconfig: z.string().optional(),
    namespace: z.string().optional(),
    concurrency: z.number().int(),
    leaderElect: z.boolean(),
    leaderElectionNamespace: z.string(),
    leaderElectionId: z.string(),
    leaseDurationMs: z.number(),
    renewDeadlineMs: z.number(),
    retryPeriodMs: z.number(),
    identity: z.string(),
    metricsBindAddress: bindAddressShape,
    healthBindAddress: bindAddressShape,
    logLevel: z.enum(LOG_LEVELS),
    resyncPeriodMs: z.number(),
    watchdogTimeoutMs: z.number(),
    defaultPollIntervalMs: z.number(),
    backoffBaseMs: z.number(),
    backoffMaxMs: z.number(),
    globalQps: z.number(),
    globalBurst: z.number().int(),
    shardSelector: z.string().optional(),
    embeddedEngine: z.boolean(),
    engineDataDir: z.string(),
    engineListen: bindAddressShape,
  })
  .strict()
  .superRefine((config, ctx) => {
    const d = formatDuration;
    if (config.leaderElect && config.renewDeadlineMs >= config.leaseDurationMs) {
      ctx.addIssue({
        code: 'custom',
        message:
          `--renew-deadline (${d(config.renewDeadlineMs)}) must be shorter than --lease-duration (${d(config.leaseDurationMs)}), ` +
          'otherwise another replica can take the lease while this one still believes it leads',
      });
    }
    if (config.leaderElect && config.renewDeadlineMs <= LEADER_ELECTION_JITTER * config.retryPeriodMs) {
      ctx.addIssue({
        code: 'custom',
        message:
          `--renew-deadline (${d(config.renewDeadlineMs)}) must be longer than ${LEADER_ELECTION_JITTER} × --retry-period ` +
          `(${d(LEADER_ELECTION_JITTER * config.retryPeriodMs)}), so a failed renewal is retried before the deadline`,
      });
    }
    if (config.backoffBaseMs > config.backoffMaxMs) {
      ctx.addIssue({
        code: 'custom',
        message: `--backoff-base (${d(config.backoffBaseMs)}) must not be longer than --backoff-max (${d(config.backoffMaxMs)})`,
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

/** What defaults may depend on; injected so tests get stable identities. */
export interface DefaultContext {
  env: NodeJS.ProcessEnv;
  hostname(): string;
  randomSuffix(): string;
}

export interface Setting<T> {
  /** Without the leading `--`. */
  readonly flag: string;
  readonly env: string;
  readonly parser: ValueParser<T>;
  /** undefined means "not set", only allowed for optional settings. */
  readonly default: (ctx: DefaultContext) => T | undefined;
  /** How the default reads in --help and the README. */
  readonly defaultText: string;
  readonly description: string;
}

export type Settings = { readonly [K in keyof Config]-?: Setting<Exclude<Config[K], undefined>> };

const constant =
  <T>(v: T) =>
  (): T =>
    v;

export const SETTINGS: Settings = {
  kubeconfig: {
    flag: 'kubeconfig',
    env: 'KUBECONFIG',
    parser: value.text(4096),
    default: constant(undefined),
    defaultText: 'in-cluster service account, else ~/.kube/config',
    description: 'Path to a kubeconfig file. Leave unset when running inside the cluster.',
  },
  namespace: {
    flag: 'namespace',
    env: 'DRS_OPERATOR_NAMESPACE',
    parser: value.dnsLabel,
    default: constant(undefined),
    defaultText: 'all namespaces',
    description: 'Only watch ReplicationJobs in this namespace.',
  },
  concurrency: {
    flag: 'concurrency',
    env: 'DRS_OPERATOR_CONCURRENCY',
    parser: value.integer(1, 256),
    default: constant(4),
    defaultText: '4',
    description: 'Number of ReplicationJobs reconciled in parallel (1-256).',
  },
  leaderElect: {
    flag: 'leader-elect',
    env: 'DRS_OPERATOR_LEADER_ELECT',
    parser: value.boolean,
    default: constant(true),
    defaultText: 'true',
    description:
      'Elect a leader through a Lease so only one replica reconciles at a time. Disable only when running a single replica.',
  },
  leaderElectionNamespace: {
    flag: 'leader-election-namespace',
    env: 'DRS_OPERATOR_LEADER_ELECTION_NAMESPACE',
    parser: value.dnsLabel,
    default: ({ env }) => env['POD_NAMESPACE'] || 'default',
    defaultText: '$POD_NAMESPACE, else "default"',
    description: 'Namespace of the leader election Lease.',
  },
  leaderElectionId: {
    flag: 'leader-election-id',
    env: 'DRS_OPERATOR_LEADER_ELECTION_ID',
    parser: value.dnsSubdomain,
    default: constant('drs-operator-leader'),
    defaultText: 'drs-operator-leader',
    description: 'Name of the leader election Lease. Replicas with the same name compete for leadership.',
  },
  leaseDurationMs: {
    flag: 'lease-duration',
    env: 'DRS_OPERATOR_LEASE_DURATION',
    parser: value.duration(SECOND, HOUR),
    default: constant(15 * SECOND),
    defaultText: '15s',
    description: "How long a lease is valid: a new leader takes over at most this long after the old one stops renewing.",
  },
  renewDeadlineMs: {
    flag: 'renew-deadline',
    env: 'DRS_OPERATOR_RENEW_DEADLINE',
    parser: value.duration(SECOND, HOUR),
    default: constant(10 * SECOND),
    defaultText: '10s',
    description: 'How long the leader keeps trying to renew its lease before it stops reconciling. Must be shorter than --lease-duration.',
  },
  retryPeriodMs: {
    flag: 'retry-period',
    env: 'DRS_OPERATOR_RETRY_PERIOD',
    parser: value.duration(100, HOUR),
    default: constant(2 * SECOND),
    defaultText: '2s',
    description: 'How often replicas try to acquire or renew the lease.',
  },
  identity: {
    flag: 'identity',
    env: 'DRS_OPERATOR_IDENTITY',
    parser: value.text(128),
    default: (ctx) => `${ctx.hostname()}_${ctx.randomSuffix()}`,
    defaultText: 'hostname + random suffix',
    description: 'Name this replica records as the lease holder. Must be unique per replica.',
  },
  metricsBindAddress: {
    flag: 'metrics-bind-address',
    env: 'DRS_OPERATOR_METRICS_BIND_ADDRESS',
    parser: value.bindAddress,
    default: constant({ host: '0.0.0.0', port: 8080 }),
    defaultText: '0.0.0.0:8080',
    description: 'Address the Prometheus /metrics endpoint listens on.',
  },
  healthBindAddress: {
    flag: 'health-bind-address',
    env: 'DRS_OPERATOR_HEALTH_BIND_ADDRESS',
    parser: value.bindAddress,
    default: constant({ host: '0.0.0.0', port: 8081 }),
    defaultText: '0.0.0.0:8081',
    description: 'Address the /healthz and /readyz probes listen on. May equal --metrics-bind-address to serve everything on one port.',
  },
  logLevel: {
    flag: 'log-level',
    env: 'DRS_OPERATOR_LOG_LEVEL',
    parser: value.oneOf('level', LOG_LEVELS),
    default: constant('info'),
    defaultText: 'info',
    description: 'Least severe log level written: trace, debug, info, warn or error.',
  },
  resyncPeriodMs: {
    flag: 'resync-period',
    env: 'DRS_OPERATOR_RESYNC_PERIOD',
    parser: value.duration(MINUTE, DAY),
    default: constant(10 * MINUTE),
    defaultText: '10m',
    description: 'How often informers relist every object, as a safety net for missed watch events.',
  },
  watchdogTimeoutMs: {
    flag: 'watchdog-timeout',
    env: 'DRS_OPERATOR_WATCHDOG_TIMEOUT',
    parser: value.duration(10 * SECOND, DAY),
    default: constant(5 * MINUTE),
    defaultText: '5m',
    description: 'Restart an informer whose watch delivered no event and no bookmark for this long.',
  },
  defaultPollIntervalMs: {
    flag: 'default-poll-interval',
    env: 'DRS_OPERATOR_DEFAULT_POLL_INTERVAL',
    parser: value.duration(SECOND, DAY),
    default: constant(30 * SECOND),
    defaultText: '30s',
    description: 'How often a provider is asked for job status when a ReplicationJob sets no spec.pollInterval.',
  },
  backoffBaseMs: {
    flag: 'backoff-base',
    env: 'DRS_OPERATOR_BACKOFF_BASE',
    parser: value.duration(1, HOUR),
    default: constant(SECOND),
    defaultText: '1s',
    description: 'Retry delay after the first failed reconcile of a job; it doubles with each further failure.',
  },
  backoffMaxMs: {
    flag: 'backoff-max',
    env: 'DRS_OPERATOR_BACKOFF_MAX',
    parser: value.duration(1, DAY),
    default: constant(5 * MINUTE),
    defaultText: '5m',
    description: 'Longest retry delay after repeated failed reconciles.',
  },
  globalQps: {
    flag: 'global-qps',
    env: 'DRS_OPERATOR_GLOBAL_QPS',
    parser: value.positiveNumber(10_000),
    default: constant(10),
    defaultText: '10',
    description: 'Retries per second allowed across all jobs, protecting the API server and cloud APIs during outages.',
  },
  globalBurst: {
    flag: 'global-burst',
    env: 'DRS_OPERATOR_GLOBAL_BURST',
    parser: value.integer(1, 100_000),
    default: constant(100),
    defaultText: '100',
    description: 'Retries allowed at once before --global-qps applies.',
  },
  shardSelector: {
    flag: 'shard-selector',
    env: 'DRS_OPERATOR_SHARD_SELECTOR',
    parser: value.text(1024),
    default: constant(undefined),
    defaultText: 'all ReplicationJobs',
    description:
      'Label selector (e.g. shard=a) limiting which ReplicationJobs this deployment reconciles, to split jobs across several operators.',
  },
  embeddedEngine: {
    flag: 'embedded-engine',
    env: 'DRS_OPERATOR_EMBEDDED_ENGINE',
    parser: value.boolean,
    default: constant(false),
    defaultText: 'false',
    description:
      'Run the built-in PostgreSQL replication engine inside the operator and create a ClusterProviderConfig named local that points at it (single-replica setups and quick starts).',
  },
  engineDataDir: {
    flag: 'engine-data-dir',
    env: 'DRS_OPERATOR_ENGINE_DATA_DIR',
    parser: value.text(4096),
    default: (ctx) => `${ctx.env.XDG_STATE_HOME ?? `${ctx.env.HOME ?? '/tmp'}/.local/state`}/drs-operator/engine`,
    defaultText: '$XDG_STATE_HOME/drs-operator/engine (~/.local/state/...)',
    description: 'Where the embedded engine keeps its durable job store (with --embedded-engine).',
  },
  engineListen: {
    flag: 'engine-listen',
    env: 'DRS_OPERATOR_ENGINE_LISTEN',
    parser: value.bindAddress,
    default: constant({ host: '127.0.0.1', port: 0 }),
    defaultText: '127.0.0.1:0',
    description: 'Address the embedded engine serves its DRS-compatible API on (with --embedded-engine); port 0 picks a free port.',
  },
};

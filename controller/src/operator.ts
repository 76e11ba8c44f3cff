import { CoreV1Api, type KubeConfig, type V1Secret } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, KINDS } from './api/group.ts';
import type { ClusterProviderConfig, ProviderConfig, ReplicationJob } from './api/resources.ts';
import type { Config } from './config.ts';
import type { OperatorMetrics } from './observability/metrics.ts';
import type { ProviderFactory } from './reconcile/provider-accounts.ts';
import { ProviderAccounts } from './reconcile/provider-accounts.ts';
import { providerConfigStatus } from './reconcile/provider-config-status.ts';
import { Reconciler } from './reconcile/reconciler.ts';
import { referencedSecretNames } from './reconcile/secrets.ts';
import { EventRecorder } from './runtime/event-recorder.ts';
import { Informer, type KubeObject } from './runtime/informer.ts';
import { KubePorts } from './runtime/kube-ports.ts';
import { LeaderElector } from './runtime/leader-election.ts';
import { createControllerRateLimiter } from './runtime/rate-limiter.ts';
import { ReferenceIndex } from './runtime/reference-index.ts';
import { ResourceClient } from './runtime/resource-client.ts';
import { shareConnections } from './runtime/shared-connections.ts';
import { StatusWriter } from './runtime/status-writer.ts';
import { WorkQueue } from './runtime/work-queue.ts';
import { runWorkers, type WorkerPool } from './runtime/worker-pool.ts';

export type OperatorSettings = Pick<
  Config,
  | 'namespace'
  | 'concurrency'
  | 'leaderElect'
  | 'leaderElectionNamespace'
  | 'leaderElectionId'
  | 'leaseDurationMs'
  | 'renewDeadlineMs'
  | 'retryPeriodMs'
  | 'identity'
  | 'resyncPeriodMs'
  | 'watchdogTimeoutMs'
  | 'backoffBaseMs'
  | 'backoffMaxMs'
  | 'globalQps'
  | 'globalBurst'
  | 'shardSelector'
  | 'defaultPollIntervalMs'
>;

export interface OperatorLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface OperatorOptions {
  kubeConfig: KubeConfig;
  settings: OperatorSettings;
  providers: ReadonlyMap<string, ProviderFactory>;
  log: OperatorLogger;
  metrics: OperatorMetrics;
  now?: () => number;
}

/**
 * The running operator: informers (on every replica, so a standby takes over with warm
 * caches), reference indexes that turn a change anywhere into re-queues of exactly the jobs
 * affected, the work queue and workers (only while leading), and leader election.
 */
export class Operator {
  readonly #o: OperatorOptions;
  readonly jobs: Informer<ReplicationJob>;
  readonly #configs: Informer<ProviderConfig>;
  readonly #clusterConfigs: Informer<ClusterProviderConfig>;
  readonly #secrets: Informer<V1Secret>;
  readonly #events: EventRecorder;
  readonly #accounts: ProviderAccounts;
  readonly #reconciler: Reconciler;
  readonly #refs = new ReferenceIndex();
  readonly #elector: LeaderElector | undefined;
  #queue: WorkQueue<string> | undefined;
  /** ProviderConfig status keys: `pc:<ns>/<name>` or `cpc:<name>`. */
  #configQueue: WorkQueue<string> | undefined;
  #configWorkers: WorkerPool | undefined;
  readonly #configStatus: { pc: StatusWriter<ProviderConfig>; cpc: StatusWriter<ClusterProviderConfig> };
  #workers: WorkerPool | undefined;
  #started = false;
  #healthTimer: NodeJS.Timeout | undefined;

  constructor(options: OperatorOptions) {
    this.#o = options;
    const { settings, log, metrics } = options;
    const kubeConfig = shareConnections(options.kubeConfig);
    const ns = settings.namespace;
    const informer = <T extends KubeObject>(plural: string, namespaced: boolean, extra: { labelSelector?: string; fieldSelector?: string } = {}) => {
      const client = new ResourceClient<T>(kubeConfig, { group: API_GROUP, version: API_VERSION, plural });
      const path = namespaced && ns ? `/apis/${API_GROUP}/${API_VERSION}/namespaces/${ns}/${plural}` : `/apis/${API_GROUP}/${API_VERSION}/${plural}`;
      return this.#informer<T>(plural, path, () => client.list(namespaced ? ns : undefined, extra.labelSelector), extra);
    };
    this.jobs = informer<ReplicationJob>(KINDS.ReplicationJob.plural, true, settings.shardSelector ? { labelSelector: settings.shardSelector } : {});
    this.#configs = informer<ProviderConfig>(KINDS.ProviderConfig.plural, true);
    this.#clusterConfigs = informer<ClusterProviderConfig>(KINDS.ClusterProviderConfig.plural, false);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    // Helm releases and service-account tokens are never replication credentials, and Helm's
    // can be large: keep them out of the cache.
    const secretSelector = 'type!=helm.sh/release.v1,type!=kubernetes.io/service-account-token';
    this.#secrets = this.#informer<V1Secret>(
      'secrets',
      ns ? `/api/v1/namespaces/${ns}/secrets` : '/api/v1/secrets',
      async () =>
        (ns
          ? await core.listNamespacedSecret({ namespace: ns, fieldSelector: secretSelector })
          : await core.listSecretForAllNamespaces({ fieldSelector: secretSelector })) as { items: V1Secret[]; metadata?: { resourceVersion?: string } },
      { fieldSelector: secretSelector },
    );
    this.#configStatus = {
      pc: new StatusWriter(new ResourceClient<ProviderConfig>(kubeConfig, { group: API_GROUP, version: API_VERSION, plural: KINDS.ProviderConfig.plural })),
      cpc: new StatusWriter(new ResourceClient<ClusterProviderConfig>(kubeConfig, { group: API_GROUP, version: API_VERSION, plural: KINDS.ClusterProviderConfig.plural })),
    };
    this.#events = new EventRecorder(kubeConfig, { component: 'drs-operator', host: settings.identity, log });
    const ports = new KubePorts({ kubeConfig, jobs: this.jobs, configs: this.#configs, clusterConfigs: this.#clusterConfigs, secrets: this.#secrets, events: this.#events });
    this.#accounts = new ProviderAccounts(ports, options.providers, (account, jobId) => this.#enqueueRef(`job:${account}/${jobId}`), {
      defaultPollIntervalMs: settings.defaultPollIntervalMs,
      onRequest: ({ provider, operation, outcome, seconds }) => metrics.observeProviderRequest({ provider, operation, outcome }, seconds),
      onPollStretched: (provider) => metrics.pollIntervalStretched.inc({ provider }),
      log,
    });
    this.#reconciler = new Reconciler({ view: ports, writer: ports, accounts: this.#accounts, log, ...(options.now ? { now: options.now } : {}) });
    this.#wireHandlers();
    metrics.setJobPhaseCounts(() => {
      const counts: Record<string, number> = {};
      for (const job of this.jobs.list()) {
        const phase = job.status?.phase ?? 'Pending';
        counts[phase] = (counts[phase] ?? 0) + 1;
      }
      return counts;
    });
    metrics.setJobProgressSource(() =>
      this.jobs.list().map((job) => ({
        namespace: job.metadata.namespace ?? '',
        name: job.metadata.name ?? '',
        phase: job.status?.phase ?? 'Pending',
        ...(job.status?.progress?.incrementalDelaySeconds !== undefined ? { delaySeconds: job.status.progress.incrementalDelaySeconds } : {}),
        ...(job.status?.progress?.percent !== undefined ? { percent: job.status.progress.percent } : {}),
      })),
    );
    if (settings.leaderElect) {
      this.#elector = new LeaderElector({
        kubeConfig,
        namespace: settings.leaderElectionNamespace,
        name: settings.leaderElectionId,
        identity: settings.identity,
        leaseDurationMs: settings.leaseDurationMs,
        renewDeadlineMs: settings.renewDeadlineMs,
        retryPeriodMs: settings.retryPeriodMs,
        log,
        onStartedLeading: () => this.#startWork(),
        onStoppedLeading: () => void this.#stopWork(),
      });
    }
  }

  /** Fill the caches, then campaign for leadership (or start at once without election). */
  async start(): Promise<void> {
    this.#started = true;
    await Promise.all([this.jobs.start(), this.#configs.start(), this.#clusterConfigs.start(), this.#secrets.start()]);
    this.#reportInformerHealth();
    this.#healthTimer = setInterval(() => this.#reportInformerHealth(), 5000);
    this.#healthTimer.unref();
    if (this.#elector) this.#elector.start();
    else this.#startWork();
  }

  /** Graceful: stop intake, finish in-flight reconciles, release the lease, close providers. */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    clearInterval(this.#healthTimer);
    await this.#stopWork();
    await this.#elector?.stop();
    await Promise.all([this.jobs.stop(), this.#configs.stop(), this.#clusterConfigs.stop(), this.#secrets.stop()]);
    await this.#events.flush();
    await this.#accounts.closeAll();
  }

  get isLeader(): boolean {
    return this.#workers !== undefined;
  }

  /** Ready: caches synced (a standby is ready too: it serves as a warm spare). */
  ready(): { ok: boolean; reason?: string } {
    const unsynced = [this.jobs, this.#configs, this.#clusterConfigs, this.#secrets].map((i) => i.health()).filter((h) => !h.synced);
    return unsynced.length === 0 ? { ok: true } : { ok: false, reason: `caches not synced: ${unsynced.map((h) => h.resource).join(', ')}` };
  }

  /** An informer is healthy when synced and it heard from the API server within the watchdog window. */
  #reportInformerHealth(): void {
    const now = (this.#o.now ?? Date.now)();
    for (const informer of [this.jobs, this.#configs, this.#clusterConfigs, this.#secrets]) {
      const h = informer.health();
      this.#o.metrics.setInformerHealthy(h.resource, h.synced && now - h.lastEventAt < this.#o.settings.watchdogTimeoutMs);
    }
  }

  /** Re-queue a job by key (tests, reconcile-now). */
  enqueue(key: string): void {
    this.#queue?.add(key);
  }

  #startWork(): void {
    if (this.#workers || !this.#started) return;
    const { settings, log, metrics } = this.#o;
    const queue = new WorkQueue<string>({
      name: 'replicationjobs',
      rateLimiter: createControllerRateLimiter({ baseMs: settings.backoffBaseMs, maxMs: settings.backoffMaxMs, qps: settings.globalQps, burst: settings.globalBurst, jitter: 0.1 }),
      metrics: metrics.workQueueMetrics('replicationjobs'),
    });
    this.#queue = queue;
    for (const job of this.jobs.list()) queue.add(keyOf(job));
    this.#workers = runWorkers({
      queue,
      concurrency: settings.concurrency,
      handler: (key) => this.#reconciler.reconcile(key),
      log,
      metrics: metrics.reconcileMetrics,
    });
    const configQueue = new WorkQueue<string>({ name: 'providerconfigs', metrics: metrics.workQueueMetrics('providerconfigs') });
    this.#configQueue = configQueue;
    for (const pc of this.#configs.list()) configQueue.add(`pc:${pc.metadata.namespace}/${pc.metadata.name}`);
    for (const cpc of this.#clusterConfigs.list()) configQueue.add(`cpc:${cpc.metadata.name}`);
    this.#configWorkers = runWorkers({ queue: configQueue, concurrency: 1, handler: (key) => this.#reconcileConfig(key), log });
    metrics.setLeader(true);
    log.info({ identity: settings.identity, concurrency: settings.concurrency }, 'reconciling');
  }

  async #stopWork(): Promise<void> {
    const workers = [this.#workers, this.#configWorkers];
    this.#workers = undefined;
    this.#configWorkers = undefined;
    this.#queue = undefined;
    this.#configQueue = undefined;
    this.#o.metrics.setLeader(false);
    await Promise.all(workers.map((w) => w?.stop()));
  }

  /** Write a (Cluster)ProviderConfig's Ready condition from its spec and credentials Secret. */
  async #reconcileConfig(key: string): Promise<{ requeueAfterMs?: number }> {
    const clusterScoped = key.startsWith('cpc:');
    const [namespace, name] = clusterScoped ? [undefined, key.slice(4)] : (key.slice(3).split('/') as [string, string]);
    const config = clusterScoped ? this.#clusterConfigs.get(name) : this.#configs.get(name, namespace);
    if (!config) return {};
    const ref = (config.spec as { credentialsSecretRef?: { name: string; namespace?: string } }).credentialsSecretRef;
    const secret = ref ? this.#secrets.get(ref.name, ref.namespace ?? namespace) : undefined;
    const status = providerConfigStatus(
      config.status,
      {
        clusterScoped,
        spec: config.spec,
        generation: config.metadata.generation ?? 0,
        secretKeys: secret ? Object.keys(secret.data ?? {}) : undefined,
        providerAvailable: (id) => this.#o.providers.has(id),
      },
      new Date().toISOString(),
    );
    if (clusterScoped) await this.#configStatus.cpc.write(config as ClusterProviderConfig, status);
    else await this.#configStatus.pc.write(config as ProviderConfig, status);
    return {};
  }

  #wireHandlers(): void {
    const jobRefs = (job: ReplicationJob): string[] => {
      const ns = job.metadata.namespace ?? '';
      const spec = job.spec ?? {};
      const ref = spec.providerRef;
      const refs = referencedSecretNames(spec).map((name) => `secret:${ns}/${name}`);
      if (ref?.kind === 'ClusterProviderConfig') refs.push(`cpc:${ref.name}`);
      else if (ref) refs.push(`pc:${ns}/${ref.name}`);
      if (job.status?.jobId && ref) {
        const account = ref.kind === 'ClusterProviderConfig' ? `ClusterProviderConfig/${ref.name}` : `ProviderConfig/${ns}/${ref.name}`;
        refs.push(`job:${account}/${job.status.jobId}`);
      }
      return refs;
    };
    this.jobs.on({
      add: (job) => {
        this.#refs.set(keyOf(job), jobRefs(job));
        this.enqueue(keyOf(job));
      },
      update: (job, old) => {
        this.#refs.set(keyOf(job), jobRefs(job));
        // Status-only changes are our own writes: reconciling on them would loop.
        if (meaningfulChange(job, old)) this.enqueue(keyOf(job));
      },
      delete: (job) => this.#refs.delete(keyOf(job)),
      resync: (job) => this.enqueue(keyOf(job)),
    });
    const onConfig = (ref: (o: KubeObject) => string) => ({
      add: (o: KubeObject) => this.#enqueueRef(ref(o)),
      update: (o: KubeObject) => this.#enqueueRef(ref(o)),
      delete: (o: KubeObject) => this.#enqueueRef(ref(o)),
    });
    const configKeyOf = (kind: 'pc' | 'cpc') => (o: KubeObject) => (kind === 'pc' ? `pc:${o.metadata?.namespace}/${o.metadata?.name}` : `cpc:${o.metadata?.name}`);
    for (const [informer, kind] of [[this.#configs, 'pc'], [this.#clusterConfigs, 'cpc']] as const) {
      const keyOf = configKeyOf(kind);
      informer.on(onConfig(keyOf));
      informer.on({
        add: (o: KubeObject) => this.#configQueue?.add(keyOf(o)),
        update: (o: KubeObject, old: KubeObject) => {
          // Our own status writes come back as updates: only spec (generation) changes matter.
          if ((o as ProviderConfig).metadata.generation !== (old as ProviderConfig).metadata.generation) this.#configQueue?.add(keyOf(o));
        },
      });
    }
    this.#secrets.on({
      ...onConfig((o) => `secret:${o.metadata?.namespace}/${o.metadata?.name}`),
      // Credentials Secrets of ProviderConfigs: re-queue every job of the configs using them.
      update: (o: V1Secret) => {
        this.#enqueueRef(`secret:${o.metadata?.namespace}/${o.metadata?.name}`);
        this.#enqueueConfigUsers(o);
      },
      add: (o: V1Secret) => {
        this.#enqueueRef(`secret:${o.metadata?.namespace}/${o.metadata?.name}`);
        this.#enqueueConfigUsers(o);
      },
      delete: (o: V1Secret) => {
        this.#enqueueRef(`secret:${o.metadata?.namespace}/${o.metadata?.name}`);
        this.#enqueueConfigUsers(o);
      },
    });
  }

  #enqueueConfigUsers(secret: V1Secret): void {
    const ns = secret.metadata?.namespace;
    const name = secret.metadata?.name;
    for (const pc of this.#configs.list()) {
      if (pc.metadata.namespace === ns && pc.spec.credentialsSecretRef?.name === name) {
        this.#enqueueRef(`pc:${ns}/${pc.metadata.name}`);
        this.#configQueue?.add(`pc:${ns}/${pc.metadata.name}`);
      }
    }
    for (const cpc of this.#clusterConfigs.list()) {
      const ref = cpc.spec.credentialsSecretRef;
      if (ref?.namespace === ns && ref?.name === name) {
        this.#enqueueRef(`cpc:${cpc.metadata.name}`);
        this.#configQueue?.add(`cpc:${cpc.metadata.name}`);
      }
    }
  }

  #enqueueRef(ref: string): void {
    for (const key of this.#refs.owners(ref)) this.enqueue(key);
  }

  #informer<T extends KubeObject>(
    resource: string,
    path: string,
    list: () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>,
    extra: { labelSelector?: string; fieldSelector?: string },
  ): Informer<T> {
    const { kubeConfig, settings, log, metrics } = this.#o;
    return new Informer<T>({
      resource,
      kubeConfig,
      path,
      list,
      ...extra,
      resyncPeriodMs: settings.resyncPeriodMs,
      watchdogMs: settings.watchdogTimeoutMs,
      log,
      onEvent: (r) => metrics.recordInformerEvent(r),
      onRestart: (r) => metrics.informerRestarts.inc({ resource: r }),
    });
  }
}

const keyOf = (o: KubeObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

function meaningfulChange(job: ReplicationJob, old: ReplicationJob): boolean {
  const a = job.metadata;
  const b = old.metadata;
  return (
    a.generation !== b.generation ||
    String(a.deletionTimestamp ?? '') !== String(b.deletionTimestamp ?? '') ||
    JSON.stringify(a.annotations ?? {}) !== JSON.stringify(b.annotations ?? {}) ||
    JSON.stringify(a.finalizers ?? []) !== JSON.stringify(b.finalizers ?? []) ||
    JSON.stringify(a.labels ?? {}) !== JSON.stringify(b.labels ?? {})
  );
}

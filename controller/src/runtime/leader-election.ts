import { CoordinationV1Api, type KubeConfig, type V1Lease, V1MicroTime } from '@kubernetes/client-node';
import { apiMessage, isConflict, isNotFound } from './kube-errors.ts';

export interface LeaderElectionOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  onStartedLeading: () => void;
  /** Leadership lost or released: stop all work at once (another replica may be acting). */
  onStoppedLeading: () => void;
  now?: () => number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/**
 * Lease-based leader election on coordination.k8s.io/v1, following client-go's leaderelection:
 * acquire when the lease is free or expired, renew every retryPeriod, and give up leadership
 * when renewals keep failing for renewDeadline. Every write carries the resourceVersion read,
 * so two candidates can never both win the same lease.
 */
export class LeaderElector {
  readonly #o: LeaderElectionOptions & { now: () => number };
  readonly #api: CoordinationV1Api;
  #leading = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #lastRenew = 0;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(options: LeaderElectionOptions) {
    this.#o = { now: Date.now, ...options };
    this.#api = options.kubeConfig.makeApiClient(CoordinationV1Api);
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  start(): void {
    this.#stopped = false;
    this.#loop = this.#run();
  }

  /** Stop campaigning; a leader releases the lease so a standby takes over without waiting for expiry. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#wake?.();
    await this.#loop;
    if (this.#leading) {
      await this.#release().catch((error: unknown) => this.#o.log?.warn({ error: apiMessage(error) }, 'could not release the leader lease'));
      this.#setLeading(false);
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        const ok = await this.#tryAcquireOrRenew();
        if (ok) this.#lastRenew = this.#o.now();
        if (ok && !this.#leading) this.#setLeading(true);
        if (!ok && this.#leading && this.#o.now() - this.#lastRenew > this.#o.renewDeadlineMs) this.#setLeading(false);
      } catch (error) {
        this.#o.log?.warn({ error: apiMessage(error) }, 'leader election request failed');
        if (this.#leading && this.#o.now() - this.#lastRenew > this.#o.renewDeadlineMs) this.#setLeading(false);
      }
      await this.#sleep(this.#o.retryPeriodMs * (this.#leading ? 1 : 1 + Math.random() * 0.2));
    }
  }

  #setLeading(leading: boolean): void {
    if (leading === this.#leading) return;
    this.#leading = leading;
    this.#o.log?.info({ identity: this.#o.identity, lease: `${this.#o.namespace}/${this.#o.name}` }, leading ? 'became leader' : 'lost leadership');
    if (leading) this.#o.onStartedLeading();
    else this.#o.onStoppedLeading();
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const now = micro(this.#o.now());
    const spec = {
      holderIdentity: this.#o.identity,
      leaseDurationSeconds: Math.ceil(this.#o.leaseDurationMs / 1000),
      renewTime: now,
    };
    let lease: V1Lease;
    try {
      lease = await this.#api.readNamespacedLease({ name: this.#o.name, namespace: this.#o.namespace });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      try {
        await this.#api.createNamespacedLease({
          namespace: this.#o.namespace,
          body: { metadata: { name: this.#o.name, namespace: this.#o.namespace }, spec: { ...spec, acquireTime: now, leaseTransitions: 0 } },
        });
        return true;
      } catch (createError) {
        if (isConflict(createError)) return false; // someone else created it first
        throw createError;
      }
    }
    const holder = lease.spec?.holderIdentity ?? '';
    const renewed = lease.spec?.renewTime ? new Date(lease.spec.renewTime as unknown as string).getTime() : 0;
    const duration = (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
    const heldByOther = holder !== '' && holder !== this.#o.identity && renewed + duration > this.#o.now();
    if (heldByOther) return false;
    const transitions = (lease.spec?.leaseTransitions ?? 0) + (holder === this.#o.identity ? 0 : 1);
    try {
      await this.#api.replaceNamespacedLease({
        name: this.#o.name,
        namespace: this.#o.namespace,
        body: {
          metadata: { ...lease.metadata, name: this.#o.name, namespace: this.#o.namespace },
          spec: {
            ...spec,
            acquireTime: holder === this.#o.identity && lease.spec?.acquireTime ? micro(new Date(lease.spec.acquireTime as unknown as string).getTime()) : now,
            leaseTransitions: transitions,
          },
        },
      });
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  async #release(): Promise<void> {
    const lease = await this.#api.readNamespacedLease({ name: this.#o.name, namespace: this.#o.namespace });
    if (lease.spec?.holderIdentity !== this.#o.identity) return;
    await this.#api.replaceNamespacedLease({
      name: this.#o.name,
      namespace: this.#o.namespace,
      body: {
        ...lease,
        spec: {
          ...lease.spec,
          ...(lease.spec?.acquireTime ? { acquireTime: micro(new Date(lease.spec.acquireTime as unknown as string).getTime()) } : {}),
          holderIdentity: '',
          leaseDurationSeconds: 1,
          renewTime: micro(this.#o.now()),
        },
      },
    });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#timer = setTimeout(resolve, ms);
      this.#wake = resolve;
    });
  }
}

/** Lease times are MicroTime: the API server's decoder wants six fractional digits, not Date's three. */
function micro(ms: number): V1MicroTime {
  return new V1MicroTime(ms);
}

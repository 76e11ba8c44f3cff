/**
 * Holds an account's creates while the provider says its quota of unused jobs is full (DTS's
 * LimitExceeded.MaxUnusedJobs: too many jobs created and not yet configured). The quota frees
 * up one job at a time as this operator configures (or releases) its unused jobs, so a held
 * account lets one create through per job freed, instead of every waiting ReplicationJob
 * retrying into the same refusal. Jobs freed outside the operator are found by a periodic
 * probe: one create every `probeEveryMs`; a probe that goes through opens the gate.
 *
 * Pure bookkeeping (no I/O): the account asks before a create, reports what became of it.
 */
export type CreateTicket = 'open' | 'slot' | 'probe';

export interface CreateGateOptions {
  /** While held, let one create through this often to see whether the quota has room again. */
  probeEveryMs: number;
  now: () => number;
}

export class CreateGate {
  readonly #o: CreateGateOptions;
  #held = false;
  /** Jobs freed since the hold began: creates that fit for sure. */
  #slots = 0;
  #nextProbeAt = 0;

  constructor(options: CreateGateOptions) {
    this.#o = options;
  }

  get held(): boolean {
    return this.#held;
  }

  /** How long a create would have to wait now (undefined: one may go). Uses nothing up. */
  waitMs(): number | undefined {
    if (!this.#held || this.#slots > 0) return undefined;
    const wait = this.#nextProbeAt - this.#o.now();
    return wait > 0 ? wait : undefined;
  }

  /** The right to send a create now, or undefined while held with nothing free. */
  take(): CreateTicket | undefined {
    if (!this.#held) return 'open';
    if (this.#slots > 0) {
      this.#slots--;
      return 'slot';
    }
    const now = this.#o.now();
    if (now < this.#nextProbeAt) return undefined;
    this.#nextProbeAt = now + this.#o.probeEveryMs;
    return 'probe';
  }

  /** The provider refused a create because the quota is full: hold from now. */
  refused(): void {
    this.#held = true;
    this.#slots = 0;
    this.#nextProbeAt = this.#o.now() + this.#o.probeEveryMs;
  }

  /** A create went through. A probe that fits proves the quota has room: open the gate. */
  created(ticket: CreateTicket): void {
    if (ticket === 'probe') this.#held = false;
  }

  /** A create failed for another reason (nothing used up): a freed slot stays free. */
  notUsed(ticket: CreateTicket): void {
    if (ticket === 'slot' && this.#held) this.#slots++;
  }

  /** One of this account's jobs stopped counting against the quota (configured, released). */
  freed(): void {
    if (this.#held) this.#slots++;
  }
}

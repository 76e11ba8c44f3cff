import { createHeldError, createRefusedError, type ReconcileError } from '../../reconcile/errors.ts';
import { ProviderHttpError } from '../http/errors.ts';
import { CreateGate } from './create-gate.ts';

export interface QuotaHoldOptions {
  /** What is created, for messages ("DTS sync job"). */
  what: string;
  /** The quota, for messages ("too many unconfigured sync jobs in the account (LimitExceeded.MaxUnusedJobs)"). */
  quota: string;
  /** What frees a place, for messages ("job configured"). */
  freedBy: string;
  /** What the user can do, for messages. */
  fix: string;
  /** Whether a failed create was the provider refusing it for this quota. */
  isQuotaRefusal(error: unknown): boolean;
  /** While held, one create goes through this often, in case room was made outside the operator. */
  probeEveryMs: number;
  /**
   * How soon a held create asks again (a place may free up any moment; asking costs no call and
   * no write), spread by up to jitterMs so the waiting jobs do not all come at once.
   */
  recheckMs: number;
  jitterMs: number;
  now: () => number;
  random?: () => number;
}

/**
 * An account quota of unused jobs (created and not yet configured or started) as the reconciler
 * sees it: a CreateGate plus the errors that say what is happening. createHold() answers
 * ProviderAccount.createHold; create() wraps the provider's create call.
 */
export class QuotaHold {
  readonly #o: QuotaHoldOptions;
  readonly #gate: CreateGate;

  constructor(options: QuotaHoldOptions) {
    this.#o = options;
    this.#gate = new CreateGate({ probeEveryMs: options.probeEveryMs, now: options.now });
  }

  /** The wait to report without calling the provider, or undefined when a create may go. */
  createHold(): ReconcileError | undefined {
    const waitMs = this.#gate.waitMs();
    return waitMs === undefined ? undefined : this.#held(waitMs);
  }

  /**
   * Send a create through the gate. A quota refusal holds the account's creates and becomes a
   * definite "nothing created" error; other failures are rethrown as they are, for the caller
   * to translate.
   */
  async create<T>(send: () => Promise<T>): Promise<T> {
    const ticket = this.#gate.take();
    if (!ticket) throw this.#held(this.#gate.waitMs() ?? 0);
    let result: T;
    try {
      result = await send();
    } catch (error) {
      if (!this.#o.isQuotaRefusal(error)) {
        this.#gate.notUsed(ticket);
        throw error;
      }
      this.#gate.refused();
      const said = error instanceof ProviderHttpError && error.providerMessage ? ` (${error.providerMessage})` : '';
      throw createRefusedError('ProviderQuotaExceeded', `The provider refused to create the ${this.#o.what}: ${this.#o.quota}${said}. ${this.#o.fix}; retrying`, this.#retryAfter(this.#gate.waitMs() ?? 0));
    }
    this.#gate.created(ticket);
    return result;
  }

  /** One of the account's jobs stopped counting against the quota. */
  freed(): void {
    this.#gate.freed();
  }

  #held(waitMs: number): ReconcileError {
    // The same message on every held attempt: the status is written once, not per retry.
    return createHeldError(
      'ProviderQuotaExceeded',
      `Waiting to create the ${this.#o.what}: ${this.#o.quota}; one create goes through per ${this.#o.freedBy}. ${this.#o.fix}`,
      this.#retryAfter(waitMs),
    );
  }

  #retryAfter(waitMs: number): number {
    return Math.min(waitMs, this.#o.recheckMs) + Math.round((this.#o.random ?? Math.random)() * this.#o.jitterMs);
  }
}

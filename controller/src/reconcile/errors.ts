/**
 * How failures are classified. The reconciler only asks: can retrying help (backoff), or does
 * only a spec / Secret / ProviderConfig change help (terminal condition, no retry loop)?
 * Providers throw these (or subclasses) with messages that are already free of secrets.
 */
export class ReconcileError extends Error {
  /** Stable CamelCase reason for conditions and events. */
  readonly reason: string;
  readonly terminal: boolean;
  /** Wait at least this long before retrying (e.g. a provider's Retry-After). */
  readonly retryAfterMs: number | undefined;
  /**
   * A create the provider definitely refused (a quota, say): retryable, but nothing exists, so
   * the next attempt need not look the job up by name first.
   */
  readonly nothingCreated: boolean;
  /**
   * Nothing is wrong with the job: it waits its turn (creates held for an account quota). Said
   * once, when the job starts waiting (Warning event and log); repeats are quiet.
   */
  readonly waiting: boolean;

  constructor(reason: string, message: string, options: { terminal?: boolean; retryAfterMs?: number; nothingCreated?: boolean; waiting?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ReconcileError';
    this.reason = reason;
    this.terminal = options.terminal ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.nothingCreated = options.nothingCreated ?? false;
    this.waiting = options.waiting ?? false;
  }
}

/** Only a change to the object (or what it references) can fix this. */
export const terminalError = (reason: string, message: string) => new ReconcileError(reason, message, { terminal: true });

/** Worth retrying with backoff: busy provider, network, 5xx, throttling. */
export const retryableError = (reason: string, message: string, retryAfterMs?: number) =>
  new ReconcileError(reason, message, retryAfterMs === undefined ? {} : { retryAfterMs });

/** A create refused for a reason that passes (an account quota): retry later; nothing was created. */
export const createRefusedError = (reason: string, message: string, retryAfterMs: number) =>
  new ReconcileError(reason, message, { retryAfterMs, nothingCreated: true });

/** A create the account holds back without asking the provider (see ProviderAccount.createHold). */
export const createHeldError = (reason: string, message: string, retryAfterMs: number) =>
  new ReconcileError(reason, message, { retryAfterMs, nothingCreated: true, waiting: true });

export function asReconcileError(error: unknown): ReconcileError {
  if (error instanceof ReconcileError) return error;
  if (isHttpConflict(error)) {
    return new ReconcileError('Conflict', 'The object changed while it was being reconciled; retrying with the latest version', { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ReconcileError('ReconcileError', message, { cause: error });
}

/** A 409 from the Kubernetes API (optimistic lock): the object changed under us. */
function isHttpConflict(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 409;
}

import { describe, expect, it } from 'vitest';
import { ReconcileError } from '../../../../controller/src/reconcile/errors.ts';
import {
  PROVIDER_ERROR_KINDS,
  ProviderHttpError,
  kindForHttpStatus,
  toReconcileError,
} from '../../../../controller/src/providers/http/errors.ts';
import { outcomeForKind } from '../../../../controller/src/providers/http/metrics.ts';

const err = (kind: (typeof PROVIDER_ERROR_KINDS)[number], extra: Partial<ConstructorParameters<typeof ProviderHttpError>[0]> = {}) =>
  new ProviderHttpError({ provider: 'huawei-drs', operation: 'batch-starting', kind, ...extra });

describe('kindForHttpStatus', () => {
  it('maps statuses to kinds', () => {
    expect(kindForHttpStatus(429)).toBe('throttled');
    expect(kindForHttpStatus(401)).toBe('auth');
    expect(kindForHttpStatus(403)).toBe('auth');
    expect(kindForHttpStatus(404)).toBe('notFound');
    expect(kindForHttpStatus(409)).toBe('conflict');
    expect(kindForHttpStatus(400)).toBe('invalid');
    expect(kindForHttpStatus(422)).toBe('invalid');
    expect(kindForHttpStatus(500)).toBe('unavailable');
    expect(kindForHttpStatus(503)).toBe('unavailable');
  });
});

describe('ProviderHttpError', () => {
  it('says what happened and what to do next, with the provider message', () => {
    const e = err('invalid', { status: 400, code: 'DRS.M00202', providerMessage: 'The value of parameter node_type is invalid.' });
    expect(e.message).toBe(
      'huawei-drs batch-starting failed: HTTP 400 DRS.M00202: The value of parameter node_type is invalid. — the provider rejected the request; correct the ReplicationJob spec',
    );
    expect(e.retryable).toBe(false);
  });

  it('warns when the outcome of the request is unknown', () => {
    expect(err('timeout', { outcomeUnknown: true, detail: 'no complete response within 30000 ms' }).message).toMatch(/look the result up before repeating it/);
  });

  it('caps very long provider messages', () => {
    const e = err('unavailable', { status: 502, providerMessage: 'x'.repeat(5000) });
    expect(e.providerMessage!.length).toBeLessThanOrEqual(501);
    expect(e.message.length).toBeLessThan(800);
  });
});

describe('toReconcileError', () => {
  it('makes invalid and auth terminal and everything else retryable', () => {
    const reasons = Object.fromEntries(PROVIDER_ERROR_KINDS.map((kind) => [kind, toReconcileError(err(kind))]));
    expect(reasons.invalid).toMatchObject({ reason: 'ProviderRejected', terminal: true });
    expect(reasons.auth).toMatchObject({ reason: 'ProviderAuthFailed', terminal: true });
    expect(reasons.busy).toMatchObject({ reason: 'ProviderBusy', terminal: false });
    expect(reasons.throttled).toMatchObject({ reason: 'ProviderThrottled', terminal: false });
    expect(reasons.unavailable).toMatchObject({ reason: 'ProviderUnavailable', terminal: false });
    expect(reasons.timeout).toMatchObject({ reason: 'ProviderUnavailable', terminal: false });
    expect(reasons.conflict).toMatchObject({ reason: 'ProviderConflict', terminal: false });
    expect(reasons.notFound).toMatchObject({ reason: 'ProviderNotFound', terminal: false });
  });

  it('carries Retry-After and the message', () => {
    const r = toReconcileError(err('throttled', { status: 429, retryAfterMs: 2000 }));
    expect(r.retryAfterMs).toBe(2000);
    expect(r.message).toContain('HTTP 429');
  });

  it('passes ReconcileErrors through and wraps anything else', () => {
    const original = new ReconcileError('X', 'y', { terminal: true });
    expect(toReconcileError(original)).toBe(original);
    expect(toReconcileError(new Error('boom'))).toMatchObject({ message: 'boom', terminal: false });
  });
});

describe('outcomeForKind', () => {
  it('maps kinds to metric outcomes', () => {
    expect(outcomeForKind('throttled')).toBe('throttled');
    expect(outcomeForKind('busy')).toBe('busy');
    expect(outcomeForKind('timeout')).toBe('timeout');
    expect(outcomeForKind('unavailable')).toBe('error');
    expect(outcomeForKind('invalid')).toBe('error');
  });
});

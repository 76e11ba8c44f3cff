import { describe, expect, it } from 'vitest';
import { ReconcileError } from '../../../../controller/src/reconcile/errors.ts';
import { QuotaHold } from '../../../../controller/src/providers/quota/quota-hold.ts';

const QUOTA_FULL = new Error('LimitExceeded.MaxUnusedJobs');

function hold() {
  let now = 0;
  const q = new QuotaHold({
    what: 'sync job',
    quota: 'too many unconfigured jobs',
    freedBy: 'job configured',
    fix: 'Configure unused jobs',
    isQuotaRefusal: (e) => e === QUOTA_FULL,
    probeEveryMs: 10_000,
    recheckMs: 1_000,
    jitterMs: 500,
    now: () => now,
    random: () => 1,
  });
  return { q, advance: (ms: number) => (now += ms) };
}

describe('QuotaHold', () => {
  it('turns a quota refusal into a definite "nothing created" and holds what follows without sending', async () => {
    const { q } = hold();
    await expect(q.create(() => Promise.reject(QUOTA_FULL))).rejects.toMatchObject({ reason: 'ProviderQuotaExceeded', nothingCreated: true, waiting: false });
    let sent = 0;
    const held = (await q.create(async () => ++sent).catch((e: unknown) => e)) as ReconcileError;
    expect(sent).toBe(0);
    expect(held).toMatchObject({ reason: 'ProviderQuotaExceeded', waiting: true, nothingCreated: true });
    expect(held.message).toBe('Waiting to create the sync job: too many unconfigured jobs; one create goes through per job configured. Configure unused jobs');
    // Asked again soon (a place may free up any moment), not at the next probe 10 s away.
    expect(held.retryAfterMs).toBe(1_500);
    expect(q.createHold()).toMatchObject({ retryAfterMs: 1_500 });
  });

  it('lets one create through per job freed, and any after a probe that fits', async () => {
    const { q, advance } = hold();
    await q.create(() => Promise.reject(QUOTA_FULL)).catch(() => undefined);
    q.freed();
    expect(q.createHold()).toBeUndefined();
    await expect(q.create(async () => 'sync-1')).resolves.toBe('sync-1');
    expect(q.createHold()).toBeInstanceOf(ReconcileError);
    advance(10_000);
    expect(q.createHold()).toBeUndefined();
    await expect(q.create(async () => 'sync-2')).resolves.toBe('sync-2');
    await expect(q.create(async () => 'sync-3')).resolves.toBe('sync-3');
  });

  it('passes other failures through unchanged and keeps the freed place for the next create', async () => {
    const { q } = hold();
    await q.create(() => Promise.reject(QUOTA_FULL)).catch(() => undefined);
    q.freed();
    const busy = new Error('RequestLimitExceeded');
    await expect(q.create(() => Promise.reject(busy))).rejects.toBe(busy);
    await expect(q.create(async () => 'sync-1')).resolves.toBe('sync-1');
  });
});

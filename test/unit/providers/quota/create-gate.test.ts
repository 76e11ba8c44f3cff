import { describe, expect, it } from 'vitest';
import { CreateGate } from '../../../../controller/src/providers/quota/create-gate.ts';

/** The account-quota gate: open until a refusal, then one create per job freed, plus a periodic probe. */
describe('CreateGate', () => {
  function gate() {
    let now = 1_000;
    const g = new CreateGate({ probeEveryMs: 10_000, now: () => now });
    return { g, advance: (ms: number) => (now += ms) };
  }

  it('lets every create through until the provider refuses one', () => {
    const { g } = gate();
    expect([g.take(), g.take(), g.take()]).toEqual(['open', 'open', 'open']);
    expect(g.waitMs()).toBeUndefined();
    expect(g.held).toBe(false);
  });

  it('holds after a refusal and says how long until the next probe', () => {
    const { g, advance } = gate();
    g.refused();
    expect(g.held).toBe(true);
    expect(g.take()).toBeUndefined();
    expect(g.waitMs()).toBe(10_000);
    advance(4_000);
    expect(g.waitMs()).toBe(6_000);
  });

  it('lets exactly one create through per job freed', () => {
    const { g } = gate();
    g.refused();
    g.freed();
    g.freed();
    expect(g.waitMs()).toBeUndefined();
    expect([g.take(), g.take(), g.take()]).toEqual(['slot', 'slot', undefined]);
    // A create through a slot that went through keeps the hold: the quota was full before it.
    g.created('slot');
    expect(g.held).toBe(true);
  });

  it('gives a slot back when its create failed for another reason', () => {
    const { g } = gate();
    g.refused();
    g.freed();
    const ticket = g.take()!;
    g.notUsed(ticket);
    expect(g.take()).toBe('slot');
    expect(g.take()).toBeUndefined();
  });

  it('probes once per interval; a probe that fits opens the gate', () => {
    const { g, advance } = gate();
    g.refused();
    advance(10_000);
    expect(g.take()).toBe('probe');
    expect(g.take()).toBeUndefined(); // one probe per interval, however many wait
    g.created('probe');
    expect(g.held).toBe(false);
    expect(g.take()).toBe('open');
  });

  it('a probe refused again holds for another interval', () => {
    const { g, advance } = gate();
    g.refused();
    advance(10_000);
    expect(g.take()).toBe('probe');
    g.refused();
    expect(g.waitMs()).toBe(10_000);
  });

  it('jobs freed while open are not saved up for a later hold', () => {
    const { g } = gate();
    g.freed();
    g.freed();
    g.refused();
    expect(g.take()).toBeUndefined();
  });
});

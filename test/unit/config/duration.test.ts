import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../controller/src/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['15s', 15_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1h30m15s', 5_415_000],
    ['1.5h', 5_400_000],
    ['.5s', 500],
    ['2m30s500ms', 150_500],
    ['1500us', 1.5],
    ['1500µs', 1.5],
    ['2000000ns', 2],
    ['0', 0],
    ['0s', 0],
    ['-5s', -5000],
    ['+5s', 5000],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each(['', '5', '10x', 'm', '5 m', '1h 30m', 's5', '-', '.s', 'abc', '5M', '1d', '15s '])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(
      `invalid duration ${JSON.stringify(text)}: expected a number followed by a unit (ns, us, ms, s, m or h), such as 250ms, 30s, 5m or 1h30m`,
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [250, '250ms'],
    [15_000, '15s'],
    [300_000, '5m'],
    [5_400_000, '1h30m'],
    [1500, '1.5s'],
    [-2000, '-2s'],
  ])('formats %d as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [250, 1000, 15_000, 600_000, 5_415_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});

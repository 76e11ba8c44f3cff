import { describe, expect, it } from 'vitest';
import { isMaterialDelayChange } from '../../../controller/src/reconcile/delay-change.ts';

describe('isMaterialDelayChange', () => {
  it.each([
    [0, 0, false],
    [0, 3, false],
    [0, 10, true],
    [2, 9, true],
    [100, 140, false],
    [100, 160, true],
    [600, 30, true],
    [undefined, 0, true],
    [5, undefined, true],
    [undefined, undefined, false],
  ])('%s s → %s s: %s', (before, after, material) => expect(isMaterialDelayChange(before, after)).toBe(material));
});

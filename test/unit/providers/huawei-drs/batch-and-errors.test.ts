import { describe, expect, it } from 'vitest';
import { chunk, matchResults, stringField } from '../../../../controller/src/providers/huawei-drs/batch.ts';
import { isRetryableItemCode, kindForDrsError, readErrorBody } from '../../../../controller/src/providers/huawei-drs/errors.ts';
import { providerItemFailure } from '../../../../controller/src/providers/huawei-drs/outcomes.ts';

describe('chunk', () => {
  it('splits into runs of at most 100 by default', () => {
    expect(chunk(Array.from({ length: 250 }, (_, i) => i)).map((part) => part.length)).toEqual([100, 100, 50]);
    expect(chunk([], 100)).toEqual([]);
    expect(chunk([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
});

describe('matchResults', () => {
  const key = (entry: unknown) => stringField(entry, 'id');
  it('pairs by position when the order lines up (two entries for one job)', () => {
    const results = [{ id: 'a', n: 1 }, { id: 'a', n: 2 }, { n: 3 }];
    expect(matchResults(['a', 'a', 'b'], results, key)).toEqual(results);
  });
  it('pairs by key when the order does not, and leaves missing ones undefined', () => {
    expect(matchResults(['a', 'b', 'c'], [{ id: 'c' }, { id: 'a' }], key)).toEqual([{ id: 'a' }, undefined, { id: 'c' }]);
    expect(matchResults(['a', 'a'], [{ id: 'b' }, { id: 'a', n: 1 }, { id: 'a', n: 2 }], key)).toEqual([
      { id: 'a', n: 1 },
      { id: 'a', n: 2 },
    ]);
  });
});

describe('DRS error classification', () => {
  it('gives error codes precedence over HTTP statuses', () => {
    expect(kindForDrsError(202, 'DRS.M01504')).toBe('busy');
    expect(kindForDrsError(400, 'DRS.M00289')).toBe('notFound');
    expect(kindForDrsError(400, 'DRS.M05004')).toBe('notFound');
    expect(kindForDrsError(403, 'DRS.M00100')).toBe('auth');
    expect(kindForDrsError(422, 'DRS.M00004')).toBe('unavailable');
    expect(kindForDrsError(422, 'DRS.M01501')).toBe('unavailable');
    expect(kindForDrsError(400, 'DRS.M00304')).toBe('conflict');
    expect(kindForDrsError(429, 'APIGW.0308')).toBe('throttled');
    expect(kindForDrsError(400, 'DRS.M00202')).toBe('invalid');
    expect(kindForDrsError(503, undefined)).toBe('unavailable');
  });

  it('reads error_msg and batch-status’s error_message', () => {
    expect(readErrorBody({ error_code: 'DRS.M00202', error_msg: 'bad' })).toEqual({ code: 'DRS.M00202', message: 'bad' });
    expect(readErrorBody({ error_code: 'DRS.M00289', error_message: 'gone' })).toEqual({ code: 'DRS.M00289', message: 'gone' });
    expect(readErrorBody({ error_code: '' })).toEqual({});
    expect(readErrorBody('text')).toEqual({});
  });

  it('marks per-item failures retryable or gone by code', () => {
    expect(isRetryableItemCode('DRS.M01504')).toBe(true);
    expect(isRetryableItemCode('DRS.KE002')).toBe(true);
    expect(isRetryableItemCode('DRS.M00202')).toBe(false);
    expect(providerItemFailure('DRS.M00298', undefined)).toEqual({ ok: false, code: 'DRS.M00298', message: 'failed with DRS.M00298', retryable: false, gone: true });
    expect(providerItemFailure('DRS.M01504', '')).toMatchObject({ retryable: true, gone: false, message: expect.stringContaining('try again later') });
  });
});

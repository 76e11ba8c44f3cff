import { describe, expect, it } from 'vitest';
import { containsSecret, scrubSecrets } from '../../../controller/src/observability/scrub-secrets.ts';

describe('scrubSecrets', () => {
  it('replaces every occurrence of every secret', () => {
    expect(scrubSecrets('pw=abc123 again abc123, token tok-9', ['abc123', 'tok-9'])).toBe('pw=*** again ***, token ***');
  });

  it('replaces JSON-escaped and URL-encoded spellings', () => {
    const secret = 'p@ss"w/rd';
    const json = JSON.stringify({ password: secret });
    const url = `postgres://app:${encodeURIComponent(secret)}@db/app`;
    expect(scrubSecrets(json, [secret])).toBe('{"password":"***"}');
    expect(scrubSecrets(url, [secret])).toBe('postgres://app:***@db/app');
  });

  it('replaces longer secrets first so overlapping ones are fully hidden', () => {
    expect(scrubSecrets('key=abcdef', ['abc', 'abcdef'])).toBe('key=***');
  });

  it('ignores blank secrets and returns text without secrets unchanged', () => {
    expect(scrubSecrets('nothing here', ['', '  ', 'absent'])).toBe('nothing here');
    expect(scrubSecrets('text', [])).toBe('text');
  });

  it('accepts any iterable, such as a Set', () => {
    expect(scrubSecrets('a secret b', new Set(['secret']))).toBe('a *** b');
  });

  it('containsSecret detects any spelling', () => {
    expect(containsSecret('x%40y', ['x@y'])).toBe(true);
    expect(containsSecret('clean', ['x@y'])).toBe(false);
  });
});

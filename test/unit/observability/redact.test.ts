import { describe, expect, it } from 'vitest';
import { REDACTED, isSecretKey, redactSecretObject, redactSecrets } from '../../../controller/src/observability/redact.ts';

describe('isSecretKey', () => {
  it.each(['password', 'Password', 'db_password', 'SrcPassword', 'saslPassword', 'SecretKey', 'secret_key', 'secretAccessKey', 'sk', 'token', 'X-Auth-Token', 'x-subject-token', 'Authorization', 'set-cookie', 'clientSecret', 'privateKey', 'connectionString', 'dsn'])(
    '%s is secret',
    (key) => expect(isSecretKey(key)).toBe(true),
  );

  it.each(['SecretId', 'accessKeyId', 'ak', 'secretRef', 'name', 'host', 'username', 'passwordSecretRef', 'key'])('%s is not secret', (key) =>
    expect(isSecretKey(key)).toBe(false),
  );
});

describe('redactSecretObject', () => {
  it('hides values but keeps keys, and removes the last-applied annotation', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'db',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}', team: 'data' },
      },
      type: 'Opaque',
      data: { password: 'aHVudGVyMg==', username: 'YXBw' },
      stringData: { extra: 'clear' },
    };
    const redacted = redactSecretObject(secret);
    expect(redacted.data).toEqual({ password: REDACTED, username: REDACTED });
    expect(redacted.stringData).toEqual({ extra: REDACTED });
    expect(redacted.metadata.annotations).toEqual({
      'kubectl.kubernetes.io/last-applied-configuration': REDACTED,
      team: 'data',
    });
    expect(secret.data.password).toBe('aHVudGVyMg=='); // original untouched
  });
});

describe('redactSecrets', () => {
  it('returns the same object when nothing needs redacting', () => {
    const value = { a: { b: [1, 2, { c: 'x' }] } };
    expect(redactSecrets(value)).toBe(value);
  });

  it('keeps empty and missing secrets visible, which helps debugging', () => {
    expect(redactSecrets({ password: '', token: null })).toEqual({ password: '', token: null });
  });
});

describe('redactSecrets depth limit', () => {
  it('cuts branches deeper than it checks instead of passing them through', () => {
    let deep: Record<string, unknown> = { password: 'leak' };
    for (let i = 0; i < 30; i += 1) deep = { next: deep };
    expect(JSON.stringify(redactSecrets(deep))).not.toContain('leak');
  });
});

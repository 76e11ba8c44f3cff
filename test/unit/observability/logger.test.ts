import { describe, expect, it } from 'vitest';
import { createLogger, scrubLogLine, type LoggerOptions } from '../../../controller/src/observability/logger.ts';

function capture(options: Partial<LoggerOptions> = {}) {
  const lines: string[] = [];
  const log = createLogger({ level: 'trace', destination: { write: (line: string) => lines.push(line) }, ...options });
  return { log, output: () => lines.join('') };
}

const SECRET = 'hunter2-Sup3rSecret';

describe('createLogger redaction', () => {
  it('writes JSON lines with level names', () => {
    const { log, output } = capture();
    log.info({ job: 'default/orders' }, 'reconciled');
    const record = JSON.parse(output()) as Record<string, unknown>;
    expect(record).toMatchObject({ level: 'info', msg: 'reconciled', job: 'default/orders' });
    expect(typeof record['time']).toBe('string');
  });

  it('respects the level', () => {
    const { log, output } = capture({ level: 'warn' });
    log.info('hidden');
    log.warn('shown');
    expect(output()).not.toContain('hidden');
    expect(output()).toContain('shown');
  });

  it.each([
    ['password', { password: SECRET }],
    ['nested password', { endpoint: { password: SECRET } }],
    ['deeply nested password', { a: { b: { c: { d: { e: { password: SECRET } } } } } }],
    ['Huawei db_password', { body: { job: { source_endpoint: { db_password: SECRET } } } }],
    ['Tencent Password in arrays', { params: { SrcInfos: { Info: [{ Password: SECRET }] } } }],
    ['Tencent SecretKey', { credential: { SecretId: 'AKIDxxxx', SecretKey: SECRET } }],
    ['secret_key', { secret_key: SECRET }],
    ['secretAccessKey', { aws: { secretAccessKey: SECRET } }],
    ['Huawei sk', { auth: { ak: 'AK123', sk: SECRET } }],
    ['token', { token: SECRET }],
    ['nested token', { iam: { token: SECRET } }],
    ['authorization header', { headers: { authorization: `SDK-HMAC-SHA256 Signature=${SECRET}` } }],
    ['Authorization header', { req: { headers: { Authorization: `Bearer ${SECRET}` } } }],
    ['x-auth-token header', { headers: { 'x-auth-token': SECRET } }],
    ['X-Auth-Token header', { request: { headers: { 'X-Auth-Token': SECRET } } }],
    ['X-Subject-Token header', { response: { headers: { 'x-subject-token': SECRET } } }],
    ['kafka sasl password', { kafka: { sasl: { mechanism: 'plain', username: 'u', password: SECRET } } }],
    ['connection string', { target: { connectionString: `postgres://app:${SECRET}@db:5432/app` } }],
    ['Secret data', { secret: { kind: 'Secret', metadata: { name: 's' }, data: { password: Buffer.from(SECRET).toString('base64') } } }],
    ['Secret stringData', { secret: { stringData: { pw: SECRET } } }],
    ['Secret list item without kind', { items: [{ metadata: { name: 's' }, type: 'Opaque', data: { key: SECRET } }] }],
    [
      'last-applied annotation of a Secret',
      {
        object: {
          kind: 'Secret',
          metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `{"stringData":{"p":"${SECRET}"}}` } },
        },
      },
    ],
  ])('never writes a %s', (_name, fields) => {
    const { log, output } = capture();
    log.info(fields, 'calling provider');
    const text = output();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(text).toContain('[REDACTED]');
  });

  it('redacts child-logger bindings too', () => {
    const { log, output } = capture();
    log.child({ endpoint: { host: 'db', password: SECRET }, token: SECRET }).info('hello');
    expect(output()).not.toContain(SECRET);
    expect(output()).toContain('"host":"db"');
  });

  it('keeps identifiers that are not secrets', () => {
    const { log, output } = capture();
    log.info({ SecretId: 'AKIDabc', ak: 'AK123', secretRef: { name: 'db-creds', key: 'password' } }, 'x');
    const record = JSON.parse(output()) as Record<string, unknown>;
    expect(record).toMatchObject({ SecretId: 'AKIDabc', ak: 'AK123', secretRef: { name: 'db-creds', key: 'password' } });
  });

  it('does not mutate the object being logged', () => {
    const { log } = capture();
    const fields = { endpoint: { password: SECRET } };
    log.info(fields, 'x');
    expect(fields.endpoint.password).toBe(SECRET);
  });

  it('survives circular objects', () => {
    const { log, output } = capture();
    const a: Record<string, unknown> = { password: SECRET };
    a['self'] = a;
    log.info({ a }, 'circular');
    expect(output()).not.toContain(SECRET);
  });
});

describe('createLogger known-secret scrubbing', () => {
  it('scrubs known secret values from error messages and free-form fields', () => {
    const { log, output } = capture({ knownSecrets: () => [SECRET] });
    const err = new Error(`FATAL: password authentication failed for user "app" (password "${SECRET}")`);
    log.error({ err, detail: `provider said ${SECRET}` }, `reconcile failed: ${SECRET}`);
    const text = output();
    expect(text).not.toContain(SECRET);
    expect(text).toContain('***');
    expect(() => JSON.parse(text) as unknown).not.toThrow();
  });

  it('scrubs lines written by child loggers too', () => {
    const { log, output } = capture({ knownSecrets: () => new Set([SECRET]) });
    log.child({ job: 'default/orders' }).warn(`echoed ${SECRET}`);
    expect(output()).not.toContain(SECRET);
    expect(output()).toContain('"job":"default/orders"');
  });

  it('keeps the line valid JSON even when a secret looks like JSON syntax', () => {
    const weird = '":1,"';
    const line = `${JSON.stringify({ level: 'info', time: 1, msg: `x${weird}y` })}\n`;
    const scrubbed = scrubLogLine(line, [weird]);
    expect(JSON.parse(scrubbed)).toEqual({ level: 'info', time: 1, msg: 'x***y' });
  });

  it('leaves lines without secrets untouched', () => {
    const line = '{"msg":"hello"}\n';
    expect(scrubLogLine(line, ['nope'])).toBe(line);
  });
});

describe('pretty output', () => {
  it('writes readable lines and still redacts', () => {
    const { log, output } = capture({ pretty: true });
    log.info({ job: 'default/orders', password: SECRET }, 'reconciled');
    const text = output();
    expect(text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  reconciled job=default\/orders password=\[REDACTED\]\n$/);
    expect(text).not.toContain(SECRET);
  });

  it('prints the error stack under the line', () => {
    const { log, output } = capture({ pretty: true });
    log.error({ err: new Error('boom') }, 'failed');
    expect(output()).toContain('ERROR failed');
    expect(output()).toContain('\n    Error: boom');
  });
});

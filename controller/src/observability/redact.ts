/**
 * Structural redaction of secret-bearing fields before they reach a log line.
 *
 * pino's own `redact` needs one path per depth and spelling (`password`,
 * `*.password`, `*.*.password`, `Password`, ...), costs time per path on every log
 * call, and cannot express "the data of a Kubernetes Secret". So log objects are
 * walked once here, matching key names regardless of depth, case and `-`/`_`;
 * REDACT_PATHS (pino's mechanism) additionally covers child-logger bindings,
 * which pino does not pass through formatters.log.
 */

export const REDACTED = '[REDACTED]';

/** Key names, normalised (lower case, no `-`, `_`, `.` or spaces), that always hold a secret. */
const SECRET_KEYS = new Set([
  'sk', // Huawei Cloud AK/SK: the SK is the secret half (the AK is an identifier)
  'pwd',
  'dsn', // connection strings embed the password
  'connectionstring',
  'connectionuri',
  'credentials',
  'stringdata',
]);

/**
 * Suffixes of normalised key names that hold a secret: `db_password`,
 * `SrcPassword`, `saslPassword`, `SecretKey`, `secretAccessKey`, `X-Auth-Token`,
 * `X-Subject-Token`, `X-Security-Token`, `sessionToken`, `Authorization`, ...
 * Identifiers such as `SecretId`, `accessKeyId` or `ak` are deliberately not
 * matched: they are needed to debug which credential was used.
 */
const SECRET_KEY_SUFFIXES = [
  'password',
  'passwd',
  'passphrase',
  'secretkey',
  'secretaccesskey',
  'accesskeysecret',
  'clientsecret',
  'privatekey',
  'apikey',
  'token',
  'authorization',
  'cookie',
];

export function isSecretKey(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[-_.\s]/g, '');
  return SECRET_KEYS.has(normalised) || SECRET_KEY_SUFFIXES.some((suffix) => normalised.endsWith(suffix));
}

/**
 * pino redact paths for the common spellings at shallow depths. The object walker
 * below covers everything else; these exist for child-logger bindings.
 */
export const REDACT_PATHS: readonly string[] = (() => {
  const names = [
    'password',
    'Password',
    'db_password',
    'secretKey',
    'SecretKey',
    'secret_key',
    'secretAccessKey',
    'sk',
    'token',
    'authorization',
    'Authorization',
    'x-auth-token',
    'X-Auth-Token',
    'x-subject-token',
    'X-Subject-Token',
  ];
  const paths: string[] = [];
  for (const name of names) {
    const leaf = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`;
    const join = (prefix: string) => (leaf.startsWith('[') ? `${prefix}${leaf}` : `${prefix}.${leaf}`);
    paths.push(leaf, join('*'));
  }
  paths.push('headers.authorization', 'headers["x-auth-token"]', 'secret.data', 'secret.stringData', 'kafka.sasl.password');
  return paths;
})();

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Heuristic for a Kubernetes Secret: `kind: Secret`, or (as for list items, which
 * carry no kind) an object with metadata, a string `type` and data/stringData.
 */
function looksLikeSecret(value: Record<string, unknown>): boolean {
  if (value['kind'] === 'Secret') return true;
  return (
    typeof value['type'] === 'string' &&
    typeof value['metadata'] === 'object' &&
    (typeof value['data'] === 'object' || typeof value['stringData'] === 'object')
  );
}

function redactValues(data: unknown): unknown {
  if (typeof data !== 'object' || data === null) return data === undefined ? undefined : REDACTED;
  return Object.fromEntries(Object.keys(data).map((key) => [key, REDACTED]));
}

/**
 * Returns a copy of a Kubernetes Secret with every value of data/stringData
 * replaced (keys are kept: they help debugging) and the last-applied annotation,
 * which holds the whole Secret in clear text, removed.
 */
export function redactSecretObject<T extends object>(secret: T): T {
  const copy: Record<string, unknown> = { ...(secret as Record<string, unknown>) };
  if ('data' in copy) copy['data'] = redactValues(copy['data']);
  if ('stringData' in copy) copy['stringData'] = redactValues(copy['stringData']);
  const metadata = copy['metadata'];
  if (typeof metadata === 'object' && metadata !== null) {
    const annotations = (metadata as Record<string, unknown>)['annotations'];
    if (typeof annotations === 'object' && annotations !== null && LAST_APPLIED in annotations) {
      copy['metadata'] = { ...metadata, annotations: { ...annotations, [LAST_APPLIED]: REDACTED } };
    }
  }
  return copy as T;
}

/** Deeper branches are cut rather than passed through unchecked (fail closed). */
const MAX_DEPTH = 16;

function isWalkable(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  // Errors go through pino's err serializer (their text is scrubbed separately);
  // objects with toJSON or binary content serialise differently from their fields.
  if (value instanceof Error || ArrayBuffer.isView(value) || value instanceof Map || value instanceof Set) return false;
  return typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/**
 * Returns `value` with secret-bearing fields replaced by [REDACTED] at any depth.
 * Copies only the branches that change, so the caller's object is never mutated.
 */
export function redactSecrets<T>(value: T): T {
  return walk(value, 0, new Set()) as T;
}

function walk(value: unknown, depth: number, ancestors: Set<object>): unknown {
  if (!isWalkable(value)) return value;
  if (depth > MAX_DEPTH) return `[Truncated: deeper than ${MAX_DEPTH} levels]`;
  // Returning the original would let the serializer reach unredacted fields through the cycle.
  if (ancestors.has(value)) return '[Circular]';
  ancestors.add(value);
  try {
    const source = !Array.isArray(value) && looksLikeSecret(value) ? redactSecretObject(value) : value;
    let copy: Record<string, unknown> | unknown[] | undefined = source === value ? undefined : source;
    if (Array.isArray(source)) {
      source.forEach((item, index) => {
        const redacted = walk(item, depth + 1, ancestors);
        if (redacted !== item) {
          copy ??= [...source];
          (copy as unknown[])[index] = redacted;
        }
      });
      return copy ?? source;
    }
    for (const key of Object.keys(source)) {
      const item = (source as Record<string, unknown>)[key];
      const redacted = isSecretKey(key) && item !== undefined && item !== null && item !== '' ? REDACTED : walk(item, depth + 1, ancestors);
      if (redacted !== item) {
        copy ??= { ...source };
        (copy as Record<string, unknown>)[key] = redacted;
      }
    }
    return copy ?? source;
  } finally {
    ancestors.delete(value);
  }
}

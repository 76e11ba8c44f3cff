import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Huawei Cloud SDK-HMAC-SHA256 request signing (AK/SK), as implemented by
 * @huaweicloud/huaweicloud-sdk-core's AKSKSigner and verified by the API gateway.
 *
 * Used on both sides: the DRS and ClickHouse clients sign outgoing requests, the built-in
 * engine recomputes the signature of incoming ones. So this module is pure (node:crypto only) and works from
 * what both sides can see: method, absolute URL, headers and the exact body string.
 */

export interface SignableRequest {
  method: string;
  /** Absolute URL, already percent-encoded as it goes on the wire. */
  url: string;
  headers: Record<string, string>;
  /** The exact bytes sent (as a string); '' for no body. */
  body: string;
}

export interface AkSkCredentials {
  accessKey: string;
  secretKey: string;
  /** Present for temporary credentials (STS); sent and signed as X-Security-Token. */
  securityToken?: string;
}

export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';
export const SDK_DATE_HEADER = 'X-Sdk-Date';
export const SECURITY_TOKEN_HEADER = 'X-Security-Token';

/** Characters left as they are by the canonical encoding (RFC 3986 unreserved). */
const UNRESERVED = /^[A-Za-z0-9\-_.~]$/;

/** YYYYMMDDTHHMMSSZ in UTC. */
export function formatSdkDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Headers to add: X-Sdk-Date, Authorization (+ X-Security-Token). The caller puts X-Project-Id
 * (and content-type) in req.headers; host is taken from the URL. Every header in req.headers is
 * signed, so the caller must send exactly those headers with exactly those values.
 */
export function signRequest(req: SignableRequest, cred: AkSkCredentials, now: Date): Record<string, string> {
  const sdkDate = formatSdkDate(now);
  const added: Record<string, string> = { [SDK_DATE_HEADER]: sdkDate };
  if (cred.securityToken) added[SECURITY_TOKEN_HEADER] = cred.securityToken;

  const headers = { ...req.headers, ...added };
  const withHost = { ...headers };
  if (!hasHeader(withHost, 'host')) withHost.host = new URL(req.url).host;
  const signedHeaders = signedHeaderNames(withHost);
  const signature = computeSignature({ ...req, headers: withHost }, signedHeaders, cred.secretKey, sdkDate);
  added.Authorization = `${SIGNING_ALGORITHM} Access=${cred.accessKey}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return added;
}

/**
 * Hex HMAC-SHA256 of the string to sign. `signedHeaders` are lower-case names; their values are
 * looked up case-insensitively in req.headers, and `host` falls back to the URL's host (a
 * verifying server passes the Host header it received).
 */
export function computeSignature(req: SignableRequest, signedHeaders: string[], secretKey: string, sdkDate: string): string {
  const url = new URL(req.url);
  const names = signedHeaders.map((name) => name.toLowerCase()).sort();
  const canonicalHeaders = names
    .map((name) => {
      const value = headerValue(req.headers, name) ?? (name === 'host' ? url.host : '');
      return `${name}:${value.trim()}\n`;
    })
    .join('');
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.search),
    canonicalHeaders,
    names.join(';'),
    sha256Hex(req.body),
  ].join('\n');
  const stringToSign = `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequest)}`;
  return createHmac('sha256', secretKey).update(stringToSign, 'utf8').digest('hex');
}

/** Reads `SDK-HMAC-SHA256 Access=..., SignedHeaders=a;b, Signature=...`; undefined when malformed. */
export function parseAuthorization(header: string): { accessKey: string; signedHeaders: string[]; signature: string } | undefined {
  const prefix = `${SIGNING_ALGORITHM} `;
  if (!header.startsWith(prefix)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(prefix.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKey = fields.get('Access');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKey || !signedHeaders || !signature || !/^[0-9a-f]{64}$/.test(signature)) return undefined;
  return { accessKey, signedHeaders: signedHeaders.split(';').filter((name) => name !== ''), signature };
}

/** Constant-time comparison of two hex signatures (for verifiers). */
export function signaturesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Parses X-Sdk-Date (YYYYMMDDTHHMMSSZ); undefined when malformed. Verifiers use it for clock-skew checks. */
export function parseSdkDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Huawei's percent-encoding: everything but A-Za-z0-9-_.~ as %XX of the UTF-8 bytes, upper-case hex. */
export function huaweiEscape(text: string): string {
  let out = '';
  for (const char of text) {
    if (UNRESERVED.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function canonicalUri(pathname: string): string {
  // Segments arrive percent-encoded by the URL parser; decode first so a segment is encoded once.
  const path = pathname.split('/').map((segment) => huaweiEscape(safeDecode(segment))).join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

function canonicalQuery(search: string): string {
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (query === '') return '';
  const byKey = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeQueryPart(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeQueryPart(pair.slice(eq + 1));
    const values = byKey.get(key) ?? [];
    values.push(value);
    byKey.set(key, values);
  }
  const parts: string[] = [];
  for (const key of [...byKey.keys()].sort()) {
    for (const value of (byKey.get(key) ?? []).sort()) parts.push(`${huaweiEscape(key)}=${huaweiEscape(value)}`);
  }
  return parts.join('&');
}

/** Query strings follow the form convention ('+' is a space), as Node's querystring and the SDK read them. */
function decodeQueryPart(text: string): string {
  return safeDecode(text.replace(/\+/g, ' '));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a stray '%' is taken literally rather than failing the whole request
  }
}

function signedHeaderNames(headers: Record<string, string>): string[] {
  return [...new Set(Object.keys(headers).map((name) => name.toLowerCase()))].sort();
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return headerValue(headers, name) !== undefined;
}

function headerValue(headers: Record<string, string>, lowerName: string): string | undefined {
  let found: string | undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === lowerName) found = value;
  }
  return found;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

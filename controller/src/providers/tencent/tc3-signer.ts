import { createHash, createHmac } from 'node:crypto';

/**
 * Tencent Cloud API 3.0 request signing, TC3-HMAC-SHA256 (../shared/reference/tencent-apis.md):
 * the canonical request covers the method, path, query, the content-type and host headers and
 * the body hash; the key is derived per day and service. Pure, so the providers sign with it
 * and the simulators verify with it.
 */
export interface Tc3Credentials {
  secretId: string;
  secretKey: string;
  /** Temporary credentials carry a token (sent as X-TC-Token, not signed). */
  token?: string;
}

export interface Tc3Request {
  host: string;
  body: string;
  method?: 'POST' | 'GET';
  path?: string;
  query?: string;
  contentType?: string;
}

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';
const DEFAULT_CONTENT_TYPE = 'application/json; charset=utf-8';

/** UTC date of a Unix timestamp (seconds), as the credential scope wants it: YYYY-MM-DD. */
export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export function tc3Signature(req: Tc3Request, secretKey: string, service: string, timestamp: number): string {
  const method = req.method ?? 'POST';
  const canonicalRequest = [
    method,
    req.path ?? '/',
    req.query ?? '',
    `content-type:${req.contentType ?? DEFAULT_CONTENT_TYPE}\nhost:${req.host}\n`,
    'content-type;host',
    sha256Hex(req.body),
  ].join('\n');
  const date = tc3Date(timestamp);
  const stringToSign = [TC3_ALGORITHM, String(timestamp), `${date}/${service}/tc3_request`, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(`TC3${secretKey}`, date);
  const kService = hmac(kDate, service);
  const kSigning = hmac(kService, 'tc3_request');
  return createHmac('sha256', kSigning).update(stringToSign).digest('hex');
}

export function tc3Authorization(req: Tc3Request, credentials: Tc3Credentials, service: string, timestamp: number): string {
  const signature = tc3Signature(req, credentials.secretKey, service, timestamp);
  return `${TC3_ALGORITHM} Credential=${credentials.secretId}/${tc3Date(timestamp)}/${service}/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`;
}

/** Every header an API 3.0 call needs, Authorization included. */
export function tc3Headers(options: {
  req: Tc3Request;
  credentials: Tc3Credentials;
  service: string;
  action: string;
  version: string;
  region?: string;
  timestamp: number;
}): Record<string, string> {
  const { req, credentials, service, action, version, region, timestamp } = options;
  return {
    Authorization: tc3Authorization(req, credentials, service, timestamp),
    'Content-Type': req.contentType ?? DEFAULT_CONTENT_TYPE,
    Host: req.host,
    'X-TC-Action': action,
    'X-TC-Version': version,
    'X-TC-Timestamp': String(timestamp),
    ...(region ? { 'X-TC-Region': region } : {}),
    ...(credentials.token ? { 'X-TC-Token': credentials.token } : {}),
  };
}

/** The parts of an Authorization header, for a simulator to verify; undefined when malformed. */
export function parseTc3Authorization(header: string): { secretId: string; date: string; service: string; signedHeaders: string; signature: string } | undefined {
  const match = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(header);
  if (!match) return undefined;
  const [, secretId, date, service, signedHeaders, signature] = match as unknown as [string, string, string, string, string, string];
  return { secretId, date, service, signedHeaders, signature };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

import { timingSafeEqual } from 'node:crypto';
import {
  computeSignature,
  parseAuthorization,
  parseSdkDate,
  SDK_DATE_HEADER,
  signaturesEqual,
  type SignableRequest,
} from '../../controller/src/providers/huawei/signer.ts';
import { drsError, type DrsError } from './drs-errors.ts';

/**
 * Authentication of DRS calls, as Huawei's API gateway does it: SDK-HMAC-SHA256 (AK/SK) — the
 * signature is recomputed from what arrived (method, URL, the signed headers, body) with the
 * configured secret key and compared in constant time, and X-Sdk-Date must be within ±15
 * minutes — or, when a token is configured, an X-Auth-Token equal to it.
 */
export interface AuthSettings {
  accessKey: string;
  secretKey: string;
  /** Accept `X-Auth-Token: <token>` as well (optional). */
  token?: string | undefined;
  /** Allowed clock skew of X-Sdk-Date (default 15 minutes). */
  maxSkewMs?: number | undefined;
}

export type AuthOutcome = { ok: true } | { ok: false; status: number; body: DrsError };

const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;

export function authenticate(request: SignableRequest, settings: AuthSettings, now: number): AuthOutcome {
  const token = header(request.headers, 'x-auth-token');
  if (token !== undefined && settings.token !== undefined) {
    return sameSecret(token, settings.token) ? { ok: true } : { ok: false, status: 403, body: drsError('DRS.M00100') };
  }
  const authorization = header(request.headers, 'authorization');
  if (authorization === undefined) return unauthorized('missing Authorization (sign the request with AK/SK)');
  const parsed = parseAuthorization(authorization);
  if (!parsed) return unauthorized('malformed Authorization header');
  if (!sameSecret(parsed.accessKey, settings.accessKey)) return unauthorized('unknown access key');
  const sdkDate = header(request.headers, SDK_DATE_HEADER.toLowerCase());
  const signedAt = sdkDate === undefined ? undefined : parseSdkDate(sdkDate);
  if (!sdkDate || !signedAt) return unauthorized('missing or malformed X-Sdk-Date');
  if (Math.abs(now - signedAt.getTime()) > (settings.maxSkewMs ?? DEFAULT_MAX_SKEW_MS)) {
    return unauthorized('X-Sdk-Date is more than 15 minutes away from the server time');
  }
  if (!parsed.signedHeaders.includes('x-sdk-date') || !parsed.signedHeaders.includes('host')) {
    return unauthorized('SignedHeaders must include host and x-sdk-date');
  }
  for (const name of parsed.signedHeaders) {
    if (name !== 'host' && header(request.headers, name) === undefined) return unauthorized(`signed header ${name} is missing`);
  }
  const expected = computeSignature(request, parsed.signedHeaders, settings.secretKey, sdkDate);
  if (!signaturesEqual(expected, parsed.signature)) return unauthorized('verify aksk signature fail');
  return { ok: true };
}

/** The API gateway's answer to a bad AK/SK signature, in the DRS error shape. */
function unauthorized(reason: string): AuthOutcome {
  return { ok: false, status: 401, body: { error_code: 'APIGW.0301', error_msg: `Incorrect IAM authentication information: ${reason}` } };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function header(headers: Record<string, string>, lowerName: string): string | undefined {
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === lowerName) return value;
  return undefined;
}

import { createHmac, randomInt } from 'node:crypto';

/**
 * Tencent Cloud API v2 signing (the CDB data-sync task API, ../shared/reference/tencent-apis.md):
 * string to sign = METHOD + host + path + "?" + every parameter except Signature, sorted by name,
 * joined raw as k=v&...; Signature = base64(HMAC(secretKey, stringToSign)).
 */
export type V2SignatureMethod = 'HmacSHA256' | 'HmacSHA1';

export function v2StringToSign(method: 'GET' | 'POST', host: string, path: string, params: Readonly<Record<string, string>>): string {
  const query = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return `${method}${host}${path}?${query}`;
}

export function v2Signature(secretKey: string, stringToSign: string, method: V2SignatureMethod): string {
  return createHmac(method === 'HmacSHA1' ? 'sha1' : 'sha256', secretKey)
    .update(stringToSign, 'utf8')
    .digest('base64');
}

/** The request parameters with the common ones (SecretId, Timestamp, Nonce, SignatureMethod) and Signature added. */
export function signV2Params(options: {
  method: 'GET' | 'POST';
  host: string;
  path: string;
  params: Readonly<Record<string, string>>;
  secretId: string;
  secretKey: string;
  signatureMethod?: V2SignatureMethod;
  timestamp: number;
  nonce?: number;
}): Record<string, string> {
  const signatureMethod = options.signatureMethod ?? 'HmacSHA256';
  const params: Record<string, string> = {
    ...options.params,
    SecretId: options.secretId,
    Timestamp: String(options.timestamp),
    Nonce: String(options.nonce ?? randomInt(1, 2 ** 31 - 1)),
    SignatureMethod: signatureMethod,
  };
  params.Signature = v2Signature(options.secretKey, v2StringToSign(options.method, options.host, options.path, params), signatureMethod);
  return params;
}

import { timingSafeEqual } from 'node:crypto';

/** Compares a secret (SecretId, signature) in constant time, so timing tells nothing about it. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The hosts a client may have signed for the Host header it sent. Real endpoints have no port, so
 * clients differ on a test endpoint's: some sign the Host header as sent (this project's clients),
 * some the name alone (tencentcloud-sdk-nodejs-common). A simulator accepts either.
 */
export function hostsSignedAs(host: string): string[] {
  return [host, host.replace(/:\d+$/, '')];
}

import { createHash } from 'node:crypto';
import type { ReplicationJobSpec } from '../api/replication-job-spec.ts';

/**
 * Fingerprints of the spec parts that are changed in place. Status keeps the fingerprint last
 * applied, so drift is a string comparison and no value (certainly no secret) is stored.
 */
export function settingsFingerprint(spec: ReplicationJobSpec): string {
  return digest({ description: spec.description ?? '', alarms: spec.alarms ?? null });
}

export function objectsFingerprint(spec: ReplicationJobSpec): string {
  return digest(spec.objects ?? { all: true });
}

/**
 * Speed limits: spec.speedLimits (MB/s windows), or providerOptions.rateLimit for providers that
 * throttle by threads and rows per second instead (Tencent DTS ModifySyncRateLimit). Without a
 * rateLimit the fingerprint is what it always was, so existing jobs see no drift.
 */
export function speedLimitsFingerprint(spec: ReplicationJobSpec): string {
  const rateLimit = spec.providerOptions?.rateLimit;
  return digest(rateLimit === undefined ? (spec.speedLimits ?? []) : { speedLimits: spec.speedLimits ?? [], rateLimit });
}

function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

/** JSON with sorted keys, so key order in YAML never looks like a change. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

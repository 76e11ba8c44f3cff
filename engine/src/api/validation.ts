import type { z } from 'zod';
import { drsError, type DrsError } from '../drs-errors.ts';

/**
 * Request validation with the shared zod schemas (controller/src/providers/huawei-drs/
 * schemas.ts), turning the first problem into the DRS error a client would get: DRS.M00201
 * "The parameter %s is empty." for a missing field, DRS.M00202 "The value of parameter %s is
 * invalid." for anything else (A.3).
 */
export type Validated<T> = { ok: true; value: T } | { ok: false; error: DrsError };

export function validate<S extends z.ZodType>(schema: S, input: unknown): Validated<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: errorForIssue(parsed.error.issues[0], input) };
}

export function errorForIssue(issue: z.core.$ZodIssue | undefined, input: unknown): DrsError {
  if (!issue) return drsError('DRS.M00200');
  const path = issue.path.map(String).join('.') || 'body';
  const missing = valueAt(input, issue.path) === undefined;
  return missing ? drsError('DRS.M00201', path) : drsError('DRS.M00202', path);
}

/** The first top-level field a zod issue is about ("engine_type" for jobs.0.engine_type → relative). */
export function issueField(issue: z.core.$ZodIssue | undefined): string | undefined {
  const key = issue?.path[0];
  return key === undefined ? undefined : String(key);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Duplicate keys in a batch (DRS.M00301 "There are duplicate %s in request."). */
export function firstDuplicate(keys: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return undefined;
}

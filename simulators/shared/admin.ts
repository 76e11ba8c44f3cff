import type { ServerResponse } from 'node:http';
import type { FaultInjector, FaultSettings } from '../../engine/src/faults.ts';
import { parseJson, sendJson } from '../../engine/src/http-util.ts';

/**
 * The /_sim/ admin API every simulator serves beside its provider API (no auth: tests and people
 * drive the simulator with it). Each simulator names its endpoints; the dispatch, the JSON in and
 * out and the fault and counter endpoints are the same everywhere, so they live here once.
 */
export const ADMIN_PREFIX = '/_sim/';

/**
 * One admin endpoint. `path` is what follows its name and a slash in the URL, as sent
 * (`/_sim/tasks/12/fail` → endpoint `tasks`, path `12/fail`); undefined when the URL names the
 * endpoint itself. `body` is the parsed JSON body (undefined when there is none).
 */
export type AdminEndpoint = (request: { method: string; body: unknown; path: string | undefined }) => unknown | Promise<unknown>;

export function isAdminPath(pathname: string): boolean {
  return pathname.startsWith(ADMIN_PREFIX);
}

/**
 * Answers `/_sim/<name>` with the endpoint whose name is `<name>` or its longest prefix ending at a
 * slash: 404 when none, 400 `{error}` for a body that is not JSON or an endpoint that throws (its
 * message tells the caller what to send instead), else 200 with the endpoint's answer ({} for none).
 */
export async function serveAdmin(res: ServerResponse, endpoints: ReadonlyMap<string, AdminEndpoint>, request: { pathname: string; method: string; body: string }): Promise<void> {
  const name = request.pathname.slice(ADMIN_PREFIX.length);
  const key = [...endpoints.keys()].sort((a, b) => b.length - a.length).find((k) => name === k || name.startsWith(`${k}/`));
  if (!key) return sendJson(res, 404, { error: `no admin endpoint /_sim/${name}` });
  const parsed = request.body ? parseJson(request.body) : { ok: true as const, value: undefined };
  if (!parsed.ok) return sendJson(res, 400, { error: 'body is not JSON' });
  try {
    const path = name === key ? undefined : name.slice(key.length + 1);
    sendJson(res, 200, (await endpoints.get(key)!({ method: request.method, body: parsed.value, path })) ?? {});
  } catch (error) {
    sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * `/_sim/faults`: GET the fault settings (engine/src/faults.ts), DELETE resets them, and the
 * `mergedBy` methods merge the body into them.
 */
export function faultSettingsEndpoint(faults: FaultInjector, mergedBy: readonly string[] = ['POST', 'PUT']): AdminEndpoint {
  return ({ method, body }) => (method === 'DELETE' ? faults.reset() : mergedBy.includes(method) ? faults.update(body as Partial<FaultSettings>) : faults.current);
}

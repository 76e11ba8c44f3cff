/**
 * A caller of a simulator's admin API (`/_sim/...` on its own URL, plain JSON, unsigned): how a
 * test sets outcomes, faults, delays and progress, and reads what the simulator holds. Every
 * simulator here answers an unknown path or a bad body with a non-2xx status; that throws, so a
 * mistyped admin call fails the test at once instead of leaving the simulator as it was.
 * Answers the parsed JSON body (undefined for an empty one).
 */
export function simulatorAdmin(url: string) {
  return async (path: string, body?: unknown, method = 'POST'): Promise<any> => {
    const response = await fetch(`${url}/_sim/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator admin ${method} /_sim/${path}: ${response.status} ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  };
}

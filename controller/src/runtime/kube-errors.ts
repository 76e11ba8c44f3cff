/**
 * client-node 2.x throws ApiException with `.code` (HTTP status) and `.body` (the Status
 * object as text). These helpers read it without caring which generated API threw.
 */
export function httpStatusOf(error: unknown): number | undefined {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; statusCode?: unknown };
    if (typeof e.code === 'number') return e.code;
    if (typeof e.statusCode === 'number') return e.statusCode;
  }
  return undefined;
}

export const isConflict = (error: unknown) => httpStatusOf(error) === 409;
export const isNotFound = (error: unknown) => httpStatusOf(error) === 404;
export const isGone = (error: unknown) => httpStatusOf(error) === 410;

/** The Status message the API server sent, for error text users can act on. */
export function apiMessage(error: unknown): string {
  if (error && typeof error === 'object') {
    const body = (error as { body?: unknown }).body;
    if (typeof body === 'string') {
      try {
        const parsed = JSON.parse(body) as { message?: string };
        if (parsed.message) return parsed.message;
      } catch {
        if (body) return body;
      }
    } else if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
      return (body as { message: string }).message;
    }
    if (error instanceof Error) return error.message;
  }
  return String(error);
}

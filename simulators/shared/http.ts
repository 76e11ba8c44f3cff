import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BodyTooLarge, readBody } from '../../engine/src/http-util.ts';

/**
 * A simulator's HTTP server around its request handler. A handler that throws gets the API's own
 * internal-error answer, so a client meets what the real gateway would send rather than a reset,
 * unless the answer has already begun (then the connection is dropped). `onFailure` hears of every
 * failure first (a log line). Kept-alive connections stay open 65 s.
 */
export function createSimulatorServer(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  answerInternalError: (res: ServerResponse, error: unknown) => void,
  onFailure?: (error: unknown) => void,
): Server {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      onFailure?.(error);
      if (!res.headersSent) answerInternalError(res, error);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

/**
 * The request body as text, or the BodyTooLarge error when it exceeds the engine's limit: each
 * simulator refuses that in its own API's error shape, so it is returned rather than thrown.
 */
export async function readBodyWithinLimit(req: IncomingMessage): Promise<string | BodyTooLarge> {
  try {
    return await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLarge) return error;
    throw error;
  }
}

import type { ServerResponse } from 'node:http';
import { computeSignature, parseAuthorization } from '../../../../controller/src/providers/huawei/signer.ts';
import { sendJson, startLocalServer, type LocalServer, type ReceivedRequest } from '../local-server.ts';

export const PROJECT = '054ba152d480d55b2f5dc0069e7ddef0';
export const AK = 'HPUAEXAMPLEAK0000001';
export const SK = 'example-secret-key-do-not-leak';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

/** Per operation (last path segment, or "jobs" for the list): what to answer to each call. */
export type Routes = Record<string, (body: any, req: ReceivedRequest, call: number) => Reply>;

export interface DrsTestServer extends LocalServer {
  /** Requests per operation, with parsed JSON bodies. */
  calls(operation: string): { req: ReceivedRequest; body: any }[];
  setRoutes(routes: Routes): void;
}

/** A loopback HTTP server standing in for DRS (and IAM): answers per route, records every request. */
export async function startDrsServer(routes: Routes = {}): Promise<DrsTestServer> {
  let current = routes;
  const counts = new Map<string, number>();
  const server = await startLocalServer();
  server.handle((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const operation = path.split('/').at(-1) ?? '';
    const call = (counts.get(operation) ?? 0) + 1;
    counts.set(operation, call);
    const route = current[operation];
    if (!route) return sendJson(res, 404, { error_code: 'APIGW.0101', error_msg: `no route for ${path}` });
    const reply = route(req.body ? JSON.parse(req.body) : undefined, req, call);
    if (reply.hang) return;
    answer(res, reply);
  });
  return {
    ...server,
    calls: (operation) =>
      server.requests
        .filter((req) => new URL(req.url, 'http://x').pathname.split('/').at(-1) === operation)
        .map((req) => ({ req, body: req.body ? JSON.parse(req.body) : undefined })),
    setRoutes: (next) => {
      current = next;
      counts.clear();
    },
  };
}

function answer(res: ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status, reply.headers);
    res.end();
    return;
  }
  sendJson(res, reply.status, reply.body, reply.headers);
}

/** Checks an AK/SK signature the way the API gateway would, from what actually arrived. */
export function signatureIsValid(origin: string, req: ReceivedRequest, secretKey = SK): boolean {
  const auth = parseAuthorization(req.headers.authorization ?? '');
  const date = req.headers['x-sdk-date'];
  if (!auth || !date) return false;
  const expected = computeSignature({ method: req.method, url: `${origin}${req.url}`, headers: req.headers, body: req.body }, auth.signedHeaders, secretKey, date);
  return expected === auth.signature;
}

/** The usual action answer: every job succeeded. */
export function allSucceeded(jobIds: string[], status = 200): Reply {
  return { status, body: { results: jobIds.map((id) => ({ id, status: 'success' })), count: jobIds.length } };
}

import { createServer, request } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseResourcePath } from '../../support/kube-apiserver/request-info.ts';
import type { ResourceRequest } from './rbac-authorizer.ts';

/**
 * A pass-through HTTP proxy in front of the Kubernetes API test server that records what one
 * client asks for, as the apiserver's authorizer sees it (verb, group, resource, namespace,
 * name). Only the operator talks through it, so the test's own setup calls are not counted.
 */
export interface RecordingProxy {
  readonly url: string;
  readonly requests: ResourceRequest[];
  /** Paths outside /api and /apis resources (discovery, /version), which RBAC's nonResourceURLs govern. */
  readonly nonResourcePaths: string[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: ResourceRequest[] = [];
  const nonResourcePaths: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', target);
    const info = parseResourcePath(req.method ?? 'GET', url);
    if (info === undefined || info === 'discovery') nonResourcePaths.push(url.pathname);
    else {
      requests.push({
        verb: info.verb,
        group: info.group,
        resource: info.resource,
        ...(info.subresource ? { subresource: info.subresource } : {}),
        ...(info.namespace ? { namespace: info.namespace } : {}),
        ...(info.name ? { name: info.name } : {}),
      });
    }
    const forwarded = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    // A client that hangs up (a watch being stopped) hangs up upstream too.
    res.on('close', () => forwarded.destroy());
    req.pipe(forwarded);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    nonResourcePaths,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

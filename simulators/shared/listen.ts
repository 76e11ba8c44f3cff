import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../engine/src/clock.ts';

/** What a simulator's endpoint takes besides its API: where to listen, its clock, and the random source its faults draw from. */
export interface EndpointSettings {
  /** Default 127.0.0.1, any free port. */
  listen?: { host: string; port: number };
  clock?: Clock;
  random?: () => number;
}

/**
 * Starts a simulator's HTTP server on `listen` (default 127.0.0.1, any free port) and gives its
 * base URL and a close that also drops kept-alive connections (clients keep them for seconds).
 */
export async function listenOn(server: Server, listen: { host: string; port: number } = { host: '127.0.0.1', port: 0 }): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

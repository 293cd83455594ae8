// Binding a device listener (OsmAnd HTTP, CoT TCP). Phones reconnect all at once when a cell comes back or
// the server restarts: with Node's default accept queue of 511, the kernel drops the SYNs past it and each
// of those phones waits a second (the first SYN retransmit) before it is heard. The kernel caps the queue
// at net.core.somaxconn (4,096 on current Linux).
import type net from 'node:net';

export const DEVICE_LISTEN_BACKLOG = 4096;

/** Listens and resolves with the bound port (useful with port 0). */
export function listenForDevices(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: DEVICE_LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

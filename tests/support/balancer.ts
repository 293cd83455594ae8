// A TCP load balancer for tests: each new connection goes to the first backend that accepts it, in order,
// so that when the first node dies its clients' reconnections land on the next (what any failover balancer
// in front of several nodes does).
import net from 'node:net';

export interface Balancer {
  url: string;
  close(): Promise<void>;
}

function connectFirst(backends: readonly number[], index: number, client: net.Socket): void {
  const port = backends[index];
  if (port === undefined) {
    client.destroy();
    return;
  }
  const upstream = net.connect(port, '127.0.0.1');
  let connected = false;
  upstream.on('error', () => {
    if (connected) client.destroy();
    else connectFirst(backends, index + 1, client);
  });
  upstream.once('connect', () => {
    connected = true;
    client.pipe(upstream);
    upstream.pipe(client);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
}

export async function startBalancer(backends: readonly number[]): Promise<Balancer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    connectFirst(backends, 0, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

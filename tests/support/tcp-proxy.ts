// A TCP relay between test clients and a server, whose link a test can cut and restore: cut() resets every
// connection through it and resets new ones while it is down (a dropped network), restore() lets them through.
import net from 'node:net';

export interface TcpProxy {
  /** The proxy's own address, to give clients instead of the server's. */
  url: string;
  /** Connections currently relayed (client side). */
  open(): number;
  /** Every relayed connection gets a TCP reset on both sides; new ones are reset until restore(). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** Relays 127.0.0.1:<its port> to target (an http://host:port URL). */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const upstream = new URL(target);
  const pairs = new Set<{ client: net.Socket; server: net.Socket }>();
  let down = false;

  const server = net.createServer((client) => {
    // While the link is down a connection attempt fails as it would on a dead network: at once, with a reset.
    if (down) return client.resetAndDestroy();
    const relay = net.connect(Number(upstream.port), upstream.hostname);
    const pair = { client, server: relay };
    pairs.add(pair);
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      relay.destroy();
    };
    client.on('error', drop).on('close', drop);
    relay.on('error', drop).on('close', drop);
    client.pipe(relay);
    relay.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;

  const resetAll = (): void => {
    for (const pair of [...pairs]) {
      pairs.delete(pair);
      pair.client.resetAndDestroy();
      pair.server.resetAndDestroy();
    }
  };

  return {
    url: `${upstream.protocol}//127.0.0.1:${address.port}`,
    open: () => pairs.size,
    cut() {
      down = true;
      resetAll();
    },
    restore() {
      down = false;
    },
    close() {
      resetAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

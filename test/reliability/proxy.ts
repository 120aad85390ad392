/**
 * A TCP proxy of the test's own in front of PostgreSQL, to play a server restart without touching
 * the real cluster other tests use: `restart(downMs)` destroys every open connection (as PostgreSQL's
 * fast shutdown ends every session) and refuses new ones for `downMs`, then lets them through again.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface PgProxy {
  port: number;
  /** Connections cut so far. */
  cut: number;
  /** Cuts every connection and refuses new ones for downMs. */
  restart(downMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(target: { host: string; port: number }): Promise<PgProxy> {
  const open = new Set<Socket>();
  let downUntil = 0;
  const server: Server = createServer((client) => {
    if (Date.now() < downUntil) {
      client.destroy(); // refused while "restarting"
      return;
    }
    const upstream = connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const proxy: PgProxy = {
    port: typeof address === 'object' && address ? address.port : 0,
    cut: 0,
    async restart(downMs: number) {
      downUntil = Date.now() + downMs;
      for (const s of open) {
        proxy.cut++;
        s.destroy();
      }
      open.clear();
      await new Promise((r) => setTimeout(r, downMs));
    },
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}

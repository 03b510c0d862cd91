import * as net from 'node:net';

/**
 * A loopback TCP server that speaks just enough of the PostgreSQL wire protocol to
 * answer a startup message with an ErrorResponse, or not at all. Used for the two
 * conditions a real server cannot be made to show on demand: "starting up" (57P03)
 * and a server that accepts but never answers (timeout).
 */
export interface StubServer {
  port: number;
  close(): Promise<void>;
}

export async function startProtocolStub(behaviour: { sqlState: string; message: string } | 'silent'): Promise<StubServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (behaviour === 'silent') return;
    socket.once('data', () => {
      const fields = Buffer.concat([field('S', 'FATAL'), field('V', 'FATAL'), field('C', behaviour.sqlState), field('M', behaviour.message), Buffer.from([0])]);
      const header = Buffer.alloc(5);
      header.write('E', 0, 'ascii');
      header.writeInt32BE(fields.length + 4, 1);
      socket.end(Buffer.concat([header, fields]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function field(code: string, value: string): Buffer {
  return Buffer.concat([Buffer.from(code, 'ascii'), Buffer.from(value, 'utf8'), Buffer.from([0])]);
}

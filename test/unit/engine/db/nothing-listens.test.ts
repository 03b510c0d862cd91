import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nothingListens } from '../../../../electron/engine/db/nothing-listens';

function listen(server: net.Server, ...args: unknown[]): Promise<void> {
  return new Promise((resolve) => server.listen(...(args as [number, string]), () => resolve()));
}

describe('nothingListens (real sockets)', () => {
  it('is false where something accepts a connection, true once it is gone', async () => {
    const server = net.createServer((socket) => socket.destroy());
    await listen(server, 0, '127.0.0.1');
    const { port } = server.address() as net.AddressInfo;
    expect(await nothingListens('127.0.0.1', port)).toBe(false);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await nothingListens('127.0.0.1', port)).toBe(true);
  });

  it('is true for a host name that does not resolve', async () => {
    expect(await nothingListens('no-such-host.invalid', 5432)).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('reads a host starting with "/" as a Unix-socket directory, as libpq does', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skeldir-socket-'));
    try {
      expect(await nothingListens(dir, 5432)).toBe(true);
      const server = net.createServer((socket) => socket.destroy());
      await listen(server, path.join(dir, '.s.PGSQL.5432'));
      expect(await nothingListens(dir, 5432)).toBe(false);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

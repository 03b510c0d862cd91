import * as net from 'node:net';
import * as path from 'node:path';

/** Errors that say for certain that no server listens there (as opposed to a slow or filtered network). */
const NOTHING_THERE = new Set(['ECONNREFUSED', 'ENOENT', 'ENOTFOUND', 'EAI_NONAME']);

/**
 * Whether PostgreSQL's address is certainly empty: a refused TCP connection, a missing Unix
 * socket, a host name that does not resolve. Asked before a password is, since psql, too,
 * asks for one only when a server wants it: a user without a server should hear that, not
 * be asked for a password first. Anything uncertain (a timeout, a filtered port) counts as
 * "may be there".
 */
export function nothingListens(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    // A host that starts with "/" is a Unix-socket directory, as libpq reads it.
    const socket = host.startsWith('/') ? net.connect({ path: path.posix.join(host, `.s.PGSQL.${port}`) }) : net.connect({ host, port });
    const settle = (empty: boolean) => {
      socket.destroy();
      resolve(empty);
    };
    socket.setTimeout(timeoutMs, () => settle(false));
    socket.once('connect', () => settle(false));
    socket.once('error', (error: NodeJS.ErrnoException) => settle(NOTHING_THERE.has(error.code ?? '')));
  });
}

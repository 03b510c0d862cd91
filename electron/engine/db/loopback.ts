import * as dns from 'node:dns';
import * as net from 'node:net';

/**
 * Destructive operations (drop, restore) are allowed only on this machine unless the
 * user says otherwise. "This machine" is decided on the resolved addresses before any
 * socket opens, not on the host string: a name in /etc/hosts or DNS that points
 * elsewhere is remote.
 */
export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) => {
  const addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
  return addresses.map((entry) => entry.address);
};

export function isLoopbackAddress(address: string): boolean {
  const unwrapped = address.replace(/^\[|\]$/g, '');
  if (net.isIPv4(unwrapped)) return unwrapped.split('.')[0] === '127';
  if (net.isIPv6(unwrapped)) {
    const lower = unwrapped.toLowerCase();
    if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    return mapped ? mapped[1].split('.')[0] === '127' : false;
  }
  return false;
}

export interface LoopbackVerdict {
  loopback: boolean;
  addresses: string[];
  /** Why not, in words, when loopback is false. */
  reason?: string;
}

export async function checkLoopback(host: string, resolve: Resolver = systemResolver): Promise<LoopbackVerdict> {
  // A Unix-domain socket directory is local by definition.
  if (host.startsWith('/')) return { loopback: true, addresses: [host] };
  const literal = host.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (net.isIP(literal)) {
    addresses = [literal];
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      return { loopback: false, addresses: [], reason: `"${host}" could not be resolved` };
    }
  }
  if (addresses.length === 0) return { loopback: false, addresses, reason: `"${host}" resolved to no address` };
  const remote = addresses.filter((address) => !isLoopbackAddress(address));
  if (remote.length > 0) {
    return { loopback: false, addresses, reason: `"${host}" resolves to ${remote.join(', ')}, which is not this machine` };
  }
  return { loopback: true, addresses };
}

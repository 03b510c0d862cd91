/**
 * Connection URLs inside environment values and source text: found, classified
 * (CI's own database or some other host) and rewritten to the local database while
 * keeping the scheme (`sqla+postgresql://`, `db+postgresql://`, `postgresql+asyncpg://` …)
 * and the query. Pure string work, shared by R5's environment and its source scan.
 */
export interface LocalDatabase {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

export interface FoundUrl {
  /** The URL as written. */
  text: string;
  scheme: string;
  /** Host as written ('' for a socket or default host), without brackets or port. */
  host: string;
  index: number;
}

// A scheme naming PostgreSQL somewhere (postgres, postgresql+asyncpg, sqla+postgresql, db+postgresql, …).
const URL_PATTERN = /\b([a-z][a-z0-9+.-]*):\/\/([^\s'"`@/?#]*@)?(\[[^\]\s]*\]|[^\s'"`/?#:@]*)(:\d*)?(\/[^\s'"`?#]*)?(\?[^\s'"`#]*)?/gi;

export function findPostgresUrls(text: string): FoundUrl[] {
  const out: FoundUrl[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    if (!/postgres/i.test(match[1])) continue;
    out.push({ text: match[0], scheme: match[1], host: match[3].replace(/^\[|\]$/g, ''), index: match.index ?? 0 });
  }
  return out;
}

/** Loopback or no host (a socket): the machine the code runs on. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === '' || h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1';
}

/** How a host appears in a URL (IPv6 in brackets). */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export type RewriteOutcome = { kind: 'none'; value: string } | { kind: 'rewritten'; value: string } | { kind: 'remote'; host: string };

/**
 * Every PostgreSQL URL in the value that points at CI's database (a loopback host or one
 * of the job's service containers) now points at the local server, database and role.
 * A URL for any other host makes the whole value 'remote': R5 must not hand it on.
 */
export function rewriteCiUrls(value: string, local: LocalDatabase, ciHosts: string[]): RewriteOutcome {
  const urls = findPostgresUrls(value);
  if (urls.length === 0) return { kind: 'none', value };
  const ciNames = new Set(ciHosts.map((h) => h.toLowerCase()));
  const remote = urls.find((url) => !isLoopbackHost(url.host) && !ciNames.has(url.host.toLowerCase()) && !url.host.includes('$'));
  if (remote) return { kind: 'remote', host: remote.host };
  let out = '';
  let at = 0;
  for (const url of urls) {
    const query = /\?[^#]*$/.exec(url.text)?.[0] ?? '';
    const replacement =
      `${url.scheme}://${encodeURIComponent(local.user)}:${encodeURIComponent(local.password)}` +
      `@${urlHost(local.host)}:${local.port}/${encodeURIComponent(local.database)}${query}`;
    out += value.slice(at, url.index) + replacement;
    at = url.index + url.text.length;
  }
  return { kind: 'rewritten', value: out + value.slice(at) };
}

/** The parts of a postgres URL (the guide's DATABASE_URL), or null when it is not one. */
export function parseLocalDatabase(url: string): LocalDatabase | null {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^:@/]*)(?::([^@]*))?@(\[[^\]]*\]|[^:/?#]*)(?::(\d+))?\/([^?#]*)/i.exec(url.trim());
  if (!match) return null;
  const decode = (v: string | undefined) => {
    try {
      return decodeURIComponent(v ?? '');
    } catch {
      return v ?? '';
    }
  };
  return {
    user: decode(match[1]),
    password: decode(match[2]),
    host: match[3].replace(/^\[|\]$/g, ''),
    port: match[4] ? Number(match[4]) : 5432,
    database: decode(match[5]),
  };
}

/** The value with every URL's password written as ***. */
export function redactUrlPasswords(value: string): string {
  return value.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s'"`:@/]*:)([^\s'"`@/]*)@/gi, (_whole, head: string, pw: string) => (pw ? `${head}***@` : `${head}@`));
}

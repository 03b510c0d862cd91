import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The password file as libpq reads it (PostgreSQL docs, "The Password File"), so a
 * developer whose psql needs no password needs none here either: PGPASSFILE, else
 * ~/.pgpass (%APPDATA%\postgresql\pgpass.conf on Windows); lines
 * hostname:port:database:username:password, `*` matching anything in the first four
 * fields, `\:` and `\\` escapes, `#` comments, the first matching line wins. On POSIX a
 * file readable by group or others is ignored with a warning, as libpq does.
 */
export interface PgpassQuery {
  host: string;
  port: number;
  database: string;
  user: string;
}

export interface PgpassLookup {
  password?: string;
  /** Why the file was ignored (permissions), to print once. */
  warning?: string;
  file: string;
}

export function pgpassFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.PGPASSFILE) return env.PGPASSFILE;
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'postgresql', 'pgpass.conf');
  return path.join(env.HOME || os.homedir(), '.pgpass');
}

/** libpq's field match: `*` matches anything, otherwise the de-escaped field equals the value. */
function splitFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (ch === '\\' && i + 1 < line.length) {
      current += line[i + 1];
      i += 1;
    } else if (ch === ':' && fields.length < 4) {
      fields.push(current);
      current = '';
    } else if (ch === ':') {
      // libpq ends the password at the next unescaped colon.
      break;
    } else {
      current += ch;
    }
  }
  fields.push(current);
  return fields;
}

/** A literal `*` field (not an escaped `\*`) matches anything. */
function rawFieldIsStar(line: string, index: number): boolean {
  let field = 0;
  let start = 0;
  for (let i = 0; i < line.length && field < index; i += 1) {
    if (line[i] === '\\') i += 1;
    else if (line[i] === ':') {
      field += 1;
      start = i + 1;
    }
  }
  return line.slice(start, start + 2) === '*:';
}

export function matchPgpass(text: string, query: PgpassQuery): string | undefined {
  // libpq looks up "localhost" for a socket directory or an empty host.
  const host = query.host === '' || query.host.startsWith('/') ? 'localhost' : query.host;
  const wanted = [host, String(query.port), query.database, query.user];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const fields = splitFields(line);
    if (fields.length < 5) continue;
    const matches = wanted.every((value, index) => rawFieldIsStar(line, index) || fields[index] === value);
    if (matches) return fields[4];
  }
  return undefined;
}

export function lookupPgpass(query: PgpassQuery, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): PgpassLookup {
  const file = pgpassFile(env, platform);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return { file };
  }
  if (!stat.isFile()) return { file };
  if (platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    return { file, warning: `password file "${file}" has group or world access; permissions should be u=rw (0600) or less. It was ignored (as psql does).` };
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { file };
  }
  return { file, password: matchPgpass(text, query) };
}

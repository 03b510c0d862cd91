import * as crypto from 'node:crypto';
import { promisify } from 'node:util';
import saslprep from '@mongodb-js/saslprep';

const pbkdf2 = promisify(crypto.pbkdf2);

/**
 * SCRAM-SHA-256 verifier, as psql's \password and libpq's PQencryptPasswordConn
 * compute it. Sending this instead of the clear password means a server that logs
 * DDL (log_statement = 'ddl') never writes the password to its log.
 */
const ITERATIONS = 4096;

/**
 * The password as PostgreSQL hashes it (pg_saslprep in src/common/saslprep.c): a pure
 * ASCII password as it is; otherwise RFC 4013 SASLprep (non-ASCII spaces to a space,
 * soft hyphens and other "mapped to nothing" characters removed, NFKC), unassigned code
 * points allowed; a password SASLprep rejects (prohibited characters, bidi rules) is
 * used raw, as the server does. A plain NFKC differed for such passwords, so a role's
 * verifier would not have matched the password the user types.
 */
export function postgresSaslprep(password: string): string {
  // eslint-disable-next-line no-control-regex -- an all-ASCII password (NUL included) needs no SASLprep
  if (/^[\x00-\x7f]*$/.test(password)) return password;
  try {
    return saslprep(password, { allowUnassigned: true });
  } catch {
    return password;
  }
}

export function scramSha256Verifier(password: string, salt: Buffer = crypto.randomBytes(16)): string {
  const normalized = postgresSaslprep(password);
  const salted = crypto.pbkdf2Sync(normalized, salt, ITERATIONS, 32, 'sha256');
  const clientKey = crypto.createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = crypto.createHash('sha256').update(clientKey).digest();
  const serverKey = crypto.createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * Whether a stored SCRAM-SHA-256 verifier (pg_authid.rolpassword) belongs to `password`:
 * recomputed with the stored salt and iteration count. Lets bootstrap confirm a role's
 * password without a test login. False for md5 or unparsable verifiers. Asynchronous
 * (libuv's thread pool): the 4096 PBKDF2 rounds of several roles run side by side, not on
 * the event loop.
 */
export async function verifierMatches(stored: string | null, password: string): Promise<boolean> {
  const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(stored ?? '');
  if (!match) return false;
  const iterations = Number(match[1]);
  const salt = Buffer.from(match[2], 'base64');
  const salted = await pbkdf2(postgresSaslprep(password), salt, iterations, 32, 'sha256');
  const storedKey = crypto.createHash('sha256').update(crypto.createHmac('sha256', salted).update('Client Key').digest()).digest('base64');
  const serverKey = crypto.createHmac('sha256', salted).update('Server Key').digest('base64');
  return storedKey === match[3] && serverKey === match[4];
}

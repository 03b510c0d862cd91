import { redactConnectionStrings } from '../../../shared/contract/connection';

/**
 * Takes every secret out of a value before it leaves the machine: walks the whole
 * object (keys and values, however deep: evidence, log tails, error details) and
 *  - blanks the value of any key that names a secret (password, token, …);
 *  - replaces the password of every postgresql:// URL;
 *  - replaces `PASSWORD '…'` in SQL and `PGPASSWORD=…`-like assignments;
 *  - replaces every occurrence of the known secrets (the profile's role passwords,
 *    the superuser password, password variables of the environment).
 * A known secret that is also a public name (the guide's app_user/app_user pairs) or
 * too short to search for safely cannot be told apart from ordinary text; the notes
 * say so instead of mangling every role name in the bundle.
 */
export const REDACTED = '***';

export interface RedactionInput {
  /** Secret values to remove wherever they appear. */
  secrets: Array<string | null | undefined>;
  /** Names that are public (role, database and superuser names): never treated as secrets. */
  publicNames?: string[];
}

export interface Redacted<T> {
  value: T;
  /** What the reader of the bundle should know about the redaction. */
  notes: string[];
}

const SECRET_KEY = /pass(?:word|wd|phrase)?$|^pwd$|secret|token|api[-_]?key|credential|private[-_]?key/i;
const SQL_PASSWORD = /(\bPASSWORD\s+)(E?'(?:[^']|'')*'|"[^"]*")/gi;
const SECRET_ASSIGNMENT = /\b([A-Z][A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN)[A-Z0-9_]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s"',;]+)/g;
const MIN_SECRET_LENGTH = 4;

export function redactSecrets<T>(value: T, input: RedactionInput): Redacted<T> {
  const publicNames = new Set(input.publicNames ?? []);
  const searchable: string[] = [];
  let equalsName = false;
  let tooShort = false;
  for (const secret of new Set(input.secrets)) {
    if (!secret) continue;
    if (publicNames.has(secret)) equalsName = true;
    else if (secret.length < MIN_SECRET_LENGTH) tooShort = true;
    else searchable.push(secret);
  }
  // Longest first, so a secret containing another is replaced whole.
  searchable.sort((a, b) => b.length - a.length);
  let count = 0;

  const text = (raw: string): string => {
    let out = redactConnectionStrings(raw);
    out = out.replace(SQL_PASSWORD, (_whole, keyword: string) => `${keyword}'${REDACTED}'`);
    out = out.replace(SECRET_ASSIGNMENT, (whole, name: string, separator: string, assigned: string) =>
      assigned === REDACTED ? whole : `${name}${separator}${REDACTED}`,
    );
    for (const secret of searchable) {
      if (!out.includes(secret)) continue;
      count += out.split(secret).length - 1;
      out = out.split(secret).join(REDACTED);
    }
    if (out !== raw && count === 0) count = 1;
    return out;
  };

  // Objects on the current path: a cycle is cut, while an object shared by two
  // branches (the report's prerequisites are also the bundle's) is copied twice.
  const path = new Set<object>();
  const walk = (node: unknown, key: string | null): unknown => {
    if (typeof node === 'string') {
      if (key !== null && SECRET_KEY.test(key) && node !== '') {
        count++;
        return REDACTED;
      }
      return text(node);
    }
    if (typeof node !== 'object' || node === null) return node;
    if (path.has(node)) return '[cycle]';
    path.add(node);
    try {
      if (Array.isArray(node)) return node.map((item) => walk(item, null));
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[text(k)] = walk(v, k);
      return out;
    } finally {
      path.delete(node);
    }
  };

  const redacted = walk(value, null) as T;
  const notes: string[] = [];
  if (count > 0) notes.push(`Secrets were redacted (shown as ${REDACTED}).`);
  if (equalsName)
    notes.push(
      'Some passwords equal their role or user names (the guide\u2019s local-development defaults); they cannot be told apart from the names and protect nothing.',
    );
  if (tooShort)
    notes.push(
      `A password shorter than ${MIN_SECRET_LENGTH} characters cannot be searched for safely; only passwords in URLs, SQL and password fields were redacted.`,
    );
  return { value: redacted, notes };
}

/**
 * Reads the statements of Alembic's offline SQL (`upgrade --sql`) that decide what
 * VERIFY expects: grants and revokes on tables and sequences, row-level security and
 * its policies, renames, drops and creations, in upgrade order. Pure: no database, no Python. What it
 * cannot read with certainty is returned as a note instead of being guessed.
 */

/** A table, view or sequence; unqualified names are taken as `public` (Alembic's default search_path). */
export interface RelationName {
  schema: string;
  name: string;
}

/** A role condition of a `DO` block (`IF [NOT] EXISTS (SELECT … FROM pg_roles WHERE rolname = '…')`). */
export interface RoleCondition {
  role: string;
  exists: boolean;
}

export type PrivilegeObjects =
  | { kind: 'relations'; relations: RelationName[]; objectType: 'table' | 'sequence' }
  | { kind: 'all-in-schema'; objectType: 'table' | 'sequence'; schema: string };

/**
 * The `IF … THEN` a statement of a `DO` block runs under: role conditions the replay evaluates
 * against the catalog (null: unconditional), or one it cannot (then the statement is not checked).
 */
export interface Guard {
  /** Every enclosing role condition must hold; null: unconditional. */
  conditions: RoleCondition[] | null;
  /** A condition the reader cannot evaluate (anything but a pg_roles lookup). */
  unknownCondition: string | null;
}

export type MigrationStatement =
  | ({
      kind: 'grant' | 'revoke';
      /** Upper-case privilege names; ALL is expanded by the reader of these statements (it depends on the object type). */
      privileges: string[];
      objects: PrivilegeObjects;
      /** Role names as written (unquoted ones lower-cased); PUBLIC as "PUBLIC". */
      grantees: string[];
      text: string;
    } & Guard)
  | ({ kind: 'row-security'; relation: RelationName; action: 'enable' | 'disable' | 'force' | 'no-force'; text: string } & Guard)
  | PolicyStatement
  | { kind: 'rename'; from: RelationName; to: string; text: string }
  | { kind: 'drop'; relations: RelationName[]; text: string }
  | { kind: 'create'; relation: RelationName; relationType: 'table' | 'view' | 'sequence'; replaces: boolean; text: string }
  | { kind: 'note'; reason: string; text: string };

/**
 * CREATE, DROP and ALTER POLICY. `definition` is what follows `ON table` in a CREATE (AS, FOR,
 * TO, USING, WITH CHECK), so the policy can be made again on the table's later name.
 */
export type PolicyStatement = { kind: 'policy'; relation: RelationName; name: string; text: string } & Guard &
  (
    | { action: 'create'; definition: string }
    | { action: 'drop' }
    | { action: 'rename'; to: string }
    /** Any other ALTER POLICY: it changes the definition, which is then no longer the CREATE's. */
    | { action: 'alter' }
  );

/** One revision's part of the offline SQL: everything after its `-- Running upgrade A -> B` marker. */
export interface RevisionSql {
  from: string[];
  to: string;
  sql: string;
}

const MARKER = /^-- Running upgrade (.*?) -> ([^\s,]+)(?:,.*)?$/;

/** Splits offline SQL at Alembic's `-- Running upgrade` markers; what precedes the first (alembic_version's table) is dropped. */
export function splitByRevision(sql: string): RevisionSql[] {
  const out: RevisionSql[] = [];
  let current: RevisionSql | null = null;
  const lines: string[] = [];
  const close = () => {
    if (current) out.push({ ...current, sql: lines.join('\n') });
    lines.length = 0;
  };
  for (const line of sql.split(/\r?\n/)) {
    const match = line.startsWith('-- Running upgrade') ? MARKER.exec(line.trim()) : null;
    if (match) {
      close();
      current = {
        from: match[1]
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        to: match[2],
        sql: '',
      };
      continue;
    }
    if (current) lines.push(line);
  }
  close();
  return out;
}

/** A dollar-quote tag ($$ or $name$), matched where the scan stands (sticky). */
const DOLLAR_TAG = /\$([A-Za-z_]\w*)?\$/y;

/**
 * Splits SQL text into statements at top-level semicolons: not inside quotes, quoted
 * identifiers, dollar-quoted bodies or comments. Empty statements (`;;`) vanish;
 * comments are removed.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  // The current statement is `pieces` plus sql[start, i): slices, not characters, for speed.
  let pieces = '';
  let start = 0;
  let i = 0;
  const finish = (end: number) => {
    const text = (pieces + sql.slice(start, end)).trim();
    if (text) out.push(text);
    pieces = '';
  };
  while (i < sql.length) {
    const ch = sql.charCodeAt(i);
    const next = sql.charCodeAt(i + 1);
    if (ch === 45 /* - */ && next === 45) {
      pieces += `${sql.slice(start, i)} `;
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
      start = i;
      continue;
    }
    if (ch === 47 /* / */ && next === 42 /* * */) {
      pieces += `${sql.slice(start, i)} `;
      // PostgreSQL block comments nest.
      let depth = 1;
      let j = i + 2;
      while (j < sql.length && depth > 0) {
        if (sql.charCodeAt(j) === 47 && sql.charCodeAt(j + 1) === 42) {
          depth++;
          j += 2;
        } else if (sql.charCodeAt(j) === 42 && sql.charCodeAt(j + 1) === 47) {
          depth--;
          j += 2;
        } else j++;
      }
      i = j;
      start = i;
      continue;
    }
    if (ch === 39 /* ' */ || ch === 34 /* " */) {
      let j = i + 1;
      while (j < sql.length) {
        if (sql.charCodeAt(j) === ch) {
          if (sql.charCodeAt(j + 1) === ch) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      i = j + 1;
      continue;
    }
    if (ch === 36 /* $ */) {
      // A $n parameter or a $ inside an identifier is no dollar quote.
      const prev = i > 0 ? sql[i - 1] : ' ';
      DOLLAR_TAG.lastIndex = i;
      const tag = /[\w$]/.test(prev) ? null : DOLLAR_TAG.exec(sql);
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? sql.length : end + tag[0].length;
        continue;
      }
    }
    if (ch === 59 /* ; */) {
      finish(i);
      i++;
      start = i;
      continue;
    }
    i++;
  }
  finish(sql.length);
  return out;
}

/** The statements of one revision's SQL that VERIFY cares about, in order (others are left out). */
export function readMigrationSql(sql: string): MigrationStatement[] {
  const out: MigrationStatement[] = [];
  for (const statement of splitStatements(sql)) out.push(...readStatement(statement, null, null));
  return out;
}

const RELEVANT = /^(DO|GRANT|REVOKE|ALTER|DROP|CREATE|EXECUTE)\b/i;

function readStatement(text: string, conditions: RoleCondition[] | null, unknownCondition: string | null): MigrationStatement[] {
  // Most statements (INSERT, UPDATE, COMMENT, CREATE INDEX …) say nothing VERIFY needs: decided on the first word.
  if (!RELEVANT.test(text)) return [];
  const flat = text.replace(/\s+/g, ' ').trim();
  const head = flat.slice(0, 40).toUpperCase();
  if (/^DO\b/.test(head)) return readDoBlock(flat, text);
  if (head.startsWith('GRANT ') || head.startsWith('REVOKE ')) {
    const read = readPrivilegeStatement(flat, conditions, unknownCondition);
    return read ? [read] : [];
  }
  if (/^ALTER DEFAULT PRIVILEGES\b/.test(head)) return [{ kind: 'note', reason: 'default privileges (for tables created later) are not checked', text: flat }];
  if (/^(CREATE|DROP|ALTER) POLICY\b/.test(head)) return readPolicy(flat, text.trim(), { conditions, unknownCondition });
  if (head.startsWith('ALTER ')) return readAlter(flat, { conditions, unknownCondition });
  if (head.startsWith('DROP ')) {
    const match = /^DROP\s+(TABLE|VIEW|MATERIALIZED\s+VIEW|SEQUENCE|FOREIGN\s+TABLE)\s+(?:IF\s+EXISTS\s+)?(.+?)(?:\s+(?:CASCADE|RESTRICT))?$/i.exec(flat);
    if (!match) return [];
    return [{ kind: 'drop', relations: splitNames(match[2]).map(relationName), text: flat }];
  }
  if (head.startsWith('CREATE ')) {
    const table =
      /^CREATE\s+(?:(?:GLOBAL|LOCAL)\s+)?(?:UNLOGGED\s+|TEMP\s+|TEMPORARY\s+)?TABLE\s+(IF\s+NOT\s+EXISTS\s+)?((?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+))?)/i.exec(
        flat,
      );
    if (table) return [{ kind: 'create', relation: relationName(table[2]), relationType: 'table', replaces: !table[1], text: flat }];
    const view =
      /^CREATE\s+(OR\s+REPLACE\s+)?(?:TEMP\s+|TEMPORARY\s+)?(?:RECURSIVE\s+)?(?:MATERIALIZED\s+)?VIEW\s+(IF\s+NOT\s+EXISTS\s+)?((?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+))?)/i.exec(
        flat,
      );
    if (view) return [{ kind: 'create', relation: relationName(view[3]), relationType: 'view', replaces: !view[1] && !view[2], text: flat }];
    const sequence =
      /^CREATE\s+(?:TEMP\s+|TEMPORARY\s+|UNLOGGED\s+)?SEQUENCE\s+(IF\s+NOT\s+EXISTS\s+)?((?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+))?)/i.exec(flat);
    if (sequence) return [{ kind: 'create', relation: relationName(sequence[2]), relationType: 'sequence', replaces: !sequence[1], text: flat }];
  }
  if (/^EXECUTE\b/.test(head) && MATTERS.test(flat)) return [{ kind: 'note', reason: 'dynamic SQL (EXECUTE) in a DO block', text: flat }];
  return [];
}

const OBJECT_KINDS = /^(TABLE|SEQUENCE|ALL\s+TABLES\s+IN\s+SCHEMA|ALL\s+SEQUENCES\s+IN\s+SCHEMA)\s+(.+)$/i;
const NOT_RELATIONS =
  /^(DATABASE|SCHEMA|FUNCTION|PROCEDURE|ROUTINE|LANGUAGE|LARGE\s+OBJECT|TABLESPACE|TYPE|DOMAIN|FOREIGN\s+DATA\s+WRAPPER|FOREIGN\s+SERVER|PARAMETER|ALL\s+(FUNCTIONS|PROCEDURES|ROUTINES))\b/i;

function readPrivilegeStatement(flat: string, conditions: RoleCondition[] | null, unknownCondition: string | null): MigrationStatement | null {
  const grant = /^GRANT\s+(.+?)\s+ON\s+(.+?)\s+TO\s+(.+?)(?:\s+WITH\s+GRANT\s+OPTION)?(?:\s+GRANTED\s+BY\s+\S+)?$/i.exec(flat);
  const revoke = grant
    ? null
    : /^REVOKE\s+(GRANT\s+OPTION\s+FOR\s+)?(.+?)\s+ON\s+(.+?)\s+FROM\s+(.+?)(?:\s+GRANTED\s+BY\s+\S+)?(?:\s+(?:CASCADE|RESTRICT))?$/i.exec(flat);
  if (revoke?.[1]) return null; // only the grant option goes: the privilege stays
  const privilegeText = grant ? grant[1] : revoke?.[2];
  const objectText = grant ? grant[2] : revoke?.[3];
  const granteeText = grant ? grant[3] : revoke?.[4];
  if (!privilegeText || !objectText || !granteeText) return null; // GRANT role TO role: membership, not a privilege
  if (NOT_RELATIONS.test(objectText)) return null;
  if (/\(/.test(privilegeText)) return { kind: 'note', reason: 'column privileges are not checked', text: flat };
  const privileges = privilegeText
    .split(',')
    .map((p) =>
      p
        .trim()
        .toUpperCase()
        .replace(/\s+PRIVILEGES$/, ''),
    )
    .filter(Boolean);
  const kind = OBJECT_KINDS.exec(objectText);
  let objects: PrivilegeObjects;
  if (kind && /^ALL\s/i.test(kind[1])) {
    objects = { kind: 'all-in-schema', objectType: /SEQUENCES/i.test(kind[1]) ? 'sequence' : 'table', schema: identifier(kind[2].trim()) };
  } else {
    const objectType = kind && /^SEQUENCE$/i.test(kind[1]) ? 'sequence' : 'table';
    objects = { kind: 'relations', objectType, relations: splitNames(kind ? kind[2] : objectText).map(relationName) };
  }
  const grantees = splitNames(granteeText).map((g) => {
    const role = g.replace(/^GROUP\s+/i, '');
    return /^PUBLIC$/i.test(role) ? 'PUBLIC' : identifier(role);
  });
  return { kind: grant ? 'grant' : 'revoke', privileges, objects, grantees, conditions, unknownCondition, text: flat };
}

function readAlter(flat: string, guard: Guard): MigrationStatement[] {
  const match =
    /^ALTER\s+(TABLE|VIEW|MATERIALIZED\s+VIEW|SEQUENCE|FOREIGN\s+TABLE)\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?((?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+))?)\s*\*?\s+(.+)$/i.exec(
      flat,
    );
  if (!match) return [];
  const relation = relationName(match[2]);
  const rest = match[3];
  const rename = /^RENAME\s+TO\s+("[^"]+"|[\w$]+)$/i.exec(rest);
  if (rename) return [{ kind: 'rename', from: relation, to: identifier(rename[1]), text: flat }];
  const out: MigrationStatement[] = [];
  // ALTER TABLE takes several comma-separated actions.
  for (const action of splitNames(rest)) {
    const rls = /^(ENABLE|DISABLE|FORCE|NO\s+FORCE)\s+ROW\s+LEVEL\s+SECURITY$/i.exec(action.trim());
    if (!rls) continue;
    const word = rls[1].toUpperCase().replace(/\s+/, ' ');
    const kind = word === 'ENABLE' ? 'enable' : word === 'DISABLE' ? 'disable' : word === 'FORCE' ? 'force' : 'no-force';
    out.push({ kind: 'row-security', relation, action: kind, text: flat, ...guard });
  }
  return out;
}

const NAME = String.raw`("[^"]+"|[\w$]+)`;
const RELATION = String.raw`((?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+))?)`;
const CREATE_POLICY = new RegExp(String.raw`^CREATE\s+POLICY\s+${NAME}\s+ON\s+${RELATION}\s*(.*)$`, 'is');
const DROP_POLICY = new RegExp(String.raw`^DROP\s+POLICY\s+(?:IF\s+EXISTS\s+)?${NAME}\s+ON\s+${RELATION}(?:\s+(?:CASCADE|RESTRICT))?$`, 'i');
const ALTER_POLICY = new RegExp(String.raw`^ALTER\s+POLICY\s+${NAME}\s+ON\s+${RELATION}\s+(.+)$`, 'i');

/** `original` is the statement as written: a policy's definition is kept from it, since spaces inside its string literals matter. */
function readPolicy(flat: string, original: string, guard: Guard): MigrationStatement[] {
  const create = CREATE_POLICY.exec(original);
  if (create) {
    const definition = create[3].trim();
    return [{ kind: 'policy', action: 'create', name: identifier(create[1]), relation: relationName(create[2]), definition, text: flat, ...guard }];
  }
  const drop = DROP_POLICY.exec(flat);
  if (drop) return [{ kind: 'policy', action: 'drop', name: identifier(drop[1]), relation: relationName(drop[2]), text: flat, ...guard }];
  const alter = ALTER_POLICY.exec(flat);
  if (alter) {
    const base = { kind: 'policy', name: identifier(alter[1]), relation: relationName(alter[2]), text: flat, ...guard } as const;
    const rename = /^RENAME\s+TO\s+("[^"]+"|[\w$]+)$/i.exec(alter[3]);
    return [rename ? { ...base, action: 'rename', to: identifier(rename[1]) } : { ...base, action: 'alter' }];
  }
  return [{ kind: 'note', reason: 'a policy statement the reader does not follow', text: flat }];
}

/**
 * A `DO $$ … $$` block: its statements are read as if at top level, under the role
 * conditions of their enclosing `IF … THEN` (the one condition evaluated offline); any
 * other condition is kept as unknown (see Guard). Exception handlers are not followed.
 */
function readDoBlock(flat: string, original: string): MigrationStatement[] {
  const body = /\$([A-Za-z_]\w*)?\$([\s\S]*)\$\1\$/.exec(original);
  if (!body) return [{ kind: 'note', reason: 'a DO block without a dollar-quoted body', text: flat }];
  const out: MigrationStatement[] = [];
  // Each open IF: its own condition (null when unknown), and whether we are in its ELSE.
  const stack: { condition: RoleCondition | null; text: string; negated: boolean }[] = [];
  for (const raw of splitStatements(body[2])) {
    let rest = raw.replace(/\s+/g, ' ').trim();
    let stop = false;
    for (;;) {
      const m = /^(DECLARE\b.*?\bBEGIN\b|BEGIN\b|END\s+IF\b|END\s+LOOP\b|END\b|ELSE\b|ELSIF\s+(.+?)\s+THEN\b|IF\s+(.+?)\s+THEN\b|EXCEPTION\b)\s*/i.exec(rest);
      if (!m) break;
      const word = m[1].toUpperCase();
      if (word.startsWith('EXCEPTION')) {
        stop = true;
        break;
      }
      if (word.startsWith('END IF')) stack.pop();
      else if (word.startsWith('ELSIF')) {
        const top = stack.pop();
        stack.push({ condition: null, text: `${top?.text ?? ''} / ${m[2]}`, negated: false });
      } else if (word.startsWith('ELSE')) {
        const top = stack.at(-1);
        if (top) top.negated = true;
      } else if (word.startsWith('IF ')) {
        stack.push({ condition: roleCondition(m[3]), text: m[3], negated: false });
      } else if (word.startsWith('END') && !word.startsWith('END LOOP') && stack.length === 0) {
        stop = true;
        break;
      }
      rest = rest.slice(m[0].length);
    }
    if (stop) break;
    if (!rest) continue;
    // `IF NOT EXISTS (… pg_policies … policyname = 'p' …) THEN CREATE POLICY p …`: the policy exists after it either way.
    const frames = stack.filter((s) => !(s.negated === false && createsGuardedPolicy(rest, s.text)));
    const unknown = frames.find((s) => s.condition === null);
    const conditions = frames.length
      ? frames.map((s) => ({ role: s.condition?.role ?? '', exists: s.negated ? !s.condition?.exists : Boolean(s.condition?.exists) }))
      : null;
    const read = readStatement(asWritten(raw, rest), unknown ? null : conditions, unknown ? unknown.text : null);
    // A loop, a CASE, a PERFORM …: what it does to privileges or row-level security is not read, only said.
    if (read.length === 0 && MATTERS.test(rest)) out.push({ kind: 'note', reason: 'a DO block statement the reader does not follow', text: rest });
    out.push(...read);
  }
  return out;
}

/**
 * The end of `raw` that `flatTail` (the end of `raw` with its whitespace collapsed) stands for:
 * flattening keeps every other character, so both hold the same number of them.
 */
function asWritten(raw: string, flatTail: string): string {
  let wanted = flatTail.replace(/\s/g, '').length;
  let at = raw.length;
  while (at > 0 && wanted > 0) {
    at--;
    if (!/\s/.test(raw[at])) wanted--;
  }
  return raw.slice(at).trim();
}

const POLICY_ABSENT = /^NOT\s+EXISTS\s*\(\s*SELECT\s+.+?\s+FROM\s+(?:pg_catalog\s*\.\s*)?pg_policies\s+WHERE\s+(.+)\)$/i;

/**
 * Whether `statement` creates the very policy that `condition` checks is absent (by its name, and
 * by its table when the condition names one): such an IF only makes the CREATE idempotent.
 */
function createsGuardedPolicy(statement: string, condition: string): boolean {
  const where = POLICY_ABSENT.exec(
    condition
      .trim()
      .replace(/^\((.*)\)$/, '$1')
      .trim(),
  )?.[1];
  const create = where ? CREATE_POLICY.exec(statement) : null;
  if (!where || !create) return false;
  const named = (column: string) => new RegExp(String.raw`\b${column}\s*=\s*'((?:[^']|'')+)'`, 'i').exec(where)?.[1].replace(/''/g, "'") ?? null;
  const table = named('tablename');
  return named('policyname') === identifier(create[1]) && (table === null || table === relationName(create[2]).name);
}

/** Words of statements that change what VERIFY checks. */
const MATTERS = /\b(GRANT|REVOKE|ROW\s+LEVEL\s+SECURITY|POLICY|RENAME\s+TO|DROP\s+(TABLE|VIEW|MATERIALIZED|SEQUENCE))\b/i;

const ROLE_EXISTS =
  /^(NOT\s+)?EXISTS\s*\(\s*SELECT\s+.+?\s+FROM\s+(?:pg_catalog\s*\.\s*)?pg_(?:roles|authid|user)\s+WHERE\s+(?:rolname|usename)\s*=\s*'((?:[^']|'')+)'\s*\)$/i;

/** Evaluates nothing: recognises `[NOT] EXISTS (SELECT … FROM pg_roles WHERE rolname = '…')`, else null. */
export function roleCondition(text: string): RoleCondition | null {
  const trimmed = text
    .trim()
    .replace(/^\((.*)\)$/, '$1')
    .trim();
  const match = ROLE_EXISTS.exec(trimmed);
  return match ? { role: match[2].replace(/''/g, "'"), exists: !match[1] } : null;
}

/** Splits a comma-separated list at top level (not inside quotes or parentheses). */
function splitNames(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    if (!quoted && ch === ')') depth--;
    if (!quoted && depth === 0 && ch === ',') {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** An identifier as PostgreSQL stores it: quoted ones as written, unquoted ones lower-cased. */
export function identifier(text: string): string {
  const t = text.trim();
  return t.startsWith('"') && t.endsWith('"') && t.length >= 2 ? t.slice(1, -1).replace(/""/g, '"') : t.toLowerCase();
}

/** A relation as messages name it: without the schema when it is `public`. */
export function displayName(schema: string, relation: string): string {
  return schema === 'public' ? relation : `${schema}.${relation}`;
}

/** `name`, `public.name`, `"Schema"."Name"`: split at the dot outside quotes. */
export function relationName(text: string): RelationName {
  const parts: string[] = [];
  let quoted = false;
  let current = '';
  for (const ch of text.trim()) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === '.') {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  const names = parts.map(identifier);
  return names.length >= 2 ? { schema: names[names.length - 2], name: names[names.length - 1] } : { schema: 'public', name: names[0] };
}

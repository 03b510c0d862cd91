/**
 * Which tables a revision's upgrade creates, needs and drops, read statically from
 * `op.*` calls, SQLAlchemy ForeignKey declarations and the SQL text of its strings.
 * It is a heuristic, and errs on the side of silence: a name it cannot pin down is left
 * out, and downgrade functions and docstrings are not read (a downgrade typically
 * re-creates what the upgrade dropped, which would read as "creates").
 */
import type { TableReference } from '../../../shared/graph/model';
import { stringValue, type Statement, type Token, type TokenizedSource } from './python-tokens';

export interface TableScan {
  creates: string[];
  references: TableReference[];
  drops: string[];
}

/** `op.<name>(…)` calls whose argument at `index` (or keyword `table_name`) is a table the call needs. */
const TABLE_ARGUMENT: Record<string, number> = {
  add_column: 0,
  alter_column: 0,
  drop_column: 0,
  batch_alter_table: 0,
  create_table_comment: 0,
  drop_table_comment: 0,
  bulk_insert: -1,
  create_index: 1,
  drop_index: 1,
  create_unique_constraint: 1,
  create_check_constraint: 1,
  create_primary_key: 1,
  create_exclude_constraint: 1,
  drop_constraint: 1,
};

const OP_CALLS = new Set(['create_table', 'drop_table', 'rename_table', 'create_foreign_key', ...Object.keys(TABLE_ARGUMENT)]);

export function scanTables(parsed: TokenizedSource): TableScan {
  const out = new Collector();
  let inDowngrade = false;
  for (const st of parsed.statements) {
    if (st.indent === 0) inDowngrade = isDowngradeDef(st);
    if (inDowngrade) continue;
    // Docstrings and other bare string statements are prose, not SQL.
    if (st.tokens.every((t) => t.kind === 'string')) continue;
    scanCalls(parsed, st.tokens, out);
    for (const t of st.tokens) if (t.kind === 'string') scanSql(parsed, t, out);
  }
  return out.result();
}

function isDowngradeDef(st: Statement): boolean {
  const [a, b, c] = st.tokens;
  if (a?.text === 'def') return b?.kind === 'name' && b.text.startsWith('downgrade');
  if (a?.text === 'async' && b?.text === 'def') return c?.kind === 'name' && c.text.startsWith('downgrade');
  return false;
}

class Collector {
  private creates: string[] = [];
  private drops: string[] = [];
  private refs: TableReference[] = [];
  private seen = new Set<string>();

  create(table: string | null): void {
    if (table && !this.creates.includes(table)) this.creates.push(table);
  }
  drop(table: string | null): void {
    if (table && !this.drops.includes(table)) this.drops.push(table);
  }
  ref(table: string | null, line: number, kind: TableReference['kind']): void {
    if (!table) return;
    const key = `${kind}\u0000${line}\u0000${table}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.refs.push({ table, line, kind });
  }
  result(): TableScan {
    return { creates: this.creates, references: this.refs, drops: this.drops };
  }
}

// ---- op.* and SQLAlchemy calls -------------------------------------------------

interface Arg {
  keyword: string | null;
  tokens: Token[];
}

function scanCalls(parsed: TokenizedSource, tokens: Token[], out: Collector): void {
  for (let i = 0; i + 1 < tokens.length; i += 1) {
    const t = tokens[i];
    if (t.kind !== 'name' || tokens[i + 1].text !== '(') continue;
    const receiver = i >= 2 && tokens[i - 1].text === '.' && tokens[i - 2].kind === 'name' ? tokens[i - 2].text : null;
    const interesting = t.text === 'ForeignKey' || t.text === 'ForeignKeyConstraint' || (receiver === 'op' && OP_CALLS.has(t.text));
    if (!interesting) continue;
    const args = callArguments(tokens, i + 1);
    const str = (a: Arg | undefined) => (a ? staticString(parsed, a.tokens) : null);
    const positional = (k: number) => args.filter((a) => a.keyword === null)[k];
    const keyword = (name: string) => args.find((a) => a.keyword === name);

    if (t.text === 'ForeignKey') {
      const target = str(positional(0) ?? keyword('column'));
      if (target) out.ref(columnTable(target.value), target.line, 'foreign-key');
      continue;
    }
    if (t.text === 'ForeignKeyConstraint') {
      const list = positional(1) ?? keyword('refcolumns');
      for (const s of list ? stringsIn(parsed, list.tokens) : []) out.ref(columnTable(s.value), s.line, 'foreign-key');
      continue;
    }
    if (receiver !== 'op') continue;
    if (t.text === 'create_table') {
      const name = str(positional(0) ?? keyword('table_name'));
      if (name) out.create(plainTable(name.value));
    } else if (t.text === 'drop_table') {
      const name = str(positional(0) ?? keyword('table_name'));
      if (name) {
        out.drop(plainTable(name.value));
        out.ref(plainTable(name.value), name.line, 'sql');
      }
    } else if (t.text === 'rename_table') {
      const from = str(positional(0) ?? keyword('old_table_name'));
      const to = str(positional(1) ?? keyword('new_table_name'));
      if (from) {
        out.ref(plainTable(from.value), from.line, 'sql');
        out.drop(plainTable(from.value));
      }
      if (to) out.create(plainTable(to.value));
    } else if (t.text === 'create_foreign_key') {
      const source = str(positional(1) ?? keyword('source_table'));
      const referent = str(positional(2) ?? keyword('referent_table'));
      if (source) out.ref(plainTable(source.value), source.line, 'sql');
      if (referent) out.ref(plainTable(referent.value), referent.line, 'foreign-key');
    } else if (Object.prototype.hasOwnProperty.call(TABLE_ARGUMENT, t.text) && TABLE_ARGUMENT[t.text] >= 0) {
      const name = str(keyword('table_name') ?? positional(TABLE_ARGUMENT[t.text]));
      if (name) out.ref(plainTable(name.value), name.line, 'sql');
    }
  }
}

/** Arguments of the call whose `(` is at `open`, split at top-level commas. */
function callArguments(tokens: Token[], open: number): Arg[] {
  const inner = tokens[open].depth + 1;
  const args: Arg[] = [];
  let current: Token[] = [];
  const flush = () => {
    if (current.length === 0) return;
    const named = current.length >= 2 && current[0].kind === 'name' && current[1].text === '=' && current[1].depth === inner;
    args.push({ keyword: named ? current[0].text : null, tokens: named ? current.slice(2) : current });
    current = [];
  };
  for (let j = open + 1; j < tokens.length; j += 1) {
    const t = tokens[j];
    if (t.depth === inner && (t.text === ')' || t.text === ']' || t.text === '}')) break;
    if (t.depth === inner && t.text === ',') flush();
    else current.push(t);
  }
  flush();
  return args;
}

/** The value of an argument made only of string literals (implicit concatenation allowed). */
function staticString(parsed: TokenizedSource, tokens: Token[]): { value: string; line: number } | null {
  if (tokens.length === 0 || !tokens.every((t) => t.kind === 'string')) return null;
  const parts = tokens.map((t) => stringValue(parsed.source, t));
  if (parts.some((p) => p === null)) return null;
  return { value: parts.join(''), line: tokens[0].line };
}

function stringsIn(parsed: TokenizedSource, tokens: Token[]): { value: string; line: number }[] {
  return tokens
    .filter((t) => t.kind === 'string')
    .map((t) => ({ value: stringValue(parsed.source, t), line: t.line }))
    .filter((s): s is { value: string; line: number } => s.value !== null);
}

/** 'tenants.id' → 'tenants'; 'public.tenants.id' → 'tenants'; a bare column → null. */
function columnTable(spec: string): string | null {
  const parts = spec.split('.');
  return parts.length >= 2 ? parts[parts.length - 2] || null : null;
}

/** SQLAlchemy table names are used as given; a schema prefix is dropped. */
function plainTable(name: string): string | null {
  const last = name.split('.').pop() ?? '';
  return /^[\p{L}_][\p{L}\p{N}_$]*$/u.test(last) ? last : null;
}

// ---- SQL text --------------------------------------------------------------------

const ID = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const QID = String.raw`${ID}(?:\s*\.\s*${ID}){0,2}`;
const QID_LIST = String.raw`${QID}(?:\s*,\s*${QID})*`;

/** Words a pattern may catch in place of a table when the SQL (or prose) is unusual. */
const NOT_TABLES = new Set(
  'select from where only lateral table on to set values default as if not exists and or for with into using the a an all schema sequence function database type unnest'.split(
    ' ',
  ),
);

interface SqlPattern {
  re: RegExp;
  /** What each capture group names: created, dropped, or needed ('sql' / 'foreign-key'). */
  groups: { index: number; role: 'create' | 'drop' | 'sql' | 'foreign-key' }[];
  /** Group that captures "IF EXISTS": when present the statement tolerates a missing table. */
  ifExistsGroup?: number;
  /** Only scan strings that contain a SELECT (FROM/JOIN are common words). */
  needsSelect?: boolean;
}

const re = (source: string) => new RegExp(source, 'gid');
/** Every keyword that starts one of SQL_PATTERNS (plus SELECT for the needsSelect ones). */
const SQL_KEYWORD = /\b(?:CREATE|ALTER|REFERENCES|GRANT|REVOKE|INSERT|UPDATE|DELETE|TRUNCATE|COMMENT|DROP|SELECT)\b/i;
const SQL_PATTERNS: SqlPattern[] = [
  {
    re: re(
      String.raw`\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:GLOBAL|LOCAL)\s+)?(?:(?:TEMP|TEMPORARY|UNLOGGED)\s+)?(?:MATERIALIZED\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?(${QID})`,
    ),
    groups: [{ index: 1, role: 'create' }],
  },
  {
    re: re(String.raw`\bALTER\s+TABLE\s+(IF\s+EXISTS\s+)?(?:ONLY\s+)?(${QID})\s+RENAME\s+TO\s+(${ID})`),
    groups: [
      { index: 2, role: 'sql' },
      { index: 2, role: 'drop' },
      { index: 3, role: 'create' },
    ],
    ifExistsGroup: 1,
  },
  {
    re: re(String.raw`\bALTER\s+(?:MATERIALIZED\s+VIEW|TABLE|VIEW)\s+(IF\s+EXISTS\s+)?(?:ONLY\s+)?(${QID})`),
    groups: [{ index: 2, role: 'sql' }],
    ifExistsGroup: 1,
  },
  { re: re(String.raw`\bREFERENCES\s+(${QID})`), groups: [{ index: 1, role: 'foreign-key' }] },
  { re: re(String.raw`\bGRANT\s+[^;]{0,2000}?\bON\s+(?:TABLE\s+)?(${QID_LIST})\s+TO\b`), groups: [{ index: 1, role: 'sql' }] },
  { re: re(String.raw`\bREVOKE\s+[^;]{0,2000}?\bON\s+(?:TABLE\s+)?(${QID_LIST})\s+FROM\b`), groups: [{ index: 1, role: 'sql' }] },
  { re: re(String.raw`\b(?:CREATE|ALTER|DROP)\s+POLICY\s+(?:IF\s+EXISTS\s+)?${ID}\s+ON\s+(${QID})`), groups: [{ index: 1, role: 'sql' }] },
  { re: re(String.raw`\bINSERT\s+INTO\s+(${QID})`), groups: [{ index: 1, role: 'sql' }] },
  {
    re: re(String.raw`\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:${ID}\s+)?ON\s+(?:ONLY\s+)?(${QID})`),
    groups: [{ index: 1, role: 'sql' }],
  },
  { re: re(String.raw`\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?TRIGGER\s+${ID}\s+[^;]{0,2000}?\bON\s+(${QID})`), groups: [{ index: 1, role: 'sql' }] },
  { re: re(String.raw`\bUPDATE\s+(?:ONLY\s+)?(${QID})\s+SET\b`), groups: [{ index: 1, role: 'sql' }] },
  { re: re(String.raw`\bDELETE\s+FROM\s+(?:ONLY\s+)?(${QID})`), groups: [{ index: 1, role: 'sql' }] },
  { re: re(String.raw`\bTRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?(${QID})`), groups: [{ index: 1, role: 'sql' }] },
  { re: re(String.raw`\bCOMMENT\s+ON\s+TABLE\s+(${QID})`), groups: [{ index: 1, role: 'sql' }] },
  {
    re: re(String.raw`\bDROP\s+(?:MATERIALIZED\s+)?(?:TABLE|VIEW)\s+(IF\s+EXISTS\s+)?(${QID_LIST})`),
    groups: [
      { index: 2, role: 'drop' },
      { index: 2, role: 'sql' },
    ],
    ifExistsGroup: 1,
  },
  {
    // FROM inside EXTRACT(... FROM col), trim(BOTH ... FROM col) and IS DISTINCT FROM names a column, not a table.
    re: re(
      String.raw`(?<!\b(?:EPOCH|YEAR|MONTH|DAY|HOUR|MINUTE|SECOND|MILLISECONDS|MICROSECONDS|DOW|DOY|ISODOW|ISOYEAR|WEEK|QUARTER|DECADE|CENTURY|MILLENNIUM|JULIAN|TIMEZONE|TIMEZONE_HOUR|TIMEZONE_MINUTE|BOTH|LEADING|TRAILING|DISTINCT)\s+)\b(?:FROM|JOIN)\s+(?:ONLY\s+)?(${QID})(?![\w$])(?!\s*[(.])`,
    ),
    groups: [{ index: 1, role: 'sql' }],
    needsSelect: true,
  },
];

function scanSql(parsed: TokenizedSource, token: Token, out: Collector): void {
  if (token.bodyStart === undefined || token.bodyEnd === undefined) return;
  const base = token.bodyStart;
  const body = parsed.source.slice(base, token.bodyEnd);
  // Most string literals are column names and messages: one cheap test spares them the
  // dozen statement patterns below (this loop dominated parsing a 300-revision project).
  if (!SQL_KEYWORD.test(body)) return;
  const hasSelect = /\bSELECT\b/i.test(body);
  for (const pattern of SQL_PATTERNS) {
    if (pattern.needsSelect && !hasSelect) continue;
    for (const m of body.matchAll(pattern.re)) {
      const tolerant = pattern.ifExistsGroup !== undefined && m[pattern.ifExistsGroup] !== undefined;
      for (const { index, role } of pattern.groups) {
        const text = m[index];
        const at = m.indices?.[index]?.[0];
        if (text === undefined || at === undefined) continue;
        for (const item of splitList(text, at)) {
          const table = sqlTable(item.text);
          if (!table) continue;
          const line = parsed.lineOf(base + item.at);
          if (role === 'create') out.create(table);
          else if (role === 'drop') out.drop(table);
          else if (role === 'foreign-key') out.ref(table, line, 'foreign-key');
          else if (!tolerant) out.ref(table, line, 'sql');
        }
      }
    }
  }
}

/** Splits "a, public.b" into its names, with each one's offset. */
function splitList(text: string, at: number): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  const re = new RegExp(QID, 'g');
  for (const m of text.matchAll(re)) out.push({ text: m[0], at: at + (m.index ?? 0) });
  return out;
}

/** Last part of a possibly qualified SQL name: quoted names keep their case, others fold to lower case. */
function sqlTable(qualified: string): string | null {
  const parts = qualified.match(new RegExp(ID, 'g')) ?? [];
  const last = parts[parts.length - 1];
  if (!last) return null;
  if (last.startsWith('"')) return last.slice(1, -1).replace(/""/g, '"') || null;
  const folded = last.toLowerCase();
  return NOT_TABLES.has(folded) ? null : folded;
}

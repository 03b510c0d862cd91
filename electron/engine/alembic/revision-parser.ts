/**
 * Reads one Alembic revision file without running Python: the module-level
 * `revision`, `down_revision`, `branch_labels` and `depends_on` assignments (plain or
 * annotated, `None`, a string, a tuple or list, over several lines), the docstring's
 * message and `Create Date`, and the tables the upgrade creates and needs.
 *
 * Like Python, the last module-level assignment wins and assignments inside functions or
 * `if` blocks are ignored. Literals, as Alembic writes them, are read here; a value written
 * as an expression comes back as pending, with its tokens, for the project loader to work
 * out from the repository's modules (static-values) or to ask Alembic about.
 */
import { appError, err, ok, type Result } from '../../../shared/errors/app-error';
import type { RevisionInfo } from '../../../shared/graph/model';
import { stringValue, tokenizePython, type Statement, type Token, type TokenizedSource } from './python-tokens';
import { scanTables } from './table-scan';

export interface RevisionParseFailure {
  /** What is wrong, in the user's words. */
  message: string;
  /** 1-based line the problem is on (1 when the file has no `revision`). */
  line: number;
  /** The revision id, when it could be read although something else could not. */
  revisionId?: string;
  /** True when the file has no `revision =` at all. */
  missingRevision: boolean;
  /** True when the file looks like a migration anyway (down_revision, def upgrade, alembic's op). */
  looksLikeRevision: boolean;
}

/** Attributes written as expressions: the loader decides them (the revision's own values stand in meanwhile). */
export interface PendingAttributes {
  parsed: TokenizedSource;
  fields: PendingField[];
}

export interface PendingField {
  field: RevisionField;
  /** The right-hand side's tokens. */
  tokens: Token[];
  /** Line of the assignment. */
  line: number;
  /** Why it is not a plain literal. */
  problem: string;
}

/**
 * `pending` is set when some attribute is an expression: `revision.id` is '' when the id
 * itself is one, and the pending lists are empty until the loader fills them in.
 */
export type RevisionParseOutcome = { ok: true; revision: RevisionInfo; pending?: PendingAttributes } | { ok: false; failure: RevisionParseFailure };

const FIELDS = ['revision', 'down_revision', 'branch_labels', 'depends_on'] as const;
export type RevisionField = (typeof FIELDS)[number];
type Field = RevisionField;

type Literal = { kind: 'none' } | { kind: 'string'; value: string } | { kind: 'sequence'; items: string[] };

/** Parses a revision file; `file` is the path relative to the project root, used in messages. */
export function parseRevisionFile(text: string, file: string): Result<RevisionInfo> {
  const outcome = parseRevisionSource(text, file);
  if (outcome.ok && !outcome.pending) return ok(outcome.revision);
  const f: Pick<RevisionParseFailure, 'line' | 'message' | 'missingRevision'> = outcome.ok
    ? {
        line: outcome.pending?.fields[0].line ?? 1,
        message: `\`${outcome.pending?.fields[0].field}\` ${outcome.pending?.fields[0].problem}`,
        missingRevision: false,
      }
    : outcome.failure;
  return err(
    appError('revision-parse-error', `${file}, line ${f.line}: ${f.message}`, {
      detail: `${file}:${f.line}`,
      remediation: f.missingRevision
        ? "Add a module-level `revision = '<id>'` line, as `alembic revision` generates."
        : 'Write the value as a plain literal (a string, a tuple or list of strings, or None), as `alembic revision` generates.',
    }),
  );
}

/** Like parseRevisionFile, with the failure's line and kind kept apart for the project loader. */
export function parseRevisionSource(text: string, file: string): RevisionParseOutcome {
  try {
    return parse(typeof text === 'string' ? text : '', String(file));
  } catch (e) {
    // The tokenizer and parser are written not to throw; this is the last line of defence.
    return {
      ok: false,
      failure: {
        message: `the file could not be read (${e instanceof Error ? e.message : String(e)})`,
        line: 1,
        missingRevision: false,
        looksLikeRevision: true,
      },
    };
  }
}

function parse(text: string, file: string): RevisionParseOutcome {
  const parsed = tokenizePython(text);
  const assignments = new Map<Field, { statement: Statement; value: Token[] }>();
  for (const st of parsed.statements) {
    if (st.indent !== 0) continue;
    const found = assignment(st);
    if (found) assignments.set(found.field, { statement: st, value: found.value });
  }
  const looksLikeRevision =
    assignments.has('down_revision') || parsed.statements.some((s) => s.indent === 0 && s.tokens[0]?.text === 'def' && s.tokens[1]?.text === 'upgrade');

  const fail = (message: string, line: number, revisionId?: string, missingRevision = false): RevisionParseOutcome => ({
    ok: false,
    failure: { message, line, revisionId, missingRevision, looksLikeRevision },
  });

  const values = new Map<Field, Literal>();
  const pending: PendingField[] = [];
  for (const field of FIELDS) {
    const a = assignments.get(field);
    if (!a) continue;
    const value = literal(parsed, a.value);
    if ('problem' in value) {
      pending.push({ field, tokens: a.value, line: a.statement.line, problem: value.problem });
      continue;
    }
    values.set(field, value);
  }

  const revisionValue = values.get('revision');
  let id: string;
  let line: number;
  if (pending.some((p) => p.field === 'revision')) {
    id = '';
    line = assignments.get('revision')?.statement.line ?? 1;
  } else if (revisionValue === undefined) {
    // Alembic's legacy rule: a file named after a hex id needs no `revision` variable.
    const legacy = /^([a-f0-9]+)\.py$/.exec(file.split('/').pop() ?? '');
    if (!legacy) return fail('no module-level `revision = ...` assignment, so Alembic cannot tell which revision this is', 1, undefined, true);
    id = legacy[1];
    line = 1;
  } else if (revisionValue.kind !== 'string' || revisionValue.value === '') {
    return fail('`revision` must be a non-empty string', assignments.get('revision')?.statement.line ?? 1);
  } else {
    id = revisionValue.value;
    line = assignments.get('revision')?.statement.line ?? 1;
  }

  const list = (field: Field): string[] => {
    const v = values.get(field);
    if (!v || v.kind === 'none') return [];
    return v.kind === 'string' ? [v.value] : v.items;
  };
  const doc = docstring(parsed);
  const createDate = /^[ \t]*Create Date:[ \t]*(.*?)[ \t]*$/m.exec(doc)?.[1] || null;
  const tables = scanTables(parsed);

  return {
    ok: true,
    // Always present (undefined when nothing is pending): one object shape for every outcome.
    pending: pending.length > 0 ? { parsed, fields: pending } : undefined,
    revision: {
      id,
      downRevisions: list('down_revision'),
      dependsOn: list('depends_on'),
      branchLabels: list('branch_labels'),
      // Alembic's Script.doc: the stripped docstring up to the first blank line.
      message: doc.split('\n\n')[0],
      createDate,
      file,
      line,
      creates: tables.creates,
      references: tables.references,
      drops: tables.drops,
    },
  };
}

/** `field = value` or `field: annotation = value` at module level; null otherwise. */
function assignment(st: Statement): { field: Field; value: Token[] } | null {
  const [first, second] = st.tokens;
  if (!first || first.kind !== 'name' || !(FIELDS as readonly string[]).includes(first.text) || !second) return null;
  if (second.text === '=') return { field: first.text as Field, value: st.tokens.slice(2) };
  if (second.text !== ':') return null;
  const eq = st.tokens.findIndex((t, i) => i > 1 && t.text === '=' && t.depth === first.depth);
  // An annotation with no value (`revision: str`) assigns nothing, as in Python.
  return eq < 0 ? null : { field: first.text as Field, value: st.tokens.slice(eq + 1) };
}

/** The module docstring, stripped, or '' when the file does not start with a string. */
function docstring(parsed: TokenizedSource): string {
  const first = parsed.statements[0];
  if (!first || first.indent !== 0 || !first.tokens.every((t) => t.kind === 'string')) return '';
  const parts = first.tokens.map((t) => stringValue(parsed.source, t));
  if (parts.some((p) => p === null)) return '';
  return parts.join('').trim();
}

/** A literal as Alembic writes it: None, a string, or a tuple/list of strings. */
function literal(parsed: TokenizedSource, tokens: Token[]): Literal | { problem: string } {
  if (tokens.length === 0) return { problem: 'has no value' };
  const items = splitTop(tokens);
  if (items.length > 1 || endsWithComma(tokens)) {
    // A bare tuple: down_revision = 'a', 'b'
    return sequence(parsed, items);
  }
  return single(parsed, items[0] ?? []);
}

function single(parsed: TokenizedSource, tokens: Token[]): Literal | { problem: string } {
  const describe = () =>
    `is not a literal (found \`${tokens
      .map((t) => t.text)
      .join(' ')
      .slice(0, 60)}\`); it must be None, a string, or a tuple or list of strings`;
  if (tokens.length === 0) return { problem: 'has no value' };
  if (tokens.length === 1 && tokens[0].text === 'None') return { kind: 'none' };
  if (tokens.every((t) => t.kind === 'string')) {
    if (tokens.some((t) => !t.terminated)) return { problem: 'has a string with no closing quote' };
    const parts = tokens.map((t) => stringValue(parsed.source, t));
    if (parts.some((p) => p === null)) return { problem: 'is an f-string or bytes, which is not a static revision id' };
    return { kind: 'string', value: parts.join('') };
  }
  const open = tokens[0].text;
  const close = tokens[tokens.length - 1].text;
  if ((open === '(' && close === ')') || (open === '[' && close === ']')) {
    const inner = tokens.slice(1, -1);
    if (inner.some((t) => t.depth === tokens[0].depth && t !== tokens[0])) return { problem: describe() };
    const items = splitTop(inner);
    if (open === '(' && items.length === 1 && !endsWithComma(inner)) return single(parsed, items[0]);
    return sequence(parsed, items);
  }
  return { problem: describe() };
}

function sequence(parsed: TokenizedSource, items: Token[][]): Literal | { problem: string } {
  const out: string[] = [];
  for (const item of items) {
    const v = single(parsed, item);
    if ('problem' in v) return v;
    if (v.kind !== 'string') return { problem: 'must list only strings' };
    out.push(v.value);
  }
  return { kind: 'sequence', items: out };
}

/** Splits tokens at commas that are not inside brackets (relative to the first token). */
function splitTop(tokens: Token[]): Token[][] {
  if (tokens.length === 0) return [];
  const level = tokens[0].depth;
  const out: Token[][] = [];
  let current: Token[] = [];
  for (const t of tokens) {
    if (t.text === ',' && t.depth === level) {
      out.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length > 0) out.push(current);
  return out.filter((item) => item.length > 0);
}

function endsWithComma(tokens: Token[]): boolean {
  const last = tokens[tokens.length - 1];
  return last !== undefined && last.text === ',' && last.depth === tokens[0].depth;
}

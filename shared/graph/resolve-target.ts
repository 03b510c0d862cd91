/**
 * Resolves an `alembic upgrade` target the way Alembic does (RevisionMap.get_revisions,
 * _revision_for_ident, _parse_upgrade_target and _walk in alembic/script/revision.py):
 *
 * - `base` → nothing; `heads` → every real head; `head` → the single head, an error
 *   listing them when there are several.
 * - an exact revision id or branch label (a label stands for the revision that declares it);
 * - a prefix of an id or label: Alembic compares it with every id and label longer than
 *   three characters and needs exactly one match (it does not require the prefix itself
 *   to have four characters, but says so when a short one matches nothing);
 * - `label@head`, `label@heads`, `rev@head` (heads sharing lineage with the label or
 *   revision), `label@rev` (rev must be on that branch);
 * - relative targets: `+N` from the current rows, `label@+N`, `rev+N`, `rev-N`,
 *   `label@rev+N`; walking refuses to choose between two branches ("Ambiguous walk").
 */
import { appError, err, ok, type Result } from '../errors/app-error';
import { closestNames } from './closest-names';
import type { MigrationGraph } from './model';
import { ancestorsOf, normalizedDownRevisions, sharesLineage } from './relations';

export interface ResolvedTarget {
  /** What was asked for, trimmed. */
  input: string;
  /** The revision ids the target stands for; empty for `base`. */
  revisions: string[];
  kind: 'base' | 'head' | 'heads' | 'revision' | 'relative';
  /** The part before `@`, when there is one. */
  branchLabel: string | null;
}

/** Alembic's `_relative_destination`, anchored at the start only, like Python's re.match. */
const RELATIVE = /^(?:(.+?)@)?([\p{L}\p{N}_]+)?([+-]\d+)/u;

export function resolveTarget(graph: MigrationGraph, target: string, currentRows: string[] = []): Result<ResolvedTarget> {
  const input = typeof target === 'string' ? target.trim() : '';
  if (input === '') {
    return err(appError('target-unknown', 'No upgrade target was given.', { remediation: 'Name a revision, a branch label, `head` or `heads`.' }));
  }
  const match = RELATIVE.exec(input);
  if (!match) {
    const plain = resolvePlain(graph, input);
    return plain.ok ? ok({ input, ...plain.value }) : plain;
  }
  const branch = match[1] || null;
  const symbol = match[2] ?? null;
  const relative = Number.parseInt(match[3], 10);
  const walked = resolveRelative(graph, input, branch, symbol, relative, currentRows);
  if (!walked.ok) return walked;
  return ok({ input, revisions: walked.value, kind: 'relative', branchLabel: branch });
}

type Plain = Omit<ResolvedTarget, 'input'>;

function resolvePlain(graph: MigrationGraph, input: string): Result<Plain> {
  const at = input.indexOf('@');
  const branch = at >= 0 ? input.slice(0, at) || null : null;
  const id = at >= 0 ? input.slice(at + 1) : input;

  if (id === 'heads' || id === 'head') {
    let heads = id === 'heads' && !branch ? graph.realHeads : graph.heads;
    if (branch) {
      const b = resolveBranch(graph, branch, input);
      if (!b.ok) return b;
      heads = heads.filter((h) => sharesLineage(graph, h, b.value));
    }
    if (id === 'head' && heads.length > 1) {
      const what = branch ? `${branch}@head` : 'head';
      return err(
        appError('target-ambiguous', `Multiple head revisions are present for '${what}': ${heads.join(', ')}.`, {
          detail: `heads: ${heads.join(', ')}`,
          remediation: `Upgrade to one of them, to '<branchname>@head' to narrow to a specific head, or to 'heads' for all heads.`,
        }),
      );
    }
    return ok({ revisions: [...heads], kind: id, branchLabel: branch });
  }
  if (id === 'base' || id === '') return ok({ revisions: [], kind: 'base', branchLabel: branch });
  const rev = revisionForIdent(graph, id, branch, input);
  return rev.ok ? ok({ revisions: [rev.value], kind: 'revision', branchLabel: branch }) : rev;
}

function exact(graph: MigrationGraph, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(graph.revisions, name)
    ? name
    : Object.prototype.hasOwnProperty.call(graph.labels, name)
      ? graph.labels[name]
      : undefined;
}

function resolveBranch(graph: MigrationGraph, branch: string, input: string): Result<string> {
  const found = exact(graph, branch);
  if (found !== undefined) return ok(found);
  const partial = revisionForIdent(graph, branch, null, input);
  if (partial.ok) return partial;
  return err(unknown(graph, branch, `No such branch: '${branch}'.`));
}

function revisionForIdent(graph: MigrationGraph, ident: string, branch: string | null, input: string): Result<string> {
  let branchRev: string | undefined;
  if (branch) {
    const b = resolveBranch(graph, branch, input);
    if (!b.ok) return b;
    branchRev = b.value;
  }
  let rev = exact(graph, ident);
  if (rev === undefined) {
    let matches = [...graph.loadOrder, ...Object.keys(graph.labels)].filter((k) => k.length > 3 && k.startsWith(ident));
    if (branchRev !== undefined) {
      const within = branchRev;
      matches = matches.filter((k) => sharesLineage(graph, exact(graph, k) as string, within));
    }
    if (matches.length === 0) {
      const short = ident.length < 4 ? '; please ensure at least four characters are present for partial revision identifier matches' : '';
      return err(unknown(graph, ident, `No such revision or branch '${ident}'${short}.`));
    }
    if (matches.length > 1) {
      return err(
        appError(
          'target-ambiguous',
          `Multiple revisions start with '${ident}': ${matches
            .slice(0, 3)
            .map((m) => `'${m}'`)
            .join(', ')}${matches.length > 3 ? '…' : ''}.`,
          {
            detail: `candidates: ${matches.join(', ')}`,
            remediation: 'Type more characters of the revision id, or the full id.',
          },
        ),
      );
    }
    rev = exact(graph, matches[0]) as string;
  }
  if (branch && branchRev !== undefined && !sharesLineage(graph, rev, branchRev)) {
    return err(
      appError('target-unknown', `Revision ${rev} is not a member of branch '${branch}'.`, {
        remediation: `Use a revision on ${branch}, or drop the '${branch}@' prefix.`,
      }),
    );
  }
  return ok(rev);
}

function unknown(graph: MigrationGraph, name: string, message: string) {
  const near = closestNames(graph, name);
  return appError('target-unknown', message, {
    detail: near.length > 0 ? `closest: ${near.join(', ')}` : undefined,
    ...(near.length > 0
      ? { remediation: `Did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` }
      : { remediation: 'The migration graph lists every revision and branch label.', action: 'show-migration-graph' as const }),
  });
}

function resolveRelative(
  graph: MigrationGraph,
  input: string,
  branch: string | null,
  symbol: string | null,
  relative: number,
  currentRows: string[],
): Result<string[]> {
  const tooShort = () =>
    err<string[]>(
      appError('target-unknown', `Relative revision ${input} didn't produce ${Math.abs(relative)} migrations.`, {
        remediation: 'Use a smaller step, or an absolute revision.',
      }),
    );
  if (relative > 0 && symbol === null) {
    const rows = [...new Set(currentRows)];
    for (const r of rows) if (!graph.revisions[r]) return err(unknown(graph, r, `The database's current revision '${r}' is not in this project.`));
    let start: (string | null)[] = rows.length > 0 ? rows : [null];
    if (branch) {
      const b = resolveBranch(graph, branch, input);
      if (!b.ok) return b;
      start = rows.filter((r) => sharesLineage(graph, r, b.value));
      if (start.length === 0) {
        // Not on the branch yet: start from the newest applied revisions on it.
        const active = [...ancestorsOf(graph, rows, { includeDependencies: true })].filter((r) => sharesLineage(graph, r, b.value));
        const below = new Set(active.flatMap((r) => normalizedDownRevisions(graph, r)));
        start = active.filter((r) => !below.has(r));
        if (start.length === 0) start = [null];
      }
    }
    if (start.length > 1) {
      return err(
        appError('target-ambiguous', `Ambiguous upgrade from multiple current revisions (${start.join(', ')}).`, { remediation: 'Name the branch: label@+N.' }),
      );
    }
    const end = walk(graph, start[0], relative, branch);
    if (!end.ok) return end;
    if (end.value === null) return tooShort();
    return ok(end.value === 'base' ? [] : [end.value]);
  }
  if (symbol === null) return tooShort();
  const from = resolvePlain(graph, relative > 0 || !branch ? symbol : `${branch}@${symbol}`);
  if (!from.ok) return from;
  if (from.value.revisions.length > 1) {
    return err(appError('target-ambiguous', `'${symbol}' names several revisions (${from.value.revisions.join(', ')}), so ${input} is ambiguous.`));
  }
  const end = walk(graph, from.value.revisions[0] ?? null, relative, relative > 0 ? branch : null);
  if (!end.ok) return end;
  if (end.value === null) return tooShort();
  if (end.value === 'base') {
    // Alembic fails here too (an assertion): walking down to base names nothing to upgrade to.
    return err(
      appError('target-unknown', `${input} walks down to base, which is not an upgrade target.`, {
        remediation: 'Use `alembic downgrade` to go back, or name a revision.',
      }),
    );
  }
  return ok([end.value]);
}

/** Alembic's `_walk` with no_overwalk: null when the walk runs off the graph. */
function walk(graph: MigrationGraph, start: string | null, steps: number, branch: string | null): Result<string | null> {
  let here: string | null = start;
  // More steps than revisions always overwalks; the cap also bounds the loop on cyclic graphs.
  const count = Math.min(Math.abs(steps), graph.loadOrder.length + 2);
  let branchRev: string | undefined;
  if (branch && steps > 0) {
    const b = resolveBranch(graph, branch, branch);
    if (!b.ok) return b;
    branchRev = b.value;
  }
  for (let i = 0; i < count; i += 1) {
    let next: string[];
    if (steps > 0) {
      if (here === 'base') return ok(null);
      next = here === null ? graph.bases : (graph.children[here] ?? []);
      if (branchRev !== undefined) {
        const within = branchRev;
        next = next.filter((n) => sharesLineage(graph, n, within));
      }
    } else if (here === 'base') {
      next = [];
    } else {
      next = here === null ? graph.heads : (graph.revisions[here]?.downRevisions ?? []);
      if (next.length === 0) next = ['base'];
    }
    if (next.length === 0) return ok(null);
    if (next.length > 1) {
      return err(
        appError('target-ambiguous', `Ambiguous walk: from ${here ?? 'base'} the next step could be ${next.join(' or ')}.`, {
          remediation: 'Name the branch (label@+N) or an absolute revision.',
        }),
      );
    }
    here = next[0];
  }
  return ok(Math.abs(steps) > count ? null : here);
}

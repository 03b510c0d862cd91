/**
 * Lays a database's `alembic_version` rows over the graph: which revisions ran, which
 * are the current rows, which are still to run, and one sentence saying where the
 * database stands ("at 202512151200 on the celery_foundation branch only; core_schema
 * (baseline … 202511131121) not applied").
 *
 * "Applied" follows down_revision AND depends_on, as Alembic does when it works out what
 * is already in a database: every ancestor of a current row has run.
 */
import { branchName, branchSegments, describeSegment } from './branches';
import type { MigrationGraph } from './model';
import { ancestorsOf } from './relations';

export type RevisionState = 'current' | 'applied' | 'pending';

export interface GraphOverlay {
  /** Every revision of the graph: 'current' (a row), 'applied' (ran, below a row) or 'pending'. */
  states: Record<string, RevisionState>;
  /** Rows that name revisions of the graph, in graph order. */
  currentRows: string[];
  /** Rows naming revisions this project does not have (migrated from another checkout). */
  unknownRows: string[];
  /** Revisions that have run (current rows included), in graph order. */
  applied: string[];
  /** Revisions still to run, in graph order. */
  pending: string[];
  /** Heads the database has not reached. */
  unreachedHeads: string[];
  /** One sentence for the user. */
  summary: string;
}

export function overlayState(graph: MigrationGraph, rows: string[]): GraphOverlay {
  const distinct = [...new Set(rows.filter((r) => typeof r === 'string'))];
  const position = new Map(graph.order.map((id, i) => [id, i] as const));
  const currentRows = distinct.filter((r) => graph.revisions[r]).sort((a, b) => (position.get(a) as number) - (position.get(b) as number));
  const unknownRows = distinct.filter((r) => !graph.revisions[r]);
  const ran = ancestorsOf(graph, currentRows, { includeDependencies: true });

  const states: Record<string, RevisionState> = Object.create(null) as Record<string, RevisionState>;
  for (const id of graph.order) states[id] = currentRows.includes(id) ? 'current' : ran.has(id) ? 'applied' : 'pending';
  const applied = graph.order.filter((id) => states[id] !== 'pending');
  const pending = graph.order.filter((id) => states[id] === 'pending');
  const unreachedHeads = graph.heads.filter((h) => states[h] === 'pending');

  return {
    states,
    currentRows,
    unknownRows,
    applied,
    pending,
    unreachedHeads,
    summary: summarize(graph, currentRows, unknownRows, pending, unreachedHeads),
  };
}

function summarize(graph: MigrationGraph, rows: string[], unknownRows: string[], pending: string[], unreachedHeads: string[]): string {
  const unknownNote =
    unknownRows.length > 0
      ? `alembic_version holds ${unknownRows.join(', ')}, which this project does not contain (the database was migrated from another checkout or branch)`
      : '';
  if (rows.length === 0) {
    if (unknownRows.length > 0) return unknownNote;
    return 'empty database: no revision applied';
  }
  const withUnknown = (s: string) => (unknownNote ? `${s}; ${unknownNote}` : s);
  const named = (id: string) => {
    const name = branchName(graph, id);
    return name === id ? id : `${id} (${name})`;
  };

  if (unreachedHeads.length === 0) {
    const heads = graph.heads;
    return withUnknown(heads.length === 1 ? `at head ${named(heads[0])}` : `at heads ${heads.map(named).join(', ')}`);
  }

  const pendingSet = new Set(pending);
  // Whole branches from a base that nothing has touched: the part a person misses.
  const untouched = branchSegments(graph).filter((s) => graph.revisions[s.root].downRevisions.length === 0 && s.revisions.every((id) => pendingSet.has(id)));
  const where =
    rows.length === 1
      ? `at ${rows[0]} on the ${branchName(graph, rows[0])} branch${untouched.length > 0 ? ' only' : ''}`
      : `at ${rows.map(named).join(' and ')}`;
  const parts = [where];
  for (const s of untouched) parts.push(`${describeSegment(s)} not applied`);
  const target = unreachedHeads.length === 1 ? `head ${unreachedHeads[0]}` : `heads ${unreachedHeads.join(', ')}`;
  parts.push(`${pending.length} revision${pending.length === 1 ? '' : 's'} pending to reach ${target}`);
  return withUnknown(parts.join('; '));
}

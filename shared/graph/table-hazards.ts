/**
 * Replays an upgrade on paper: starting from the tables the applied revisions created,
 * walk the revisions in the order Alembic will run them and flag every reference to a
 * table that does not exist yet but that some revision of the project creates. Tables no
 * revision creates (made by the bootstrap script, by PostgreSQL, or by SQLAlchemy at run
 * time) are not flagged: we cannot tell whether they will be there.
 */
import { branchName } from './branches';
import type { MigrationGraph, TableReference } from './model';
import { ancestorsOf } from './relations';

export interface TableHazard {
  /** The revision that will fail. */
  revision: string;
  /** The table it needs. */
  table: string;
  /** Where in its file it names the table. */
  line: number;
  kind: TableReference['kind'];
  /** The revision that creates the table. */
  createdBy: string;
  /** Name of the branch `createdBy` is on (see branches.ts). */
  createdByBranch: string;
  /** 'later': this upgrade runs the creator after `revision`; 'not-run': this upgrade does not run it at all. */
  when: 'later' | 'not-run';
  message: string;
}

/** Tables that exist once the revisions below `rows` (and their dependencies) have run. */
export function tablesPresent(graph: MigrationGraph, rows: string[]): Set<string> {
  const applied = ancestorsOf(graph, rows, { includeDependencies: true });
  const tables = new Set<string>();
  for (const id of graph.order) if (applied.has(id)) applyRevision(graph, id, tables);
  return tables;
}

/** Hazards of running `runOrder` (first to last) on a database at `rows`; one per revision and table. */
export function detectTableHazards(graph: MigrationGraph, rows: string[], runOrder: string[]): TableHazard[] {
  const applied = ancestorsOf(graph, rows, { includeDependencies: true });
  const tables = tablesPresent(graph, rows);
  const runIndex = new Map(runOrder.map((id, i) => [id, i] as const));
  const hazards: TableHazard[] = [];
  for (const [i, id] of runOrder.entries()) {
    const rev = graph.revisions[id];
    if (!rev) continue;
    const seen = new Set<string>();
    for (const ref of rev.references) {
      if (seen.has(ref.table) || tables.has(ref.table) || rev.creates.includes(ref.table)) continue;
      const creators = graph.order.filter((c) => c !== id && graph.revisions[c].creates.includes(ref.table));
      const later = creators.find((c) => (runIndex.get(c) ?? -1) > i);
      const notRun = creators.find((c) => !runIndex.has(c) && !applied.has(c));
      const creator = later ?? notRun;
      if (creator === undefined) continue;
      seen.add(ref.table);
      const branch = branchName(graph, creator);
      hazards.push({
        revision: id,
        table: ref.table,
        line: ref.line,
        kind: ref.kind,
        createdBy: creator,
        createdByBranch: branch,
        when: later !== undefined ? 'later' : 'not-run',
        message:
          later !== undefined
            ? `${id} references ${ref.table}, created by ${creator} on another branch that this upgrade would run later`
            : `${id} references ${ref.table}, created by ${creator} on branch ${branch}, which this upgrade does not run`,
      });
    }
    applyRevision(graph, id, tables);
  }
  return hazards;
}

function applyRevision(graph: MigrationGraph, id: string, tables: Set<string>): void {
  const rev = graph.revisions[id];
  for (const t of rev.creates) tables.add(t);
  for (const t of rev.drops ?? []) if (!rev.creates.includes(t)) tables.delete(t);
}

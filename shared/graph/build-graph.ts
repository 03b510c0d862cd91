/**
 * RevisionInfo[] → MigrationGraph. Mirrors how Alembic builds its revision map
 * (`RevisionMap._revision_map`): duplicate ids keep the last file but the first
 * position, branch labels must be unique across labels and ids, `depends_on` may name a
 * label, and dependencies already declared by an ancestor are dropped from the walk.
 * Where Alembic would crash (missing parent, cycle, clashing label) we record a
 * GraphError instead and still return the best graph we can.
 */
import { findCycles } from './cycles';
import { inheritLabels } from './inherit-labels';
import type { GraphError, GraphWarning, MigrationGraph, RevisionInfo } from './model';
import { ancestorsOf } from './relations';

export interface BuildGraphOptions {
  /** Errors found while loading (unparseable files, missing folders) to report alongside the graph's own. */
  loadErrors?: GraphError[];
  /** Warnings found while loading (skipped files…). */
  loadWarnings?: GraphWarning[];
}

/** Characters Alembic refuses in a revision id (`Revision.verify_rev_id`). */
const ILLEGAL_ID_CHARS = ['@', '-', '+', ':'];

export function buildGraph(input: RevisionInfo[], opts: BuildGraphOptions = {}): MigrationGraph {
  const errors: GraphError[] = [...(opts.loadErrors ?? [])];
  const warnings: GraphWarning[] = [...(opts.loadWarnings ?? [])];

  // Null-prototype records: an id such as 'constructor' or '__proto__' must not hit Object.prototype.
  const revisions: Record<string, RevisionInfo> = dict();
  const loadOrder: string[] = [];
  for (const rev of input) {
    const previous = revisions[rev.id];
    if (previous) {
      errors.push({
        kind: 'duplicate-id',
        message: `Revision ${rev.id} is defined twice, in ${previous.file} and ${rev.file}; Alembic keeps only the last one it reads (${rev.file}), so the other file's migration never runs.`,
        file: rev.file,
        line: rev.line,
        revisionIds: [rev.id],
      });
    } else {
      loadOrder.push(rev.id);
    }
    revisions[rev.id] = rev;
    const bad = ILLEGAL_ID_CHARS.filter((c) => rev.id.includes(c));
    if (bad.length > 0) {
      errors.push({
        kind: 'parse',
        message: `Revision id '${rev.id}' contains ${bad.map((c) => `'${c}'`).join(', ')}, which Alembic does not allow in revision identifiers.`,
        file: rev.file,
        line: rev.line,
        revisionIds: [rev.id],
      });
    }
  }
  const unparsed = new Map<string, GraphError>();
  for (const e of opts.loadErrors ?? []) {
    if (e.kind === 'parse') for (const id of e.revisionIds ?? []) unparsed.set(id, e);
  }

  const labels: Record<string, string> = dict();
  for (const id of loadOrder) {
    const rev = revisions[id];
    for (const label of rev.branchLabels) {
      const holder = labels[label] ?? (revisions[label] ? label : undefined);
      if (holder !== undefined) {
        errors.push({
          kind: 'duplicate-label',
          message: `Branch label '${label}' in revision ${id} is already used by revision ${holder}; Alembic stops with "Branch name '${label}' … already used".`,
          file: rev.file,
          line: rev.line,
          revisionIds: [id, holder],
        });
        continue;
      }
      labels[label] = id;
    }
  }

  const dependencies: Record<string, string[]> = dict();
  const children: Record<string, string[]> = dict();
  const dependents: Record<string, string[]> = dict();
  for (const id of loadOrder) {
    children[id] = [];
    dependents[id] = [];
  }
  for (const id of loadOrder) {
    const rev = revisions[id];
    dependencies[id] = [];
    for (const dep of rev.dependsOn) {
      const target = revisions[dep] ? dep : labels[dep];
      if (target === undefined) {
        errors.push({
          kind: 'missing-dependency',
          message: `Revision ${id} (${rev.file}) depends on '${dep}', which is neither a revision nor a branch label in this project.${missingHint(dep, unparsed)}`,
          file: rev.file,
          line: rev.line,
          revisionIds: [id],
        });
        continue;
      }
      if (!dependencies[id].includes(target)) dependencies[id].push(target);
    }
    for (const parent of rev.downRevisions) {
      if (!revisions[parent]) {
        errors.push({
          kind: 'missing-parent',
          message: `Revision ${id} (${rev.file}) names ${parent} as its down_revision, but no revision ${parent} exists.${missingHint(parent, unparsed)}`,
          file: rev.file,
          line: rev.line,
          revisionIds: [id],
        });
        continue;
      }
      if (!children[parent].includes(id)) children[parent].push(id);
    }
    for (const target of dependencies[id]) {
      if (!rev.downRevisions.includes(target) && !dependents[target].includes(id)) dependents[target].push(id);
    }
  }

  const graph: MigrationGraph = {
    revisions,
    loadOrder,
    order: [],
    children,
    dependents,
    dependencies,
    normalizedDependencies: dict(),
    heads: loadOrder.filter((id) => children[id].length === 0),
    realHeads: loadOrder.filter((id) => children[id].length === 0 && dependents[id].length === 0),
    bases: loadOrder.filter((id) => revisions[id].downRevisions.length === 0),
    branchPoints: loadOrder.filter((id) => children[id].length > 1),
    mergePoints: loadOrder.filter((id) => revisions[id].downRevisions.length > 1),
    labels,
    inheritedLabels: {},
    errors,
    warnings,
  };

  // Alembic's _normalize_depends_on: drop dependencies that an ancestor (through
  // down_revision only) already declares, so the walk does not visit them twice.
  for (const id of loadOrder) {
    const deps = new Set(dependencies[id]);
    if (deps.size > 0) {
      for (const anc of ancestorsOf(graph, [id], { includeDependencies: false })) {
        if (anc !== id) for (const d of dependencies[anc] ?? []) deps.delete(d);
      }
    }
    graph.normalizedDependencies[id] = dependencies[id].filter((d) => deps.has(d));
  }

  const parentsOf = (id: string) => [...revisions[id].downRevisions, ...dependencies[id]].filter((p) => revisions[p]);
  for (const group of findCycles(loadOrder, parentsOf)) {
    const first = revisions[group[0]];
    errors.push({
      kind: 'cycle',
      message:
        group.length === 1
          ? `Revision ${group[0]} names itself as its own down_revision or dependency; Alembic reports a self-loop and cannot run.`
          : `Revisions ${group.join(', ')} form a cycle through down_revision/depends_on, so no order can run them; Alembic reports "Cycle is detected".`,
      file: first.file,
      line: first.line,
      revisionIds: group,
    });
  }

  graph.order = topologicalOrder(loadOrder, parentsOf);
  graph.inheritedLabels = inheritLabels(graph);

  if (graph.heads.length > 1) {
    warnings.push({
      kind: 'multiple-heads',
      message: `The project has ${graph.heads.length} heads (${graph.heads.join(', ')}): \`alembic upgrade head\` fails until they are merged; use a branch label (label@head) or \`heads\`.`,
      revisionIds: [...graph.heads],
    });
  }
  if (graph.bases.length > 1) {
    warnings.push({
      kind: 'multiple-bases',
      message: `The project has ${graph.bases.length} bases (${graph.bases.join(', ')}): independent branches that Alembic orders only through merges and depends_on.`,
      revisionIds: [...graph.bases],
    });
  }
  return graph;
}

function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function missingHint(id: string, unparsed: Map<string, GraphError>): string {
  const e = unparsed.get(id);
  return e ? ` Its file${e.file ? ` (${e.file})` : ''} could not be read: ${e.message}` : '';
}

/** Kahn's algorithm, always taking the ready revision that was read first; unorderable (cyclic) ones go last. */
function topologicalOrder(loadOrder: string[], parentsOf: (id: string) => string[]): string[] {
  const position = new Map(loadOrder.map((id, i) => [id, i] as const));
  const pending = new Map<string, number>();
  const followers = new Map<string, string[]>();
  for (const id of loadOrder) {
    // A self-loop keeps its revision waiting for ever, so it lands with the other unorderable ones.
    const parents = [...new Set(parentsOf(id))];
    pending.set(id, parents.length);
    for (const p of parents) followers.set(p, [...(followers.get(p) ?? []), id]);
  }
  const ready = loadOrder.filter((id) => pending.get(id) === 0);
  const out: string[] = [];
  while (ready.length > 0) {
    let best = 0;
    for (let i = 1; i < ready.length; i += 1) {
      if ((position.get(ready[i]) as number) < (position.get(ready[best]) as number)) best = i;
    }
    const [id] = ready.splice(best, 1);
    out.push(id);
    for (const f of followers.get(id) ?? []) {
      const left = (pending.get(f) as number) - 1;
      pending.set(f, left);
      if (left === 0) ready.push(f);
    }
  }
  const placed = new Set(out);
  for (const id of loadOrder) if (!placed.has(id)) out.push(id);
  return out;
}

/**
 * Upgrade planning: what `alembic upgrade` will run, whether that walks into the
 * guide's failure 1 ("relation … does not exist"), and a sequence of upgrades that
 * does not.
 *
 * The trap: a merge joins two branches that were never ordered by `depends_on`, and a
 * revision on one branch references a table created on the other. Alembic runs the
 * merge's branches in an order of its own (see alembic-sort.ts) and may run the
 * referencing branch first. The way out, as the guide does by hand, is to upgrade to the
 * merge's other parents first, then to the target.
 */
import { appError, err, ok, type Result } from '../errors/app-error';
import { branchName } from './branches';
import type { MigrationGraph } from './model';
import { ancestorsOf } from './relations';
import { detectTableHazards, type TableHazard } from './table-hazards';
import { simulateVersionRows, upgradeRevisions } from './upgrade-revisions';

export { upgradeRevisions } from './upgrade-revisions';

export interface UpgradeStep {
  /** What to pass to `alembic upgrade`. */
  target: string;
  /** Revisions this step runs, in Alembic's run order. */
  revisions: string[];
  /** Why this step is there, for the user. */
  reason: string;
}

/** A merge that, in this upgrade, lets a branch run before the branch whose tables it needs. */
export interface MergeTrap {
  merge: string;
  /** The merge's down revisions, as written. */
  parents: string[];
  /** Parents to upgrade to before the target, in order (every parent but the one that can safely go last). */
  firstParents: string[];
  hazards: TableHazard[];
}

export interface SafePlan {
  target: string;
  steps: UpgradeStep[];
  traps: MergeTrap[];
  /** Hazards a single `alembic upgrade <target>` would meet. */
  hazards: TableHazard[];
  /** Hazards still predicted when following `steps` (none when the plan is safe). */
  unresolved: TableHazard[];
}

/** The merges that trap this upgrade, with the hazards each one causes. */
export function findTraps(graph: MigrationGraph, currentRows: string[], target: string): Result<MergeTrap[]> {
  const run = upgradeRevisions(graph, currentRows, target);
  if (!run.ok) return run;
  const hazards = detectTableHazards(graph, currentRows, run.value);
  return ok(trapsFor(graph, run.value, hazards).traps);
}

export function planSafeUpgrade(graph: MigrationGraph, currentRows: string[], target: string): Result<SafePlan> {
  const run = upgradeRevisions(graph, currentRows, target);
  if (!run.ok) return run;
  const hazards = detectTableHazards(graph, currentRows, run.value);
  const { traps, loose } = trapsFor(graph, run.value, hazards);

  const wanted: { target: string; reason: string }[] = [];
  for (const trap of traps) {
    for (const parent of trap.firstParents) {
      const tables = [...new Set(trap.hazards.filter((h) => ancestorsOf(graph, [parent], { includeDependencies: true }).has(h.createdBy)).map((h) => h.table))];
      const users = [...new Set(trap.hazards.map((h) => h.revision))];
      const usersBranch = branchName(graph, users[0]);
      wanted.push({
        target: parent,
        reason:
          tables.length > 0
            ? `Upgrade to ${parent} first: the ${branchName(graph, parent)} branch creates ${tables.join(', ')}, which ${users.join(', ')} on ${usersBranch} need${users.length === 1 ? 's' : ''}, and merge ${trap.merge} does not order the two branches, so \`alembic upgrade ${target}\` alone would run ${usersBranch} first.`
            : `Upgrade to ${parent} first: merge ${trap.merge} does not order its branches, and ${branchName(graph, parent)} must be in place before the rest runs.`,
      });
    }
  }
  for (const h of loose) {
    wanted.push({
      target: h.createdBy,
      reason: `Upgrade to ${h.createdBy} first: it creates ${h.table}, which ${h.revision} references, and \`alembic upgrade ${target}\` ${h.when === 'later' ? 'would run it only afterwards' : 'does not run it'}.`,
    });
  }
  wanted.push({
    target,
    reason:
      hazards.length === 0
        ? `A single \`alembic upgrade ${target}\` is safe: no revision references a table that does not exist by the time it runs.`
        : `Then upgrade to ${target}: the remaining revisions now run after the tables they need exist.`,
  });

  const steps: UpgradeStep[] = [];
  const unresolved: TableHazard[] = [];
  const done = new Set<string>();
  let rows = [...currentRows];
  for (const w of wanted) {
    if (done.has(w.target)) continue;
    done.add(w.target);
    const revisions = upgradeRevisions(graph, rows, w.target);
    if (!revisions.ok) {
      return err(appError('internal', `Planning step '${w.target}' failed: ${revisions.error.message}`, { detail: revisions.error.detail }));
    }
    if (revisions.value.length === 0) continue;
    unresolved.push(...detectTableHazards(graph, rows, revisions.value));
    steps.push({ target: w.target, revisions: revisions.value, reason: w.reason });
    rows = simulateVersionRows(graph, rows, revisions.value);
  }
  return ok({ target, steps, traps, hazards, unresolved });
}

/**
 * Groups hazards under the first merge (in run order) whose parents separate the
 * referencing revision from the creating one; hazards with no such merge are "loose".
 */
function trapsFor(graph: MigrationGraph, runOrder: string[], hazards: TableHazard[]): { traps: MergeTrap[]; loose: TableHazard[] } {
  const below = new Map<string, Set<string>>();
  const ancestors = (id: string) => {
    let set = below.get(id);
    if (!set) {
      set = ancestorsOf(graph, [id], { includeDependencies: true });
      below.set(id, set);
    }
    return set;
  };
  const merges = runOrder.filter((id) => graph.revisions[id].downRevisions.length > 1);
  const byMerge = new Map<string, TableHazard[]>();
  const loose: TableHazard[] = [];
  for (const h of hazards) {
    const merge = merges.find((m) => {
      const parents = graph.revisions[m].downRevisions;
      const userSide = parents.find((p) => ancestors(p).has(h.revision));
      const creatorSide = parents.find((p) => ancestors(p).has(h.createdBy));
      return userSide !== undefined && creatorSide !== undefined && userSide !== creatorSide && !ancestors(userSide).has(h.createdBy);
    });
    if (merge === undefined) loose.push(h);
    else byMerge.set(merge, [...(byMerge.get(merge) ?? []), h]);
  }
  const traps = [...byMerge.entries()].map(([merge, hs]) => {
    const parents = graph.revisions[merge].downRevisions;
    return { merge, parents: [...parents], firstParents: orderParents(graph, parents, hs, ancestors).slice(0, -1), hazards: hs };
  });
  return { traps, loose };
}

/**
 * The merge's parents in the order to upgrade them: a parent whose branch creates a
 * table another parent's branch references goes first; otherwise oldest Create Date
 * first, ties by id. The last one is left to the final step, so in the usual case the
 * newest parent is the one not upgraded to separately.
 */
function orderParents(graph: MigrationGraph, parents: string[], hazards: TableHazard[], ancestors: (id: string) => Set<string>): string[] {
  const side = (rev: string) => parents.find((p) => ancestors(p).has(rev));
  const mustPrecede = new Map<string, Set<string>>(parents.map((p) => [p, new Set<string>()]));
  for (const h of hazards) {
    const creator = side(h.createdBy);
    const user = side(h.revision);
    if (creator !== undefined && user !== undefined && creator !== user) mustPrecede.get(user)?.add(creator);
  }
  const byAge = [...parents].sort((a, b) => {
    const da = graph.revisions[a].createDate ?? '';
    const db = graph.revisions[b].createDate ?? '';
    return da < db ? -1 : da > db ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
  const out: string[] = [];
  while (out.length < byAge.length) {
    const next =
      byAge.find((p) => !out.includes(p) && [...(mustPrecede.get(p) ?? [])].every((q) => out.includes(q))) ??
      // The branches need each other's tables: no order is safe, fall back to age.
      (byAge.find((p) => !out.includes(p)) as string);
    out.push(next);
  }
  return out;
}

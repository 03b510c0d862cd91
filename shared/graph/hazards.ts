/**
 * Static hazard analysis, shown before anything runs: which revision of this upgrade
 * will fail on a missing table, why, the safe sequence of upgrades, and the one-line
 * change that fixes the repository for good. Also, after a step has failed, which
 * revision creates the relation PostgreSQL could not find.
 */
import { ok, type Result } from '../errors/app-error';
import { branchName } from './branches';
import type { MigrationGraph } from './model';
import { planSafeUpgrade, type UpgradeStep } from './plan';
import { ancestorsOf } from './relations';
import type { TableHazard } from './table-hazards';

export interface HazardFix {
  /** Upgrades that avoid the hazard today, in order. */
  safePlan: UpgradeStep[];
  /** The revision to add to the failing revision's depends_on. */
  dependsOn: string;
  /** The line to put in the failing revision's file, e.g. "depends_on = ('202511131121',)". */
  dependsOnLine: string;
  /** The file to edit (relative to the project root). */
  file: string;
  /** Why `dependsOn` names that revision. */
  why: string;
}

export interface Hazard extends TableHazard {
  fix: HazardFix;
}

/** Every hazard `alembic upgrade target` would meet from `currentRows`, each with its fixes. */
export function analyzeHazards(graph: MigrationGraph, currentRows: string[], target: string): Result<Hazard[]> {
  const plan = planSafeUpgrade(graph, currentRows, target);
  if (!plan.ok) return plan;
  return ok(
    plan.value.hazards.map((h) => {
      const trap = plan.value.traps.find((t) => t.hazards.includes(h));
      const rev = graph.revisions[h.revision];
      // The merge parent on the creator's side: the newest revision of that branch the merge needs.
      const tip = trap?.parents.find((p) => ancestorsOf(graph, [p], { includeDependencies: true }).has(h.createdBy));
      const dependsOn = tip ?? h.createdBy;
      const branch = h.createdByBranch;
      const why =
        tip !== undefined && tip !== h.createdBy
          ? `Naming ${tip}, the last ${branch} revision before merge ${trap?.merge}, rather than ${h.createdBy} alone makes Alembic run the whole ${branch} branch — ${h.createdBy} and what follows it (later revisions may add the grants, policies or columns ${h.table} is used with) — before ${h.revision}: the same boundary the two-step upgrade draws by hand, so it becomes unnecessary.`
          : `Naming ${h.createdBy}, the revision that creates ${h.table}, makes Alembic run it (and what it needs) before ${h.revision}.`;
      const existing = rev?.dependsOn ?? [];
      const deps = existing.includes(dependsOn) ? existing : [...existing, dependsOn];
      return {
        ...h,
        fix: {
          safePlan: plan.value.steps,
          dependsOn,
          dependsOnLine: `depends_on = ${pythonTuple(deps)}`,
          file: rev?.file ?? '',
          why,
        },
      };
    }),
  );
}

export interface CreatorHint {
  /** The table name as we matched it. */
  table: string;
  /** The revision that creates it. */
  revision: string;
  /** The branch that revision is on. */
  branch: string;
  file: string;
  /** "run revision 202511131115 on branch core_schema first (it creates tenants)". */
  message: string;
}

/**
 * The revision that creates `relation`: a table name (`tenants`, `public.tenants`,
 * `"Tenants"`) or PostgreSQL's message (`relation "tenants" does not exist`).
 * Null when no revision of the project creates it.
 */
export function findCreator(graph: MigrationGraph, relation: string): CreatorHint | null {
  const table = relationName(typeof relation === 'string' ? relation : '');
  if (table === '') return null;
  const creators = graph.order.filter((id) => graph.revisions[id]?.creates.includes(table));
  const creator = creators[0] ?? graph.order.find((id) => graph.revisions[id]?.creates.some((t) => t.toLowerCase() === table.toLowerCase()));
  if (creator === undefined) return null;
  const branch = branchName(graph, creator);
  return {
    table,
    revision: creator,
    branch,
    file: graph.revisions[creator].file,
    message: `run revision ${creator} on branch ${branch} first (it creates ${table})`,
  };
}

function relationName(input: string): string {
  const fromMessage = /relation\s+"((?:[^"]|"")+)"/i.exec(input);
  const raw = (fromMessage ? fromMessage[1] : input).trim();
  const last = raw.split('.').pop() ?? '';
  const quoted = /^"(.*)"$/.exec(last);
  if (quoted) return quoted[1].replace(/""/g, '"');
  // PostgreSQL's own message already shows the folded name; a bare name typed by a person folds like SQL.
  return fromMessage ? last : last.toLowerCase();
}

function pythonTuple(items: string[]): string {
  const quoted = items.map((i) => `'${i.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
  return quoted.length === 1 ? `(${quoted[0]},)` : `(${quoted.join(', ')})`;
}

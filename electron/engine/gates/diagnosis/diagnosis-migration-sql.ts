import type { ConnectionSettings } from '../../../../shared/contract/connection';
import type { AppError } from '../../../../shared/errors/app-error';
import { buildPlanView } from '../../../../shared/graph/plan-view';
import { simulateVersionRows } from '../../../../shared/graph/upgrade-revisions';
import { alembicBlockers, type PrerequisiteReport } from '../../../../shared/prerequisites/prerequisites';
import type { Profile } from '../../../../shared/profile/schema';
import type { OpenProject } from '../../project/open-project';
import type { MigrationSql } from '../verify/check-migration-privileges';
import { offlineMigrationSql } from '../verify/offline-migration-sql';

/**
 * The offline SQL E1 checks grants and row-level security against: that of the plan from
 * an empty database to the profile's target, the same one VERIFY reads.
 *
 * When the cache on disk (see offline-migration-sql) has none for the project's current
 * files, E1 produces it, provided the interpreter is known and can run Alembic: it costs
 * about a second of Python once per change of the migrations (nothing touches the
 * database; VERIFY and the next Diagnose read it back), and support staff would rather
 * wait that second than get a diagnosis with a hole in it. With no such interpreter the
 * checks say that they did not run and why, instead of passing.
 */
export interface DiagnosisSqlRequest {
  project: OpenProject | null;
  /** Why the repository could not be opened, when it could not. */
  projectError?: AppError;
  prerequisites: PrerequisiteReport | null;
  settings: ConnectionSettings;
  profile: Profile;
  /** False: read what is stored only (the run is about to migrate, or has just done so). */
  mayProduce: boolean;
}

/** The alembic_version rows the plan from an empty database to the profile's target leaves; null when it cannot be planned. */
export function targetVersionRows(project: OpenProject | null, profile: Profile): string[] | null {
  if (!project) return null;
  const plan = buildPlanView(project.graph, profile, []);
  return plan.error ? null : simulateVersionRows(project.graph, [], plan.revisions);
}

export async function diagnosisMigrationSql(request: DiagnosisSqlRequest): Promise<MigrationSql> {
  const { project, profile } = request;
  if (!project) return { known: false, reason: request.projectError?.message ?? 'no backend repository is set' };
  try {
    const plan = buildPlanView(project.graph, profile, []);
    if (plan.error) return { known: false, reason: `no plan from an empty database: ${plan.error.message}` };
    const blockers = alembicBlockers(request.prerequisites);
    const sql = await offlineMigrationSql({
      project,
      plan,
      python: blockers === null && request.mayProduce ? (request.prerequisites?.python ?? null) : null,
      settings: request.settings,
      profile,
    });
    if (sql.ok) return { known: true, revisions: sql.value.revisions, unknownReason: sql.value.unknownReason, fromDisk: sql.value.fromDisk };
    if (!request.mayProduce) return { known: false, reason: 'no offline SQL is stored yet for these migration files (Diagnose or VERIFY produces it)' };
    return {
      known: false,
      reason: blockers ? `no offline SQL is stored for these migration files, and the interpreter cannot run Alembic to produce it (${blockers})` : sql.reason,
    };
  } catch (error) {
    return { known: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

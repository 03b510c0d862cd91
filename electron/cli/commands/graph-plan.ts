import { overlayState } from '../../../shared/graph/overlay';
import { freshSessions } from '../../engine/db/run-sessions';
import { buildPlanView, type PlanView } from '../../../shared/graph/plan-view';
import { analyzeHazards } from '../../../shared/graph/hazards';
import { readAlembicVersion } from '../../engine/db/read-alembic-version';
import { previewPlanSql } from '../../engine/gates/migrate/preview-sql';
import { requireProject } from './graph';
import { findPython } from '../../engine/python/find-python';
import type { Profile } from '../../../shared/profile/schema';
import { CliFailure, requireProfile, withConnection } from '../cli-context';
import type { CliOptions } from '../parse-args';
import type { CommandIo, CommandOutput } from './command-io';

/**
 * `graph`, `plan` and `migrate --preview`: what the repository's migrations look like
 * and what an upgrade would do, without changing anything. A connection is used only
 * when one is configured (--embedded, or a password in the environment).
 */
export { graphJson, runGraphCommand } from './graph';

function wantsConnection(options: CliOptions): boolean {
  return options.embedded || Boolean(process.env.SKELDIR_SUPERUSER_PASSWORD || process.env.PGPASSWORD);
}

/** alembic_version when a connection is configured; empty (plan from scratch) otherwise. */
async function currentRows(options: CliOptions, io: CommandIo, profile: Profile): Promise<string[]> {
  if (!wantsConnection(options)) return [];
  return withConnection(options, io.log, async (connection) => (await readAlembicVersion(freshSessions(connection.settings), profile)) ?? []);
}

export async function runPlanCommand(options: CliOptions, io: CommandIo): Promise<CommandOutput> {
  const profile = requireProfile(options);
  const project = await requireProject(options);
  const rows = await currentRows(options, io, profile);
  const state = wantsConnection(options) ? overlayState(project.graph, rows).summary : null;
  const plan = buildPlanView(project.graph, profile, rows, { target: options.target, fromGraph: options.fromGraph });
  if (plan.error) throw new CliFailure(plan.error, 2);
  const hazards = analyzeHazards(project.graph, rows, plan.target);
  const json = {
    target: plan.target,
    source: plan.source,
    steps: plan.steps.map((s) => ({ target: s.target, revisions: s.revisions })),
    graphSteps: plan.graphSteps.map((s) => ({ target: s.target, revisions: s.revisions, reason: s.reason })),
    differs: plan.differs,
    ...(state ? { currentRows: rows, state } : {}),
    hazards: hazards.ok
      ? hazards.value.map((h) => ({ revision: h.revision, table: h.table, message: h.message, dependsOnLine: h.fix.dependsOnLine, file: h.fix.file }))
      : [],
  };
  return { json, text: planText(plan, state, json.hazards), exitCode: 0 };
}

function planText(plan: PlanView, state: string | null, hazards: { message: string; dependsOnLine: string; file: string }[]): string {
  const lines = [`Plan for ${plan.target} (from the ${plan.source === 'profile' ? 'profile\u2019s explicit plan' : 'migration graph'}):`];
  if (state) lines.push(`Database: ${state}`);
  if (plan.steps.length === 0) lines.push('  nothing to run: already at the target');
  plan.steps.forEach((step, i) => {
    lines.push(`  ${i + 1}. alembic upgrade ${step.target}   (${step.revisions.length} revision${step.revisions.length === 1 ? '' : 's'})`);
    for (const id of step.revisions) lines.push(`       ${id}`);
  });
  if (plan.differs) lines.push('', `The graph-derived plan differs: ${plan.graphSteps.map((s) => s.target).join(' then ')}`);
  else if (plan.source === 'profile') lines.push('', 'The graph-derived plan is the same.');
  for (const h of hazards) lines.push('', `hazard: ${h.message}`, `  fix for good: add \`${h.dependsOnLine}\` to ${h.file}`);
  return lines.join('\n');
}

export async function runPreviewCommand(options: CliOptions, io: CommandIo): Promise<CommandOutput> {
  const profile = requireProfile(options);
  const project = await requireProject(options);
  const python = await findPython({ repoDir: project.repoDir, flag: options.python });
  if (!python.ok) throw new CliFailure(python.error, 2);
  const rows = await currentRows(options, io, profile);
  // Offline mode never connects: the URL only tells Alembic the dialect.
  const settings = { host: options.host, port: options.port, superuser: options.superuser, password: '', embedded: false };
  const plan = buildPlanView(project.graph, profile, rows, { target: options.target, fromGraph: options.fromGraph });
  const preview = await previewPlanSql(python.value, project.iniPath, project.graph, plan, rows, { settings, profile });
  if (!preview.ok) throw new CliFailure(preview.error, 1);
  const text = preview.value.map((s) => `-- alembic upgrade --sql ${s.range}\n${s.sql}`).join('\n');
  return { json: { target: plan.target, steps: preview.value }, text: text || '-- nothing to run: already at the target', exitCode: 0 };
}

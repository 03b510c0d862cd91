import type { PlanView } from '../../../shared/graph/plan-view';
import { unwrap, CliFailure } from '../cli-outcome';
import { environmentPassword, requireSettings, withCliService } from '../cli-service';
import type { CliOptions } from '../parse-args';
import type { CommandIo, CommandOutput } from './command-io';

/**
 * `plan` and `migrate --preview`: what an upgrade would do, without changing anything,
 * through the app's graph and preview handlers. A database is read only when one is at
 * hand (--embedded, or a password in the environment): these commands never prompt.
 */
export { graphJson, runGraphCommand } from './graph';

function wantsConnection(options: CliOptions): boolean {
  return options.embedded || environmentPassword() !== null;
}

export async function runPlanCommand(options: CliOptions, io: CommandIo): Promise<CommandOutput> {
  const view = await withCliService(
    options,
    io,
    async (service) => {
      await requireSettings(service);
      const withState = wantsConnection(options);
      const loaded = unwrap(
        await service.call('loadGraph', { withState, ...(options.target ? { target: options.target } : {}), fromGraph: options.fromGraph }),
      );
      if (loaded.stateError) throw new CliFailure(loaded.stateError, 1);
      return loaded;
    },
    'environment',
  );
  const { plan, overlay } = view;
  if (plan.error) throw new CliFailure(plan.error, 2);
  const state = overlay ? overlay.summary : null;
  const json = {
    target: plan.target,
    source: plan.source,
    steps: plan.steps.map((s) => ({ target: s.target, revisions: s.revisions })),
    graphSteps: plan.graphSteps.map((s) => ({ target: s.target, revisions: s.revisions, reason: s.reason })),
    differs: plan.differs,
    ...(overlay ? { currentRows: [...overlay.currentRows, ...overlay.unknownRows], state } : {}),
    hazards: view.hazards.map((h) => ({ revision: h.revision, table: h.table, message: h.message, dependsOnLine: h.fix.dependsOnLine, file: h.fix.file })),
  };
  return { json, text: planText(plan, state, json.hazards), exitCode: 0 };
}

function planText(plan: PlanView, state: string | null, hazards: { message: string; dependsOnLine: string; file: string }[]): string {
  const lines = [`Plan for ${plan.target} (from the ${plan.source === 'profile' ? 'profile\u2019s explicit plan' : 'migration graph'}):`];
  if (state) lines.push(`Database: ${state}`);
  if (plan.steps.length === 0) lines.push('  nothing to run: the database is at or past the target');
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
  const preview = await withCliService(
    options,
    io,
    async (service) => {
      await requireSettings(service);
      return unwrap(await service.call('previewSql', { ...(options.target ? { target: options.target } : {}), fromGraph: options.fromGraph }));
    },
    'environment',
  );
  return { json: { target: preview.target, steps: preview.steps }, text: preview.sql, exitCode: 0 };
}

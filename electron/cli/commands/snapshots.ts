import { appError } from '../../../shared/errors/app-error';
import { freshSessions } from '../../engine/db/run-sessions';
import { withClient } from '../../engine/db/connect';
import { checkDestructiveAllowed } from '../../engine/safety/destructive-guard';
import { restoreAndReapply } from '../../engine/pipeline/restore-and-reapply';
import { findSnapshot, listSnapshots, pruneSnapshots, snapshotsBeyond } from '../../engine/gates/snapshots/safety-snapshots';
import { listTemplates } from '../../engine/gates/cache/template-cache';
import { findHalfMadeCopies } from '../../engine/copies/half-made-copies';
import { CliFailure, requireProfile, withConnection } from '../cli-context';
import type { CliOptions } from '../parse-args';
import { confirm } from '../read-password';
import type { CommandIo, CommandOutput } from './command-io';

/** `snapshots`, `restore NAME`, `prune --keep N`: the safety snapshots (and the cache templates, listed alongside). */
function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}

export async function runSnapshotsCommand(options: CliOptions, io: CommandIo): Promise<CommandOutput> {
  const profile = requireProfile(options);
  return withConnection(options, io.log, async (connection) => {
    const result = await withClient(freshSessions(connection.settings), { database: 'postgres' }, 'listing snapshots', async (admin) => ({
      snapshots: await listSnapshots(admin, profile.database.name),
      templates: await listTemplates(admin, profile.database.name),
      halfMade: await findHalfMadeCopies(admin, profile.database.name),
    }));
    if (!result.ok) throw new CliFailure(result.error, 1);
    const { snapshots, templates, halfMade } = result.value;
    const lines = [`Snapshots of ${profile.database.name}:`];
    if (snapshots.length === 0) lines.push('  none');
    for (const s of snapshots) lines.push(`  ${s.name}  ${formatSize(s.sizeBytes).padStart(9)}  ${s.createdAt ?? 'unknown time'}`);
    lines.push('', 'Cache templates:');
    if (templates.length === 0) lines.push('  none');
    for (const t of templates)
      lines.push(`  ${t.name}  ${formatSize(t.sizeBytes).padStart(9)}  ${t.createdAt ?? 'unknown time'}  key ${t.key?.slice(0, 12) ?? '?'}`);
    if (halfMade.length > 0) {
      lines.push('', 'Half-made copies (not usable as snapshots or templates; drop them with: skeldir-rebuild fix COPY-HALF-MADE):');
      for (const copy of halfMade)
        lines.push(
          `  ${copy.name}  ${formatSize(copy.sizeBytes).padStart(9)}  ${copy.why === 'invalid' ? 'left invalid by an interrupted drop' : 'no metadata'}`,
        );
    }
    return { json: result.value, text: lines.join('\n'), exitCode: 0 };
  });
}

export async function runRestoreCommand(options: CliOptions, io: CommandIo): Promise<CommandOutput> {
  const name = options.positionals[0];
  if (!name) throw new CliFailure(appError('usage', 'Name the snapshot to restore: skeldir-rebuild restore NAME (see skeldir-rebuild snapshots).'), 2);
  const profile = requireProfile(options);
  return withConnection(options, io.log, async (connection) => {
    // A mistyped name is said before anything is asked.
    const known = await withClient(freshSessions(connection.settings), { database: 'postgres' }, 'listing snapshots', (admin) =>
      findSnapshot(admin, profile.database.name, name),
    );
    if (!known.ok) throw new CliFailure(known.error, 1);
    if (!known.value.ok) throw new CliFailure(known.value.error, 2);
    let confirmed = options.yes;
    if (!confirmed) confirmed = await confirm(`Replace database "${profile.database.name}" with snapshot ${name}? The current database is snapshotted first.`);
    const allowed = await checkDestructiveAllowed({
      host: connection.settings.host,
      database: profile.database.name,
      profile,
      confirmed,
      allowRemote: options.allowRemote,
    });
    if (!allowed.ok) throw new CliFailure(allowed.error, 2);
    const restored = await restoreAndReapply(connection.settings, profile, name, io.emit);
    if (!restored.ok) throw new CliFailure(restored.error, 1);
    io.log(`restored ${name} as ${profile.database.name}${restored.value.previous ? `; the database it replaced is kept as ${restored.value.previous}` : ''}`);
    return { report: restored.value.report };
  });
}

export async function runPruneCommand(options: CliOptions, io: CommandIo): Promise<CommandOutput> {
  const keep = options.keep;
  if (keep === undefined) {
    throw new CliFailure(
      appError('usage', 'prune needs --keep N (how many of the newest snapshots to keep).', {
        remediation: 'For example: skeldir-rebuild prune --keep 2 (`skeldir-rebuild snapshots` lists them, newest last).',
      }),
      2,
    );
  }
  const profile = requireProfile(options);
  return withConnection(options, io.log, async (connection) => {
    // A snapshot may be the only copy of what a dropped database held: say which would go, and ask.
    const listed = await withClient(freshSessions(connection.settings), { database: 'postgres' }, 'listing snapshots', (admin) =>
      listSnapshots(admin, profile.database.name),
    );
    if (!listed.ok) throw new CliFailure(listed.error, 1);
    const doomed = snapshotsBeyond(listed.value, keep).map((s) => s.name);
    if (doomed.length === 0)
      return {
        json: { removed: [] },
        text: `nothing to remove (${listed.value.length} snapshot${listed.value.length === 1 ? '' : 's'}, keeping the newest ${keep})`,
        exitCode: 0,
      };
    const question = `Remove ${doomed.length} snapshot${doomed.length === 1 ? '' : 's'} of ${profile.database.name} (${doomed.join(', ')})? What they hold cannot be restored afterwards.`;
    const confirmed = options.yes || (await confirm(question));
    if (!confirmed) {
      throw new CliFailure(
        appError('confirmation-required', `Not removed: ${doomed.join(', ')} would be dropped, and that needs your confirmation.`, {
          remediation: 'Answer the prompt, or pass --yes when not interactive (`skeldir-rebuild snapshots` lists them first).',
        }),
        2,
      );
    }
    const pruned = await pruneSnapshots(connection.settings, profile, keep, doomed);
    if (!pruned.ok) throw new CliFailure(pruned.error, 1);
    return { json: { removed: pruned.value }, text: pruned.value.length ? `removed ${pruned.value.join(', ')}` : 'nothing to remove', exitCode: 0 };
  });
}

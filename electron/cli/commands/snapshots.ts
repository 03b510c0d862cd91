import { noSuchSnapshot, snapshotsBeyond } from '../../../shared/contract/copies';
import { appError } from '../../../shared/errors/app-error';
import { CliFailure, unwrap } from '../cli-outcome';
import { cancelOnSignal } from '../cancel-on-signal';
import { requireSettings, withCliService } from '../cli-service';
import type { CliOptions } from '../parse-args';
import { confirm } from '../read-password';
import type { CommandIo, CommandOutput } from './command-io';

/**
 * `snapshots`, `restore NAME`, `prune --keep N`: the app's Snapshots view on the terminal,
 * through the same handlers (list, restore, prune the confirmed names).
 */
function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}

export async function runSnapshotsCommand(options: CliOptions, io: CommandIo): Promise<CommandOutput> {
  return withCliService(options, io, async (service) => {
    await requireSettings(service);
    const { database, snapshots, templates, halfMade = [] } = unwrap(await service.call('listCopies', {}));
    const lines = [`Snapshots of ${database}:`];
    if (snapshots.length === 0) lines.push('  none');
    for (const s of snapshots) lines.push(`  ${s.name}  ${formatSize(s.sizeBytes).padStart(9)}  ${s.createdAt ?? 'unknown time'}`);
    lines.push('', 'Cache templates:');
    if (templates.length === 0) lines.push('  none');
    for (const t of templates)
      lines.push(`  ${t.name}  ${formatSize(t.sizeBytes).padStart(9)}  ${t.createdAt ?? 'unknown time'}  key ${t.key?.slice(0, 12) ?? '?'}`);
    if (halfMade.length > 0) {
      lines.push(
        '',
        'Copies left unrecorded or invalid (restore and the cache cannot use them; skeldir-rebuild fix COPY-HALF-MADE records complete snapshot copies as snapshots and drops the rest):',
      );
      for (const copy of halfMade)
        lines.push(
          `  ${copy.name}  ${formatSize(copy.sizeBytes).padStart(9)}  ${copy.why === 'invalid' ? 'left invalid by an interrupted drop' : 'no metadata (a finished copy the tool stopped before recording)'}`,
        );
    }
    return { json: { snapshots, templates, halfMade }, text: lines.join('\n'), exitCode: 0 };
  });
}

export async function runRestoreCommand(options: CliOptions, io: CommandIo): Promise<CommandOutput> {
  const name = options.positionals[0];
  if (!name) throw new CliFailure(appError('usage', 'Name the snapshot to restore: skeldir-rebuild restore NAME (see skeldir-rebuild snapshots).'), 2);
  return withCliService(options, io, async (service) => {
    await requireSettings(service);
    // A mistyped name is said before anything is asked.
    const { database, snapshots } = unwrap(await service.call('listCopies', {}));
    if (!snapshots.some((s) => s.name === name)) throw new CliFailure(noSuchSnapshot(name, database, snapshots), 2);
    const confirmed = options.yes || (await confirm(`Replace database "${database}" with snapshot ${name}? The current database is snapshotted first.`));
    let cancelled = false;
    const cancel = () => {
      if (cancelled) return;
      cancelled = true;
      io.log(
        `cancelling: the restore stops before "${database}" is replaced; once it is replaced, the restore is finished instead (settings and grants too), never left half-made …`,
      );
      service.cancelRestore();
    };
    // A refusal or a cancel honoured in time comes back as the handler's error, saying what state the database is in.
    const restored = unwrap(
      await cancelOnSignal(cancel, () =>
        service.call('restoreSnapshot', {
          name,
          confirmDatabaseName: confirmed ? database : '',
          ...(options.allowRemote ? { confirmRemoteHost: options.host } : {}),
        }),
      ),
    );
    if (cancelled) io.log(`the cancel came after "${database}" had been replaced, so the restore was finished rather than left half-made.`);
    io.log(`restored ${name} as ${database}${restored.previous ? `; ${keptAs(restored.previous)}` : ''}`);
    return { report: restored.report };
  });
}

/** Where the database a restore replaced went, and the command that puts it back. */
function keptAs(previous: string): string {
  return `the database it replaced is kept as ${previous} (to put it back: skeldir-rebuild restore ${previous})`;
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
  return withCliService(options, io, async (service) => {
    await requireSettings(service);
    // A snapshot may be the only copy of what a dropped database held: say which would go, and ask.
    const { database, snapshots } = unwrap(await service.call('listCopies', {}));
    const doomed = snapshotsBeyond(snapshots, keep).map((s) => s.name);
    if (doomed.length === 0)
      return {
        json: { removed: [] },
        text: `nothing to remove (${snapshots.length} snapshot${snapshots.length === 1 ? '' : 's'}, keeping the newest ${keep})`,
        exitCode: 0,
      };
    const question = `Remove ${doomed.length} snapshot${doomed.length === 1 ? '' : 's'} of ${database} (${doomed.join(', ')})? What they hold cannot be restored afterwards.`;
    const confirmed = options.yes || (await confirm(question));
    if (!confirmed) {
      throw new CliFailure(
        appError('confirmation-required', `Not removed: ${doomed.join(', ')} would be dropped, and that needs your confirmation.`, {
          remediation: 'Answer the prompt, or pass --yes when not interactive (`skeldir-rebuild snapshots` lists them first).',
        }),
        2,
      );
    }
    const { removed } = unwrap(await service.call('pruneSnapshots', { names: doomed }));
    return { json: { removed }, text: removed.length ? `removed ${removed.join(', ')}` : 'nothing to remove', exitCode: 0 };
  });
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { appError } from '../../../shared/errors/app-error';
import { bundleFromText } from '../../../shared/bundle/bundle';
import { CliFailure, unwrap } from '../cli-outcome';
import { requireSettings, withCliService } from '../cli-service';
import type { CliOptions } from '../parse-args';
import type { CommandIo, CommandOutput } from './command-io';

/**
 * `skeldir-rebuild report [--out FILE] [--format json|html]`: a diagnostic bundle for
 * support staff, as the app's "Save diagnosis" makes it. Read-only (E1 and catalogue queries), redacted, one file. The format
 * comes from --format, else from the file's extension, else JSON; without --out the
 * bundle goes to stdout. Exit 0 once the bundle is written, whatever it found: a
 * broken database is exactly what a bundle is for.
 */
export type BundleFormat = 'json' | 'html';

export function bundleFormat(options: Pick<CliOptions, 'format' | 'out'>): BundleFormat {
  if (options.format !== undefined) {
    const format = options.format.toLowerCase();
    if (format === 'json' || format === 'html') return format;
    throw new CliFailure(appError('usage', `--format must be json or html, not "${options.format}".`), 2);
  }
  if (!options.out) return 'json';
  const extension = path.extname(options.out).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.html' || extension === '.htm') return 'html';
  throw new CliFailure(
    appError('usage', `Cannot tell the bundle format from "${path.basename(options.out)}".`, {
      remediation: 'Name the file .json or .html, or pass --format json|html.',
    }),
    2,
  );
}

export async function runReportCommand(options: CliOptions, io: CommandIo): Promise<CommandOutput> {
  const format = bundleFormat(options);
  const saved = await withCliService(options, io, async (service) => {
    await requireSettings(service);
    const where = options.embedded ? 'the bundled PostgreSQL' : `${options.host}:${options.port}`;
    io.log(`reading ${where}${options.repo ? ` and ${options.repo}` : ''} (read-only) …`);
    return unwrap(await service.call('saveDiagnosis', { format }));
  });
  const content = saved.content;
  // The page embeds the same JSON, so either format reads back as the bundle it holds.
  const bundle = unwrap(bundleFromText(content, saved.fileName));
  const counts = `${bundle.report.findings.length} finding${bundle.report.findings.length === 1 ? '' : 's'}`;
  if (!options.out) return { json: bundle, text: content, exitCode: 0 };

  const out = path.resolve(options.out);
  try {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, content, 'utf8');
  } catch (error) {
    throw new CliFailure(
      appError('internal', `Could not write the bundle to ${out}.`, {
        detail: error instanceof Error ? error.message : String(error),
        remediation: 'Choose a folder you can write to (--out FILE).',
      }),
      1,
    );
  }
  return {
    json: { out, format, findings: bundle.report.findings.map((f) => f.id), notes: bundle.notes },
    text: `Saved the diagnosis (${format.toUpperCase()}, ${counts}) to ${out}`,
    exitCode: 0,
  };
}

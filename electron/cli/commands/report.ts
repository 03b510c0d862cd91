import * as fs from 'node:fs';
import * as path from 'node:path';
import { appError } from '../../../shared/errors/app-error';
import { collectBundle } from '../../engine/bundle/collect-bundle';
import { CliFailure, requireProfile, withConnection } from '../cli-context';
import type { CliOptions } from '../parse-args';
import type { CommandIo, CommandOutput } from './command-io';

/**
 * `skeldir-rebuild report [--out FILE] [--format json|html]`: a diagnostic bundle for
 * support staff. Read-only (E1 and catalogue queries), redacted, one file. The format
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

/**
 * The HTML page and its graph layout (dagre) are loaded only for --format html: the
 * bundle of every command holds them, and the other commands should not pay their start-up.
 */
async function renderHtml(bundle: Parameters<typeof import('../../engine/bundle/render-html.js').renderBundleHtml>[0]): Promise<string> {
  const { renderBundleHtml } = await import('../../engine/bundle/render-html.js');
  return renderBundleHtml(bundle);
}

export async function runReportCommand(options: CliOptions, io: CommandIo): Promise<CommandOutput> {
  const format = bundleFormat(options);
  const profile = requireProfile(options);
  const bundle = await withConnection(options, io.log, async (connection) => {
    io.log(`reading ${connection.settings.host}:${connection.settings.port}${options.repo ? ` and ${options.repo}` : ''} (read-only) …`);
    return collectBundle({ settings: connection.settings, profile, repoDir: options.repo, pythonFlag: options.python });
  });
  const content = format === 'html' ? await renderHtml(bundle) : `${JSON.stringify(bundle, null, 2)}\n`;
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

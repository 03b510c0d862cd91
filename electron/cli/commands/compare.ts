import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleFromText, type DiagnosticBundle } from '../../../shared/bundle/bundle';
import { appError } from '../../../shared/errors/app-error';
import { comparedAreas, compareBundles, differencesTable } from '../../../shared/bundle/compare-bundles';
import { CliFailure } from '../cli-outcome';
import type { CliOptions } from '../parse-args';
import type { CommandIo, CommandOutput } from './command-io';

/**
 * `skeldir-rebuild compare A.json B.json`: two machines side by side. Reads two
 * bundles (JSON, or the HTML pages `report` writes), prints every difference as a
 * table (JSON with --json). Exit 0 when identical, 1 when they differ, 2 when a file
 * is missing or is not a bundle.
 */
export async function runCompareCommand(options: CliOptions, _io?: CommandIo): Promise<CommandOutput> {
  const [fileA, fileB, ...extra] = options.positionals;
  if (!fileA || !fileB || extra.length > 0) {
    throw new CliFailure(appError('usage', 'compare needs exactly two bundle files: skeldir-rebuild compare A.json B.json.'), 2);
  }
  const a = readBundle(fileA);
  const b = readBundle(fileB);
  const differences = compareBundles(a, b);
  const labelA = `A (${path.basename(fileA)})`;
  const labelB = `B (${path.basename(fileB)})`;
  const describe = (bundle: DiagnosticBundle) =>
    `${bundle.server.host}:${bundle.server.port}, PostgreSQL ${bundle.environment.postgresVersion ?? 'unknown'}, saved ${bundle.createdAt}`;
  const heading = [`A: ${fileA} (${describe(a)})`, `B: ${fileB} (${describe(b)})`, ''];
  const text = differences.length
    ? [...heading, `${differences.length} difference${differences.length === 1 ? '' : 's'}:`, '', differencesTable(differences, labelA, labelB)].join('\n')
    : [...heading, `No differences in ${comparedAreas()}.`].join('\n');
  return {
    json: { a: path.resolve(fileA), b: path.resolve(fileB), identical: differences.length === 0, differences },
    text,
    exitCode: differences.length ? 1 : 0,
  };
}

function readBundle(file: string): DiagnosticBundle {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new CliFailure(
      appError('usage', missing ? `The bundle file ${file} does not exist.` : `The bundle file ${file} cannot be read.`, {
        detail: error instanceof Error ? error.message : String(error),
        remediation: 'Check the path; bundles are written by "skeldir-rebuild report --out FILE.json" or the app\u2019s "Save diagnosis".',
      }),
      2,
    );
  }
  const bundle = bundleFromText(text, file);
  if (!bundle.ok) throw new CliFailure(bundle.error, 2);
  return bundle.value;
}

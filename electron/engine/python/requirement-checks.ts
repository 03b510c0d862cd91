import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PrerequisiteCheck, PythonEnvironment } from '../../../shared/prerequisites/prerequisites';
import { parseRequirementsFile, type Requirement } from '../../../shared/prerequisites/requirement-line';
import { unmetRequirements, type RequirementSource, type UnmetRequirement } from '../../../shared/prerequisites/unmet-requirements';
import type { ImportScan } from './import-scan';
import { isDirectory, readTextIfPresent } from '../platform/fs-probe';

/**
 * The repo's requirements files against the interpreter: one ✗ line (with the pip
 * command) per requirement the migrations or a suite import and the interpreter lacks,
 * a warning for the rest (dev tooling), one ✓ line when all are satisfied.
 */
export interface RequirementsFiles {
  /** Absolute paths, in reading order. */
  files: string[];
  sources: RequirementSource[];
  /** Lines that could not be read. */
  problems: string[];
}

const REQUIREMENTS_FILE = /^requirements.*\.txt$/i;

/**
 * requirements*.txt in the repo root and backend/ (and a requirements/ folder in either),
 * plus what their `-r` lines include. Synchronous: a few small files, read before the probe
 * so it can be told which distributions to describe.
 */
export function readRequirementsFiles(repoDir: string): RequirementsFiles {
  const found: string[] = [];
  for (const dir of [repoDir, path.join(repoDir, 'backend')]) {
    for (const folder of [dir, path.join(dir, 'requirements')]) {
      if (!isDirectory(folder)) continue;
      let names: string[] = [];
      try {
        // requirements.txt first: when a name is in several files, the runtime file's line is the one reported.
        names = fs
          .readdirSync(folder)
          .sort((a, b) => Number(b.toLowerCase() === 'requirements.txt') - Number(a.toLowerCase() === 'requirements.txt') || a.localeCompare(b));
      } catch {
        continue;
      }
      const inRequirementsFolder = path.basename(folder) === 'requirements' && folder !== dir;
      for (const name of names) if (inRequirementsFolder ? name.endsWith('.txt') : REQUIREMENTS_FILE.test(name)) found.push(path.join(folder, name));
    }
  }
  const out: RequirementsFiles = { files: [], sources: [], problems: [] };
  const queue = [...found];
  while (queue.length > 0) {
    const file = path.resolve(queue.shift() as string);
    if (out.files.includes(file)) continue;
    const text = readTextIfPresent(file);
    if (text === undefined) continue;
    out.files.push(file);
    const parsed = parseRequirementsFile(text);
    const shown = path.relative(repoDir, file).split(path.sep).join('/');
    for (const requirement of parsed.requirements) out.sources.push({ file: shown, requirement });
    for (const problem of parsed.problems) out.problems.push(`${shown}:${problem.line}: ${problem.message}`);
    for (const include of parsed.includes) queue.push(path.resolve(path.dirname(file), include));
  }
  return out;
}

/** Distribution names the probe should describe (their top-level modules). */
export function requirementKeys(files: RequirementsFiles): string[] {
  return [...new Set(files.sources.map((source) => source.requirement.key))];
}

export function requirementChecks(
  repoDir: string,
  files: RequirementsFiles,
  environment: PythonEnvironment,
  scan: ImportScan,
  pip: (args: string[]) => string,
): PrerequisiteCheck[] {
  if (files.sources.length === 0) return [];
  const installed = environment.distributions;
  const base = { requirements: files.sources, installed, environment: environment.markers };
  const forMigrations = unmetRequirements({ ...base, imported: scan.migrations });
  const forTests = unmetRequirements({ ...base, imported: scan.tests });
  const key = (u: UnmetRequirement) => `${u.name.toLowerCase()}|${u.via ?? ''}`;
  const migrationNeeds = new Set(forMigrations.filter((u) => u.needed).map(key));
  const testNeeds = new Map(forTests.filter((u) => u.needed).map((u) => [key(u), u] as const));
  const checks: PrerequisiteCheck[] = [];
  const seen = new Set<string>();
  for (const unmet of [...forMigrations, ...forTests]) {
    const id = key(unmet);
    if (seen.has(id)) continue;
    seen.add(id);
    const who = migrationNeeds.has(id) ? 'the migrations' : testNeeds.has(id) ? 'the validation suites' : null;
    const shown = testNeeds.get(id) ?? unmet;
    checks.push({
      id: `requirement-${unmet.name.toLowerCase()}${unmet.via ? `-for-${unmet.via.toLowerCase()}` : ''}`,
      title: `${unmet.via ? `${unmet.name} (for ${unmet.via})` : unmet.wanted} from ${unmet.file}`,
      ok: false,
      detail:
        `${unmet.installed === null ? 'not installed' : `${unmet.installed} installed`}; wanted ${unmet.wanted}. ` +
        (who
          ? `Imported by ${who}${shown.importedAs.length ? ` (${shown.importedAs.join(', ')})` : ''}: they fail without it.`
          : unmet.via
            ? `A dependency of ${unmet.via}, which the rebuild's code imports: it may fail without it.`
            : 'Neither the migrations nor the suites import it (tooling, or application code the rebuild does not load): the rebuild runs without it.'),
      fix: pip([unmet.install]),
      ...(who ? (who === 'the migrations' ? {} : { neededBy: 'tests' as const }) : { level: 'warning' as const }),
    });
  }
  // Blocking lines first (the migrations', then the suites'), warnings last.
  const rank = (check: PrerequisiteCheck) => (check.level === 'warning' ? 2 : check.neededBy === 'tests' ? 1 : 0);
  checks.sort((a, b) => rank(a) - rank(b));
  if (checks.length === 0) {
    const shownFiles = files.files.map((file) => path.relative(repoDir, file).split(path.sep).join('/'));
    checks.push({
      id: 'requirements',
      title: 'Backend requirements satisfied',
      ok: true,
      detail: `${countRequirements(files.sources.map((s) => s.requirement))} requirements of ${shownFiles.join(', ')}, markers evaluated for this interpreter`,
    });
  }
  for (const problem of files.problems.slice(0, 3)) {
    checks.push({ id: `requirements-unreadable-${checks.length}`, title: 'Requirement line not understood', ok: false, level: 'warning', detail: problem });
  }
  return checks;
}

function countRequirements(requirements: Requirement[]): number {
  return new Set(requirements.map((r) => r.key)).size;
}

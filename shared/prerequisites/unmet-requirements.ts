import { EXTRA_NEEDED_BY_IMPORT, guessModules } from './import-names';
import { evaluateMarker, normalizeName, type MarkerEnvironment } from './pep508-marker';
import { parseRequirement, type Requirement } from './requirement-line';
import { formatSpecifiers, satisfies } from './version-specifier';

/**
 * Which requirements of the repo's requirements files this interpreter does not satisfy,
 * and whether the code the rebuild runs (migrations, env.py, the suites and what they
 * import) needs them. Pure: the interpreter's answers and the import scan come in as data.
 */
export interface InstalledDistribution {
  version: string;
  /** Requires-Dist lines of its metadata, as written. */
  requires: string[];
  /** Top-level modules it installs (empty when its metadata does not say). */
  modules: string[];
}

export interface RequirementSource {
  /** Path shown to the user ("backend/requirements.txt"). */
  file: string;
  requirement: Requirement;
}

export interface UnmetRequirement {
  /** The distribution as the requirement names it ("uvicorn", "greenlet"). */
  name: string;
  /** What is wanted ("uvicorn[standard]>=0.24.0", or "any version"). */
  wanted: string;
  /** The installed version; null when not installed. */
  installed: string | null;
  /** The requirement file and line that ask for it (for a dependency: the one naming its parent). */
  file: string;
  line: number;
  /** For a dependency of a requirement: "celery" or "sqlalchemy[asyncio]"; null for a requirement of the file itself. */
  via: string | null;
  /** Modules the code imports that this requirement provides (or, for a dependency, its parent's). */
  importedAs: string[];
  /** True when the code imports it (or an extra it asks for): missing, it fails at import time. */
  needed: boolean;
  /** The argument for `pip install`, without shell quoting. */
  install: string;
}

export interface UnmetInput {
  requirements: RequirementSource[];
  /** Installed distributions by PEP 503 normalized name. */
  installed: Record<string, InstalledDistribution>;
  environment: MarkerEnvironment;
  /** Absolute dotted modules the code imports ("sqlalchemy.ext.asyncio", "celery"). */
  imported: Iterable<string>;
}

export function unmetRequirements(input: UnmetInput): UnmetRequirement[] {
  const imported = [...input.imported];
  const topLevel = new Set(imported.map((module) => module.split('.')[0]));
  const out: UnmetRequirement[] = [];
  const reported = new Set<string>();
  const report = (entry: UnmetRequirement) => {
    const key = `${normalizeName(entry.name)}|${entry.via ?? ''}`;
    if (reported.has(key)) return;
    reported.add(key);
    out.push(entry);
  };
  const walked = new Set<string>();

  for (const { file, requirement } of input.requirements) {
    if (requirement.marker && !evaluateMarker(requirement.marker, { ...input.environment, extra: '' })) continue;
    const dist = input.installed[requirement.key];
    const modules = dist && dist.modules.length > 0 ? dist.modules : guessModules(requirement.key);
    const importedAs = modules.filter((module) => topLevel.has(module));
    const needed = importedAs.length > 0;
    const install = installArgument(requirement.name, requirement.extras, formatSpecifiers(requirement.specifiers));
    const base = { file, line: requirement.line, importedAs, needed };
    if (!dist) {
      report({ name: requirement.name, wanted: wantedText(requirement), installed: null, via: null, install, ...base });
      continue;
    }
    if (!satisfies(dist.version, requirement.specifiers)) {
      report({ name: requirement.name, wanted: wantedText(requirement), installed: dist.version, via: null, install, ...base });
    }
    // Extras asked for in the file, and those an import of the code implies (sqlalchemy.ext.asyncio → [asyncio]).
    const triggers = EXTRA_NEEDED_BY_IMPORT.filter(
      (entry) =>
        normalizeName(entry.distribution) === requirement.key && imported.some((module) => module === entry.module || module.startsWith(`${entry.module}.`)),
    );
    const implied = triggers.map((entry) => entry.extra);
    for (const extra of new Set([...requirement.extras, ...implied])) {
      const extraNeeded = implied.includes(extra) || needed;
      const extraImportedAs = implied.includes(extra) ? triggers.filter((entry) => entry.extra === extra).map((entry) => entry.module) : importedAs;
      for (const dependency of extraDependencies(dist, extra, input.environment)) {
        const installed = input.installed[dependency.key];
        if (installed && satisfies(installed.version, dependency.specifiers)) continue;
        report({
          name: dependency.name,
          wanted: wantedText(dependency),
          installed: installed?.version ?? null,
          via: `${requirement.name}[${extra}]`,
          install: installArgument(requirement.name, [extra], formatSpecifiers(requirement.specifiers)),
          ...base,
          importedAs: extraImportedAs,
          needed: extraNeeded,
        });
      }
    }
    // What the imported distributions need in turn: reported, never blocking, since a
    // dependency may serve only a part of its parent that the code does not load.
    if (needed) {
      for (const missing of missingDependencies(requirement.key, input, walked)) {
        report({ ...missing, file, line: requirement.line, importedAs, needed: false });
      }
    }
  }
  return out.sort((a, b) => Number(b.needed) - Number(a.needed));
}

function wantedText(requirement: Requirement): string {
  const specifiers = formatSpecifiers(requirement.specifiers);
  return `${requirement.name}${requirement.extras.length ? `[${requirement.extras.join(',')}]` : ''}${specifiers || ' (any version)'}`;
}

function installArgument(name: string, extras: string[], specifiers: string): string {
  return `${name}${extras.length ? `[${extras.join(',')}]` : ''}${specifiers}`;
}

function parsedRequires(dist: InstalledDistribution): Requirement[] {
  const out: Requirement[] = [];
  for (const line of dist.requires) {
    const parsed = parseRequirement(line);
    if (parsed && !('message' in parsed)) out.push(parsed);
  }
  return out;
}

/** The Requires-Dist entries that only `extra` brings (their marker is true with it, false without). */
function extraDependencies(dist: InstalledDistribution, extra: string, environment: MarkerEnvironment): Requirement[] {
  return parsedRequires(dist).filter(
    (dependency) =>
      dependency.marker !== null &&
      evaluateMarker(dependency.marker, { ...environment, extra: normalizeName(extra) }) &&
      !evaluateMarker(dependency.marker, { ...environment, extra: '' }),
  );
}

/** Breadth-first through installed dependencies, collecting the ones missing or at a version their parent does not accept. */
function missingDependencies(root: string, input: UnmetInput, walked: Set<string>): Array<Omit<UnmetRequirement, 'file' | 'line' | 'importedAs' | 'needed'>> {
  const out: Array<Omit<UnmetRequirement, 'file' | 'line' | 'importedAs' | 'needed'>> = [];
  const queue = [root];
  while (queue.length > 0) {
    const key = queue.shift() as string;
    if (walked.has(key)) continue;
    walked.add(key);
    const dist = input.installed[key];
    if (!dist) continue;
    for (const dependency of parsedRequires(dist)) {
      if (dependency.marker && !evaluateMarker(dependency.marker, { ...input.environment, extra: '' })) continue;
      const installed = input.installed[dependency.key];
      if (!installed || !satisfies(installed.version, dependency.specifiers)) {
        out.push({
          name: dependency.name,
          wanted: wantedText(dependency),
          installed: installed?.version ?? null,
          via: key,
          install: installArgument(dependency.name, dependency.extras, formatSpecifiers(dependency.specifiers)),
        });
        continue;
      }
      queue.push(dependency.key);
    }
  }
  return out;
}

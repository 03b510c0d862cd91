import type { Profile } from '../profile/schema';

/** pytest options whose value is the next word, so the value is not taken for a test path (the workflow reader and the parity check both split pytest command lines). */
export const PYTEST_OPTIONS_WITH_VALUE: ReadonlySet<string> = new Set([
  '-k',
  '-m',
  '-c',
  '-p',
  '-o',
  '--junitxml',
  '--junit-xml',
  '--rootdir',
  '--maxfail',
  '--tb',
  '-n',
  '--timeout',
  '--cov',
  '--cov-report',
  '--log-level',
  '--durations',
  '--deselect',
  '--ignore',
  '--confcutdir',
  '--basetemp',
]);

/**
 * What the project's CI does to its PostgreSQL, as facts a parity matrix can hold
 * against a local machine. Read from `.github/workflows/*.yml` when the repository has
 * them (electron/engine/ci/read-workflows.ts), from the profile's `ci` section
 * otherwise. Plain data, so a bundle can carry it and the app can show it.
 */
export interface CiExpectations {
  /** Where these facts come from: the repository's workflow files, or the profile as a stand-in. */
  source: 'workflow' | 'profile';
  /** Workflow files read, relative to the repository (".github/workflows/ci.yml"); empty for 'profile'. */
  files: string[];
  /** The PostgreSQL image CI runs, e.g. "postgres:15-alpine"; the first one when a matrix names several. */
  postgresImage: string | null;
  /** Its major version; the lowest one when a matrix runs several. */
  postgresMajor: number | null;
  /** Every major CI runs (a matrix `postgres: [15, 16]` gives [15, 16]); empty when unknown. */
  postgresMajors: number[];
  /** Roles CI creates or connects as, in the order CI meets them (superuser "postgres" left out). */
  roles: string[];
  /** The application database CI creates (or connects to); null when the workflow never names one. */
  database: string | null;
  /** `alembic upgrade` targets, in the order CI runs them. */
  migrationSteps: string[];
  /** Database-level settings CI sets (ALTER DATABASE … SET name = 'value'). */
  gucs: Record<string, string>;
  /**
   * pytest commands as CI runs them. A step's working-directory is written as a
   * `cd DIR && ` prefix, so the command reads the same as a person would type it.
   */
  pytestCommands: string[];
  /** Where CI runs the tests (`runs-on`, e.g. "ubuntu-latest"). */
  platform: string | null;
  /** The Python version CI sets up (actions/setup-python), when it says. */
  pythonVersion: string | null;
  /** What could not be read, what was assumed, what else CI does: for the person reading the matrix. */
  notes: string[];
}

/** The profile's statement of CI, used when the repository has no workflow files to read. */
export function ciExpectationsFromProfile(profile: Profile, notes: string[] = []): CiExpectations {
  const major = profile.ci.postgresMajor;
  return {
    source: 'profile',
    files: [],
    postgresImage: profile.ci.postgresImage ?? null,
    postgresMajor: major,
    postgresMajors: [major],
    roles: profile.roles.map((role) => role.name),
    database: profile.database.name,
    migrationSteps: profile.migrations.plan && profile.migrations.plan.length > 0 ? [...profile.migrations.plan] : [profile.migrations.target],
    gucs: Object.fromEntries(profile.gucs.map((guc) => [guc.name, guc.value])),
    pytestCommands: profile.validationSuites.map((suite) => `pytest ${suite} -v`),
    platform: profile.ci.testPlatform,
    pythonVersion: null,
    notes: [...notes, `CI facts come from the profile "${profile.name}", not from a workflow file.`],
  };
}

/**
 * The test files a pytest command names, relative to the repository: `cd backend &&
 * pytest tests/a.py -v` gives ["backend/tests/a.py"]. Options and their values are
 * skipped; a `path::test` selector keeps its path.
 */
export function pytestPaths(command: string): string[] {
  let dir = '';
  let rest = command.trim();
  const cd = /^cd\s+("[^"]*"|'[^']*'|\S+)\s*&&\s*/.exec(rest);
  if (cd) {
    dir = cd[1]
      .replace(/^["']|["']$/g, '')
      .replace(/^\.\/?/, '')
      .replace(/\/+$/, '');
    rest = rest.slice(cd[0].length);
  }
  const words = shellWords(rest);
  const start = words.findIndex((w) => w === 'pytest' || w === 'py.test' || w.endsWith('/pytest'));
  if (start < 0) return [];
  const paths: string[] = [];
  for (let i = start + 1; i < words.length; i++) {
    const word = words[i];
    if (word.startsWith('-')) {
      if (PYTEST_OPTIONS_WITH_VALUE.has(word)) i++;
      continue;
    }
    if (/^[|;&>]/.test(word)) break;
    const file = word.split('::')[0];
    paths.push(normalizePath(dir ? `${dir}/${file}` : file));
  }
  return paths;
}

/** Whitespace-separated words, with '…' and "…" kept whole (quotes removed). */
function shellWords(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

function normalizePath(value: string): string {
  const out: string[] = [];
  for (const part of value.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

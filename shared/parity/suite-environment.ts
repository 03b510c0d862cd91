/**
 * The environment R5 gives one pytest suite, as the user may see it: every variable
 * with its value (passwords redacted) and where that value came from (the CI step that
 * runs the suite, or the guide). The engine keeps the real values to itself; this is
 * what a report, a bundle, the Parity view and the CLI show.
 */
export interface SuiteEnvironmentVariable {
  name: string;
  /** The value the suite got, with any password replaced by ***. */
  value: string;
  /** Where the value came from, e.g. `ci.yml, job "tests", step "Run tests" env (rewritten to the local database)`. */
  source: string;
}

export interface SuiteEnvironment {
  /** The profile's suite file, relative to the repository. */
  suite: string;
  /** 'workflow': a CI step runs this file; 'guide': none does, so the guide's environment is used. */
  source: 'workflow' | 'guide';
  /** The CI step whose environment was used; null for 'guide'. */
  step: string | null;
  /** Where pytest runs, relative to the repository ('' = its root). */
  workingDirectory: string;
  /** The argument pytest is given (the suite file, relative to the working directory). */
  pytestArgument: string;
  variables: SuiteEnvironmentVariable[];
  /** Variables CI's step sets that this run left unset (secrets, remote hosts, unresolved expressions). */
  unsetFromCi: string[];
  /** What was assumed or left out, for the person reading it. */
  notes: string[];
}

/** A suite that R5 holds back because its code points a connection string at another host. */
export interface RemoteConnectionHit {
  /** Repository-relative file with the assignment. */
  file: string;
  line: number;
  /** The variable or environment entry assigned, e.g. `os.environ["DATABASE_URL"]` or `TEST_DSN`. */
  target: string;
  /** The host the string names. */
  host: string;
  /** true: set whatever the environment says; false: a fallback (setdefault, `if … not in os.environ`). */
  unconditional: boolean;
}

/** The R5 gate's per-suite environments from its details (a report or a bundle), tolerant of older reports without them. */
export function suiteEnvironmentsOf(details: unknown): SuiteEnvironment[] {
  if (typeof details !== 'object' || details === null) return [];
  const list = (details as { environments?: unknown }).environments;
  if (!Array.isArray(list)) return [];
  return list.filter(isSuiteEnvironment);
}

function isSuiteEnvironment(value: unknown): value is SuiteEnvironment {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SuiteEnvironment>;
  return typeof v.suite === 'string' && (v.source === 'workflow' || v.source === 'guide') && Array.isArray(v.variables) && Array.isArray(v.notes);
}

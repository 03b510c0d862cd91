import type { GateReport, RunReport } from '../report/report';
import { pytestPaths, type CiExpectations } from './ci-expectations';
import { suiteEnvironmentsOf } from './suite-environment';

/**
 * The guide's CI/local parity matrix with CI read from the project's own workflow
 * files (or the profile): each row holds what CI does against what this machine has
 * or plans, and says why they differ. Pure: a bundle stores the rows, the HTML page
 * and the app print them, tests build them from literals.
 */
export type CiParityStatus = 'ok' | 'warn' | 'error';

export type CiParityRowId = 'postgres' | 'roles' | 'database' | 'migrations' | 'tables' | 'guc' | 'tests';

export interface CiParityRow {
  id: CiParityRowId;
  /** The guide's row name. */
  component: string;
  ci: string;
  local: string;
  status: CiParityStatus;
  /** Why the status is what it is, in the user's words; '' when there is nothing to add. */
  note: string;
}

export interface LocalFacts {
  /** The last diagnosis (E1) or run; null before the first one. */
  report: RunReport | null;
  /** The local migration plan (PlanView fits); `target` is the plan's final target when known. */
  plan: { steps: Array<{ target: string }>; target?: string } | null;
  /** The interpreter R4/R5 use (PythonInfo fits); null: none found; absent: not checked. */
  python?: { version: string | null } | null;
  /** Every role on the server (a bundle reads them); else the report's (older reports know only the profile's roles). */
  serverRoles?: string[];
  /** Where this machine runs pytest: a Node platform ("win32") or a label. */
  platform?: string | null;
  /** The newest R5 result when the report has none (a diagnosis does not run the tests). */
  lastValidation?: GateReport | null;
  /** The profile's pytest files, relative to the repository. */
  validationSuites?: string[];
}

const NOT_CHECKED = 'not checked yet';
const RUN_DIAGNOSE = 'Run Diagnose to read this machine\u2019s state.';

export function compareCiWithLocal(ci: CiExpectations, local: LocalFacts): CiParityRow[] {
  return [
    postgresRow(ci, local),
    rolesRow(ci, local),
    databaseRow(ci, local),
    migrationsRow(ci, local),
    tablesRow(ci, local),
    gucRow(ci, local),
    testsRow(ci, local),
  ];
}

function postgresRow(ci: CiExpectations, { report }: LocalFacts): CiParityRow {
  const majors = ci.postgresMajors.length ? ci.postgresMajors : ci.postgresMajor !== null ? [ci.postgresMajor] : [];
  const ciText =
    majors.length === 0
      ? (ci.postgresImage ?? 'unknown')
      : `${majors.join(' and ')}${ci.postgresImage ? ` (${ci.postgresImage}${majors.length > 1 ? ', matrix' : ''})` : ''}`;
  const base = { id: 'postgres' as const, component: 'PostgreSQL version', ci: ciText };
  if (!report) return { ...base, local: NOT_CHECKED, status: 'warn', note: RUN_DIAGNOSE };
  const { server } = report;
  if (server.major === null) return { ...base, local: 'not reachable', status: 'error', note: `PostgreSQL did not answer on ${server.host}:${server.port}.` };
  const local = `${server.version ?? server.major}${server.embedded ? ' (bundled)' : ''}`;
  if (majors.length === 0) return { ...base, local, status: 'warn', note: 'CI\u2019s workflow names no PostgreSQL version to compare with.' };
  if (majors.includes(server.major))
    return { ...base, local, status: 'ok', note: majors.length > 1 ? `CI runs a matrix; ${server.major} is one of its versions.` : '' };
  const lowest = Math.min(...majors);
  const highest = Math.max(...majors);
  if (server.major < lowest)
    return { ...base, local, status: 'error', note: `Older than CI\u2019s ${lowest}: install PostgreSQL ${lowest} or use the bundled server.` };
  if (server.major > highest)
    return { ...base, local, status: 'warn', note: `Newer than CI\u2019s ${highest}: usually fine, but behaviour can differ from CI.` };
  return { ...base, local, status: 'warn', note: `CI runs ${majors.join(' and ')}, not ${server.major}.` };
}

function rolesRow(ci: CiExpectations, { report, serverRoles }: LocalFacts): CiParityRow {
  const base = { id: 'roles' as const, component: 'Roles', ci: ci.roles.length ? ci.roles.join(', ') : 'none created' };
  const db = report?.database;
  if (!db) return { ...base, local: NOT_CHECKED, status: 'warn', note: RUN_DIAGNOSE };
  const profileRoles = union(db.roles, db.missingRoles);
  // The roles the diagnosis saw on the server, so the app and a saved diagnosis judge CI's roles alike.
  const known = serverRoles ?? db.serverRoles;
  const has = (role: string): boolean | null => (known ? known.includes(role) : db.roles.includes(role) ? true : db.missingRoles.includes(role) ? false : null);
  const missing = ci.roles.filter((r) => has(r) === false);
  const unknown = ci.roles.filter((r) => has(r) === null);
  const present = union(
    ci.roles.filter((r) => has(r) === true),
    profileRoles.filter((r) => has(r) === true),
  );
  const local = present.length ? present.join(', ') : 'none';
  const notes: string[] = [];
  const notInProfile = missing.filter((r) => !profileRoles.includes(r));
  const bootstrapMakes = missing.filter((r) => profileRoles.includes(r));
  if (bootstrapMakes.length) notes.push(`Missing: ${bootstrapMakes.join(', ')}. Bootstrap (E2) creates ${bootstrapMakes.length === 1 ? 'it' : 'them'}.`);
  if (notInProfile.length)
    notes.push(
      `CI creates ${notInProfile.join(', ')}, which the profile does not list: bootstrap will not create ${notInProfile.length === 1 ? 'it' : 'them'}.`,
    );
  if (unknown.length) notes.push(`CI creates ${unknown.join(', ')}; not checked here (the profile does not list ${unknown.length === 1 ? 'it' : 'them'}).`);
  const profileOnly = profileRoles.filter((r) => !ci.roles.includes(r));
  if (profileOnly.length && ci.roles.length) notes.push(`The profile also creates ${profileOnly.join(', ')}, which CI does not.`);
  const status: CiParityStatus = missing.length ? 'error' : unknown.length || profileOnly.length || ci.roles.length === 0 ? 'warn' : 'ok';
  return { ...base, local, status, note: notes.join(' ') };
}

function databaseRow(ci: CiExpectations, { report }: LocalFacts): CiParityRow {
  const base = { id: 'database' as const, component: 'Database', ci: ci.database ?? 'not named' };
  const db = report?.database;
  if (!db) return { ...base, local: NOT_CHECKED, status: 'warn', note: RUN_DIAGNOSE };
  const local = db.exists ? `${db.name} (owner ${db.owner ?? 'unknown'})` : `${db.name}: does not exist`;
  if (ci.database === null) return { ...base, local, status: 'warn', note: 'CI\u2019s workflow names no application database.' };
  if (ci.database !== db.name) return { ...base, local, status: 'error', note: `CI uses ${ci.database}; the profile uses ${db.name}.` };
  if (!db.exists) return { ...base, local, status: 'error', note: 'Bootstrap (E3) creates it.' };
  return { ...base, local, status: 'ok', note: '' };
}

function upgrades(targets: string[]): string {
  return targets.map((t) => `\`alembic upgrade ${t}\``).join(' then ');
}

function migrationsRow(ci: CiExpectations, { report, plan }: LocalFacts): CiParityRow {
  const steps = ci.migrationSteps;
  const base = { id: 'migrations' as const, component: 'Migration target', ci: steps.length ? upgrades(steps) : 'no alembic upgrade found' };
  if (!plan) return { ...base, local: 'no plan (repository not known)', status: 'warn', note: 'Choose the backend repository to compare the migration plan.' };
  const targets = plan.steps.map((s) => s.target);
  const rows = report?.database?.alembicVersion ?? null;
  const local = targets.length ? `plan: ${upgrades(targets)}` : `nothing to run${rows && rows.length ? ` (at ${rows.join(', ')})` : ''}`;
  if (steps.length === 0)
    return { ...base, local, status: 'warn', note: 'CI\u2019s workflow runs no `alembic upgrade`: its schema is not built the way this machine\u2019s is.' };
  const last = steps[steps.length - 1];
  const ciSentence = `CI runs ${upgrades(steps)}`;
  if (plan.target !== undefined && plan.target !== last) {
    return { ...base, local, status: 'error', note: `${ciSentence}; the local plan upgrades to ${plan.target}.` };
  }
  if (same(targets, steps)) return { ...base, local, status: 'ok', note: `${ciSentence}; local plan: the same.` };
  if (targets.length === 0) {
    return plan.target !== undefined
      ? { ...base, local, status: 'ok', note: `${ciSentence}; this database is already at ${last}.` }
      : { ...base, local, status: 'warn', note: `${ciSentence}; the local plan runs nothing.` };
  }
  if (same(targets, steps.slice(steps.length - targets.length))) {
    return { ...base, local, status: 'ok', note: `${ciSentence}; local plan: ${upgrades(targets)} only (the earlier steps have nothing left to run here).` };
  }
  if (targets[targets.length - 1] === last) {
    return { ...base, local, status: 'warn', note: `${ciSentence}; the local plan reaches the same target by other steps: ${upgrades(targets)}.` };
  }
  return { ...base, local, status: 'error', note: `${ciSentence}; the local plan runs ${upgrades(targets)}.` };
}

function tablesRow(ci: CiExpectations, { report }: LocalFacts): CiParityRow {
  const db = report?.database;
  const expected = db
    ? union(
        db.tables.filter((t) => !db.otherTables.includes(t) && t !== 'alembic_version'),
        db.missingTables,
      )
    : [];
  const after = ci.migrationSteps.length ? `after ${upgrades([ci.migrationSteps[ci.migrationSteps.length - 1]])}` : 'the profile\u2019s expected tables';
  const base = { id: 'tables' as const, component: 'Tables', ci: expected.length ? `${expected.length} core tables ${after}` : after };
  if (!db) return { ...base, local: NOT_CHECKED, status: 'warn', note: RUN_DIAGNOSE };
  if (!db.exists) return { ...base, local: 'no database', status: 'error', note: 'The database does not exist yet.' };
  const present = expected.filter((t) => db.tables.includes(t));
  const local = `${present.length} of ${expected.length} present`;
  if (db.missingTables.length) return { ...base, local, status: 'error', note: `Missing: ${db.missingTables.join(', ')}.` };
  return { ...base, local, status: 'ok', note: '' };
}

function gucRow(ci: CiExpectations, { report }: LocalFacts): CiParityRow {
  const entries = Object.entries(ci.gucs);
  const base = { id: 'guc' as const, component: 'Custom GUC', ci: entries.length ? entries.map(([n, v]) => `${n} = '${v}'`).join(', ') : 'none set' };
  const db = report?.database;
  if (!db) return { ...base, local: NOT_CHECKED, status: 'warn', note: RUN_DIAGNOSE };
  if (!db.exists || db.guc === null) return { ...base, local: 'no database', status: 'error', note: 'The database does not exist yet.' };
  const guc = db.guc;
  const custom = Object.keys(guc).filter((name) => name.includes('.'));
  const names = union(
    entries.map(([n]) => n),
    custom,
  );
  const local =
    names
      .filter((n) => guc[n] !== undefined)
      .map((n) => `${n} = '${guc[n]}'`)
      .join(', ') || 'not set';
  const missing = entries.filter(([n]) => guc[n] === undefined).map(([n]) => n);
  const differs = entries.filter(([n, v]) => guc[n] !== undefined && guc[n] !== v).map(([n, v]) => `${n} is '${guc[n]}' here, '${v}' in CI`);
  const localOnly = custom.filter((n) => ci.gucs[n] === undefined);
  const notes: string[] = [];
  if (missing.length) notes.push(`Not set on the database: ${missing.join(', ')} (failure 3). Bootstrap step 8 sets it.`);
  if (differs.length) notes.push(`${differs.join('; ')}.`);
  if (localOnly.length) notes.push(`Set here but not by CI: ${localOnly.join(', ')}.`);
  const status: CiParityStatus = missing.length ? 'error' : differs.length || localOnly.length ? 'warn' : 'ok';
  return { ...base, local, status, note: notes.join(' ') };
}

function testsRow(ci: CiExpectations, local: LocalFacts): CiParityRow {
  // Once each: two steps that run the same file (with and without coverage, say) are one file CI tests.
  const ciPaths = [...new Set(ci.pytestCommands.flatMap(pytestPaths))];
  const ciText = `pytest (${ci.platform ?? 'platform unknown'}${ci.pythonVersion ? `, Python ${ci.pythonVersion}` : ''})${ciPaths.length ? `: ${ciPaths.join(', ')}` : ''}`;
  const base = { id: 'tests' as const, component: 'Test execution', ci: ci.pytestCommands.length ? ciText : 'no pytest command found' };
  const platform = local.platform ? platformLabel(local.platform) : null;
  const python = local.python === undefined ? undefined : (local.python?.version ?? null);
  const gate = local.report?.gates.find((g) => g.id === 'R5' && g.status !== 'blocked') ?? local.lastValidation ?? null;
  const where = [platform, python ? `Python ${python}` : null].filter(Boolean).join(', ');
  const result = gate ? gateResult(gate) : 'not run yet';
  const text = `pytest${where ? ` (${where})` : ''}: ${result}`;

  const notes: string[] = [];
  let status: CiParityStatus = 'ok';
  const worse = (next: CiParityStatus) => {
    if (next === 'error' || (next === 'warn' && status === 'ok')) status = next;
  };
  if (python === null) {
    worse('error');
    notes.push('No Python interpreter with pytest was found (see the prerequisite checks).');
  } else if (python && ci.pythonVersion && !python.startsWith(`${ci.pythonVersion}.`) && python !== ci.pythonVersion && /^\d+\.\d+$/.test(ci.pythonVersion)) {
    worse('warn');
    notes.push(`CI sets up Python ${ci.pythonVersion}; this machine has ${python}.`);
  }
  if (!gate) {
    worse('warn');
    notes.push('Rebuild runs the validation tests (R5).');
  } else if (gate.status === 'failed') {
    const nested = local.report?.findings.some((f) => f.id === 'FM4');
    worse(nested ? 'warn' : 'error');
    notes.push(
      nested
        ? 'Event loop issue (failure 4): _run_async() nests event loops; a test-infrastructure bug, not a schema problem.'
        : 'See the test results for the failing tests.',
    );
  } else if (gate.status !== 'passed') {
    worse('warn');
    notes.push(gate.status === 'skipped' ? 'The last rebuild skipped validation.' : 'The tests have not completed.');
  }
  if (local.validationSuites && ciPaths.length) {
    const notRun = ciPaths.filter((p) => !local.validationSuites?.includes(p));
    const notInCi = local.validationSuites.filter((p) => !ciPaths.includes(p));
    if (notRun.length) {
      worse('warn');
      notes.push(`CI also runs ${notRun.join(', ')}, which R5 does not.`);
    }
    if (notInCi.length) {
      worse('warn');
      notes.push(`R5 runs ${notInCi.join(', ')}, which CI does not.`);
    }
  }
  if (platform && ci.platform && !sameFamily(platform, ci.platform)) notes.push(`CI runs the tests on ${ci.platform}, this machine on ${platform}.`);
  // How R5 ran them: with the CI step's environment, or the guide's where no step names the file.
  const environments = gate ? suiteEnvironmentsOf(gate.details) : [];
  if (environments.length) {
    const guide = environments.filter((env) => env.source === 'guide').length;
    notes.push(
      guide === 0
        ? 'R5 ran each suite with its CI step’s environment (listed under the matrix).'
        : `${guide} of ${environments.length} suites ran with the guide’s environment: no CI step names them.`,
    );
    const unset = [...new Set(environments.flatMap((env) => env.unsetFromCi))];
    if (unset.length) {
      worse('warn');
      notes.push(`CI sets ${unset.join(', ')}, which R5 left unset (a secret, another server, or an expression only GitHub can resolve).`);
    }
  }
  if (ci.pytestCommands.length === 0) {
    worse('warn');
    notes.push('CI\u2019s workflow runs no pytest command.');
  }
  return { ...base, local: text, status, note: notes.join(' ') };
}

function gateResult(gate: GateReport): string {
  const suites = gate.details?.suites;
  let counts = '';
  if (Array.isArray(suites)) {
    let passed = 0;
    let failed = 0;
    for (const suite of suites as Array<Record<string, unknown>>) {
      passed += typeof suite.passed === 'number' ? suite.passed : 0;
      failed += (typeof suite.failed === 'number' ? suite.failed : 0) + (typeof suite.errors === 'number' ? suite.errors : 0);
    }
    counts = ` (${passed} passed${failed ? `, ${failed} failed` : ''})`;
  }
  return `R5 ${gate.status}${counts}`;
}

function platformLabel(platform: string): string {
  const known: Record<string, string> = { win32: 'Windows', linux: 'Linux', darwin: 'macOS' };
  return known[platform] ?? platform;
}

function sameFamily(local: string, ci: string): boolean {
  const family = (text: string) =>
    /win/i.test(text)
      ? 'windows'
      : /mac|darwin|osx/i.test(text)
        ? 'macos'
        : /ubuntu|linux|debian|alpine|fedora|centos/i.test(text)
          ? 'linux'
          : text.toLowerCase();
  return family(local) === family(ci);
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

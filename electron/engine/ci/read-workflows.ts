import * as fs from 'node:fs';
import * as path from 'node:path';
import { ciExpectationsFromProfile, type CiExpectations } from '../../../shared/parity/ci-expectations';
import type { Profile } from '../../../shared/profile/schema';
import {
  envOf,
  isObject,
  matrixCombos,
  parseWorkflow,
  resolveExpressions,
  scalar,
  workingDirectoryOf,
  type Combo,
  type Json,
  type JsonObject,
  type WorkflowFile,
} from './github-workflow';
import {
  commands,
  findProgram,
  firstPositional,
  joinPath,
  lastPositional,
  optionValues,
  quoteIfNeeded,
  scriptOf,
  shellAssignments,
  stripHeredocBodies,
  substituteShellVariables,
} from './shell-commands';

/**
 * Reads what the project's own CI does to PostgreSQL from `.github/workflows/*.yml`,
 * so the parity matrix compares a machine with what CI really runs rather than with
 * what the profile says CI runs. Workflows are free-form shell inside YAML, so this
 * is a careful reading, not an interpreter: service images, matrix values and env
 * are resolved; `run:` scripts are scanned for SQL (psql -c, heredocs, -f files),
 * createuser/createdb, `alembic upgrade` and pytest; whatever cannot be resolved
 * becomes a note the reader sees. Never throws: an unreadable or malformed file is
 * a note naming the file, and no usable workflow falls back to the profile.
 */
/** Reads a file of the repository for `psql -f` and `./script.sh` steps; null when it cannot. */
export type RepoFileReader = (relativePath: string) => string | null;

const WORKFLOW_DIR = path.join('.github', 'workflows');
const MAX_FILE_BYTES = 1_000_000;
const MAX_SCRIPT_DEPTH = 3;
/** Roles and databases every PostgreSQL image has; CI "having" them says nothing. */
const BUILT_IN_ROLES = new Set(['postgres']);
const BUILT_IN_DATABASES = new Set(['postgres', 'template0', 'template1']);

export async function readWorkflows(repoDir: string, profile: Profile): Promise<CiExpectations> {
  const read = await readWorkflowFiles(repoDir);
  if (read.missing) return ciExpectationsFromProfile(profile, [read.missing]);
  const { files, notes } = read;
  const expectations = ciExpectationsFromWorkflows(files, profile, repoFileReader(repoDir));
  return { ...expectations, notes: [...notes, ...expectations.notes] };
}

/** The workflow files' texts (R5 reads them too, for each suite's environment); `missing` says why there are none. */
export async function readWorkflowFiles(repoDir: string): Promise<{ files: WorkflowFile[]; notes: string[]; missing: string | null }> {
  const dir = path.join(repoDir, WORKFLOW_DIR);
  let names: string[];
  try {
    names = (await fs.promises.readdir(dir)).filter((name) => /\.ya?ml$/i.test(name)).sort();
  } catch {
    return { files: [], notes: [], missing: `The repository has no ${toPosix(WORKFLOW_DIR)} folder.` };
  }
  if (names.length === 0) return { files: [], notes: [], missing: `${toPosix(WORKFLOW_DIR)} holds no .yml or .yaml file.` };
  const files: WorkflowFile[] = [];
  const notes: string[] = [];
  for (const name of names) {
    const relative = `${toPosix(WORKFLOW_DIR)}/${name}`;
    try {
      const stat = await fs.promises.stat(path.join(dir, name));
      if (stat.size > MAX_FILE_BYTES) {
        notes.push(`${relative} is larger than 1 MB; not read.`);
        continue;
      }
      files.push({ path: relative, text: await fs.promises.readFile(path.join(dir, name), 'utf8') });
    } catch (error) {
      notes.push(`${relative} could not be read (${error instanceof Error ? error.message : String(error)}).`);
    }
  }
  return { files, notes, missing: null };
}

/** Reads files inside the repository only, and only small ones. */
export function repoFileReader(repoDir: string): RepoFileReader {
  const root = path.resolve(repoDir);
  return (relativePath) => {
    const full = path.resolve(root, relativePath);
    if (full !== root && !full.startsWith(root + path.sep)) return null;
    try {
      if (fs.statSync(full).size > MAX_FILE_BYTES) return null;
      return fs.readFileSync(full, 'utf8');
    } catch {
      return null;
    }
  };
}

/** The pure part: workflow texts in, CI expectations out. */
export function ciExpectationsFromWorkflows(files: WorkflowFile[], profile: Profile, readFile: RepoFileReader = () => null): CiExpectations {
  const notes: string[] = [];
  const runs: JobRun[] = [];
  const parsedFiles: string[] = [];
  for (const file of files) {
    const workflow = parseWorkflow(file, notes);
    if (!workflow) continue;
    parsedFiles.push(file.path);
    runs.push(...analyseWorkflow(file.path, workflow, readFile, notes));
  }
  const relevant = runs.filter(isRelevant);
  if (relevant.length === 0) {
    const read = parsedFiles.length
      ? `${parsedFiles.join(', ')} ${parsedFiles.length === 1 ? 'sets' : 'set'} up no PostgreSQL and ${parsedFiles.length === 1 ? 'runs' : 'run'} no Alembic or pytest`
      : 'No workflow file could be used';
    return ciExpectationsFromProfile(profile, [...notes, `${read}: falling back to the profile.`]);
  }
  return { ...mergeRuns(relevant, notes), files: parsedFiles };
}

// ---------------------------------------------------------------------------
// Jobs, matrices and expressions

/** What one job does under one matrix combination. */
interface JobRun {
  where: string;
  images: string[];
  majors: number[];
  platforms: string[];
  createdRoles: string[];
  urlUsers: string[];
  serviceUsers: string[];
  createdDatabases: string[];
  urlDatabases: string[];
  serviceDatabases: string[];
  gucs: Array<{ database: string; name: string; value: string }>;
  migrationSteps: string[];
  pytest: string[];
  pythonVersion: string | null;
}

function analyseWorkflow(file: string, workflow: JsonObject, readFile: RepoFileReader, notes: string[]): JobRun[] {
  const runs: JobRun[] = [];
  const workflowEnv = envOf(workflow.env);
  const workflowDefaults = workingDirectoryOf(workflow.defaults);
  for (const [jobId, job] of Object.entries(workflow.jobs as JsonObject)) {
    if (!isObject(job)) continue;
    const where = `job "${jobId}" in ${file}`;
    if (typeof job.uses === 'string') notes.push(`${where} calls ${job.uses}; a called workflow in this folder is read on its own, others are not.`);
    const combos = matrixCombos(isObject(job.strategy) ? job.strategy.matrix : undefined, where, notes);
    const jobRuns = combos.map((combo) => analyseJob(where, job, combo, workflowEnv, workflowDefaults, readFile, notes));
    const sequences = new Set(jobRuns.map((r) => r.migrationSteps.join(' → ')));
    if (sequences.size > 1) notes.push(`${where} runs different Alembic upgrades per matrix entry: ${[...sequences].map((s) => s || 'none').join(' | ')}.`);
    runs.push(...jobRuns);
  }
  return runs;
}

function analyseJob(
  where: string,
  job: JsonObject,
  combo: Combo,
  workflowEnv: Record<string, string>,
  workflowDefaults: string | null,
  readFile: RepoFileReader,
  notes: string[],
): JobRun {
  const run: JobRun = {
    where,
    images: [],
    majors: [],
    platforms: [],
    createdRoles: [],
    urlUsers: [],
    serviceUsers: [],
    createdDatabases: [],
    urlDatabases: [],
    serviceDatabases: [],
    gucs: [],
    migrationSteps: [],
    pytest: [],
    pythonVersion: null,
  };
  const note = (text: string) => pushUnique(notes, text);
  const jobEnv = resolveEnv({ ...workflowEnv, ...envOf(job.env) }, combo);
  for (const value of Object.values(jobEnv)) collectUrls(value, run);

  // runs-on: a label, a list of labels, or { group, labels }.
  const runsOn = job['runs-on'];
  const labels = Array.isArray(runsOn)
    ? runsOn.map(scalar).filter(isString)
    : isObject(runsOn)
      ? [scalar(runsOn.labels) ?? scalar(runsOn.group)].filter(isString)
      : [scalar(runsOn)].filter(isString);
  let platform = labels.length ? resolveExpressions(labels.join(', '), combo, jobEnv) : null;

  // Service containers and a job container.
  const containers: Array<{ label: string; spec: Json }> = [];
  if (isObject(job.services)) for (const [name, spec] of Object.entries(job.services)) containers.push({ label: `service "${name}"`, spec });
  if (job.container !== undefined) containers.push({ label: 'job container', spec: job.container });
  for (const { label, spec } of containers) {
    const rawImage = typeof spec === 'string' ? spec : isObject(spec) ? scalar(spec.image) : null;
    if (!rawImage) continue;
    const image = resolveExpressions(rawImage, combo, jobEnv);
    if (!isPostgresImage(image)) {
      // Tests then run inside that container: say so next to the runner.
      if (label === 'job container') platform = `${platform ?? 'runner'} (in container ${image})`;
      continue;
    }
    if (image.includes('${{')) {
      note(`${where}: the ${label} image ${image} uses an expression this reader cannot resolve.`);
      continue;
    }
    pushUnique(run.images, image);
    const major = majorOfImage(image);
    if (major === null) note(`${where}: the image ${image} names no PostgreSQL version (a moving tag such as "latest").`);
    else pushUnique(run.majors, major);
    const env = isObject(spec) ? resolveEnv(envOf(spec.env), combo) : {};
    if (env.POSTGRES_USER && !BUILT_IN_ROLES.has(env.POSTGRES_USER)) pushUnique(run.serviceUsers, env.POSTGRES_USER);
    if (env.POSTGRES_DB && !BUILT_IN_DATABASES.has(env.POSTGRES_DB)) pushUnique(run.serviceDatabases, env.POSTGRES_DB);
  }

  if (platform) run.platforms.push(platform);

  const jobWorkingDirectory = workingDirectoryOf(job.defaults) ?? workflowDefaults;
  const steps = Array.isArray(job.steps) ? job.steps : [];
  for (const step of steps) {
    if (!isObject(step)) continue;
    const stepEnv = resolveEnv({ ...jobEnv, ...envOf(step.env) }, combo);
    for (const value of Object.values(envOf(step.env))) collectUrls(resolveExpressions(value, combo, stepEnv), run);
    if (typeof step.uses === 'string') readAction(step.uses, isObject(step.with) ? step.with : {}, combo, stepEnv, run, where, note);
    const script = scalar(step.run);
    if (script === null) continue;
    const workingDirectory = scalar(step['working-directory']) ?? jobWorkingDirectory;
    const text = resolveExpressions(script, combo, stepEnv);
    analyseScript(
      text,
      { env: { ...stepEnv }, cwd: workingDirectory ? resolveExpressions(workingDirectory, combo, stepEnv) : '', depth: 0, where, readFile, note },
      run,
    );
  }
  return run;
}

function resolveEnv(env: Record<string, string>, combo: Combo): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) out[key] = resolveExpressions(value, combo, out);
  return out;
}

/** `uses:` steps that tell something: setup-python's version, a PostgreSQL setup action's version. */
function readAction(
  uses: string,
  inputs: JsonObject,
  combo: Combo,
  env: Record<string, string>,
  run: JobRun,
  where: string,
  note: (text: string) => void,
): void {
  const input = (name: string) => {
    const value = scalar(inputs[name]);
    return value === null ? null : resolveExpressions(value, combo, env);
  };
  if (/^actions\/setup-python@/i.test(uses)) {
    const version = input('python-version');
    if (version && !run.pythonVersion) run.pythonVersion = version;
    return;
  }
  for (const key of Object.keys(inputs)) {
    if (!/postgres(ql)?[-_ ]?version/i.test(key)) continue;
    const version = input(key);
    const major = version ? /^(\d+)/.exec(version) : null;
    if (major) {
      pushUnique(run.majors, Number(major[1]));
      pushUnique(run.images, `${uses.split('@')[0]} (PostgreSQL ${version})`);
    } else note(`${where}: ${uses} is given PostgreSQL version "${version}", which names no major version.`);
  }
}

function isPostgresImage(image: string): boolean {
  const name = image
    .split('@')[0]
    .replace(/:[^/]*$/, '')
    .toLowerCase();
  return /(^|\/)(postgres(ql)?|postgis|timescaledb[\w-]*|pgvector|cloudnative-pg|postgresql-\w+)$/.test(name) || name.endsWith('/postgres');
}

/** postgres:15-alpine → 15, postgis/postgis:16-3.4 → 16, timescaledb:2.13-pg15 → 15, postgres:latest → null. */
export function majorOfImage(image: string): number | null {
  const withoutDigest = image.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', slash + 1);
  if (colon < 0) return null;
  const tag = withoutDigest.slice(colon + 1);
  const pg = /(?:^|[^a-z])pg(\d{1,2})(?!\d)/i.exec(tag);
  if (pg) return Number(pg[1]);
  const leading = /^v?(\d{1,2})(?:[.\-_]|$)/.exec(tag);
  return leading ? Number(leading[1]) : null;
}

// ---------------------------------------------------------------------------
// run: scripts

interface ScriptContext {
  env: Record<string, string>;
  /** Directory the script runs in, relative to the repository ('' = root). */
  cwd: string;
  depth: number;
  where: string;
  readFile: RepoFileReader;
  note: (text: string) => void;
}

const IDENT = `"(?:[^"]|"")+"|[A-Za-z_][\\w$]*`;
const CREATE_ROLE = new RegExp(`\\bCREATE\\s+(?:ROLE|USER)\\s+(${IDENT})`, 'gi');
const CREATE_DATABASE = new RegExp(`\\bCREATE\\s+DATABASE\\s+(${IDENT})`, 'gi');
const ALTER_DATABASE_SET = new RegExp(
  `\\bALTER\\s+DATABASE\\s+(${IDENT})\\s+SET\\s+("(?:[^"]|"")+"|[A-Za-z_][\\w$]*(?:\\.[A-Za-z_][\\w$]*)*)\\s*(?:=|\\bTO\\b)\\s*('(?:[^']|'')*'|[^\\s;'"\\\\]+)`,
  'gi',
);
const ALTER_ROLE_SET = new RegExp(`\\bALTER\\s+(?:ROLE|USER)\\s+(${IDENT})\\s+(?:IN\\s+DATABASE\\s+(?:${IDENT})\\s+)?SET\\s+([\\w."]+)`, 'gi');

function analyseScript(raw: string, context: ScriptContext, run: JobRun): void {
  // Line continuations and \" inside -c "…" are shell syntax, not SQL.
  let text = raw.replace(/\\\r?\n/g, ' ');
  const assigned = shellAssignments(text);
  Object.assign(context.env, assigned);
  text = substituteShellVariables(text, context.env);
  const sqlText = text.replace(/\\"/g, '"');
  scanSql(sqlText, context, run);
  collectUrls(text, run);
  const postgresPackage = /\bpostgresql-(\d{2})\b/.exec(text);
  if (postgresPackage && run.images.length === 0) {
    pushUnique(run.majors, Number(postgresPackage[1]));
    pushUnique(run.images, `postgresql-${postgresPackage[1]} (installed by apt)`);
  }

  let cwd = context.cwd;
  for (const words of commands(stripHeredocBodies(text))) {
    const command = words[0] ?? '';
    const base = command.split('/').pop() ?? command;
    if (base === 'cd' && words[1]) {
      cwd = joinPath(cwd, words[1]);
      continue;
    }
    const alembicAt = findProgram(words, 'alembic');
    if (alembicAt >= 0) readAlembic(words.slice(alembicAt + 1), context, run);
    const pytestAt = findProgram(words, 'pytest', ['py.test']);
    if (pytestAt >= 0) {
      // Keep `python -m pytest` as written: which interpreter runs the tests matters.
      const from = words[pytestAt - 1] === '-m' ? pytestAt - 2 : pytestAt;
      const commandText = words.slice(from).map(quoteIfNeeded).join(' ');
      pushUnique(run.pytest, cwd ? `cd ${cwd} && ${commandText}` : commandText);
    }
    if (base === 'createuser') {
      const name = lastPositional(words.slice(1), [
        '-c',
        '--connection-limit',
        '-g',
        '--role',
        '--member-of',
        '-a',
        '--with-admin',
        '-m',
        '--with-member',
        '-h',
        '--host',
        '-p',
        '--port',
        '-U',
        '--username',
      ]);
      if (name) pushUnique(run.createdRoles, name);
    }
    if (base === 'createdb') {
      const name = firstPositional(words.slice(1), [
        '-D',
        '--tablespace',
        '-E',
        '--encoding',
        '-l',
        '--locale',
        '-O',
        '--owner',
        '-T',
        '--template',
        '-S',
        '--strategy',
        '-h',
        '--host',
        '-p',
        '--port',
        '-U',
        '--username',
        '--lc-collate',
        '--lc-ctype',
        '--icu-locale',
        '--locale-provider',
        '--maintenance-db',
      ]);
      if (name) pushUnique(run.createdDatabases, name);
    }
    if (base === 'psql') {
      for (const file of optionValues(words.slice(1), ['-f', '--file'])) readIncluded(file, cwd, context, run, 'SQL');
    }
    const script = scriptOf(words);
    if (script) readIncluded(script, cwd, context, run, 'script');
  }
}

function scanSql(text: string, context: ScriptContext, run: JobRun): void {
  for (const match of text.matchAll(CREATE_ROLE)) {
    const name = identifier(match[1]);
    const after = text.slice((match.index ?? 0) + match[0].length);
    if (name === 'mapping' && /^\s+FOR\b/i.test(after)) continue;
    if (!BUILT_IN_ROLES.has(name)) pushUnique(run.createdRoles, name);
  }
  for (const match of text.matchAll(CREATE_DATABASE)) {
    const name = identifier(match[1]);
    if (!BUILT_IN_DATABASES.has(name)) pushUnique(run.createdDatabases, name);
  }
  for (const match of text.matchAll(ALTER_DATABASE_SET)) {
    const value = match[3].startsWith("'") ? match[3].slice(1, -1).replace(/''/g, "'") : match[3];
    if (/^default$/i.test(value)) continue;
    run.gucs.push({ database: identifier(match[1]), name: identifier(match[2]), value });
  }
  for (const match of text.matchAll(ALTER_ROLE_SET)) {
    context.note(`${context.where} sets ${identifier(match[2])} on role ${identifier(match[1])} (a role-level setting, not a database-level one).`);
  }
  if (/\bALTER\s+SYSTEM\s+SET\b/i.test(text)) context.note(`${context.where} changes server settings with ALTER SYSTEM; those are not compared.`);
}

function identifier(raw: string): string {
  return raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw.toLowerCase();
}

function readAlembic(args: string[], context: ScriptContext, run: JobRun): void {
  // Global options come before the subcommand: -c/--config FILE, -n/--name NAME, -x ARG.
  const valued = new Set(['-c', '--config', '-n', '--name', '-x']);
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) i += valued.has(args[i]) ? 2 : 1;
  const sub = args[i];
  if (sub === 'downgrade' || sub === 'stamp') {
    context.note(`${context.where} runs \`alembic ${args.slice(i).join(' ')}\`.`);
    return;
  }
  if (sub !== 'upgrade') return;
  const rest = args.slice(i + 1);
  if (rest.includes('--sql')) {
    context.note(`${context.where} runs \`alembic upgrade ${rest.join(' ')}\` offline (--sql): it prints SQL and changes no database.`);
    return;
  }
  for (let j = 0; j < rest.length; j++) {
    if (rest[j] === '--tag') {
      j++;
      continue;
    }
    if (rest[j].startsWith('-')) continue;
    if (rest[j].includes('${{')) context.note(`${context.where} runs \`alembic upgrade ${rest[j]}\`; the expression is not resolved.`);
    run.migrationSteps.push(rest[j]);
    return;
  }
}

function readIncluded(file: string, cwd: string, context: ScriptContext, run: JobRun, kind: 'SQL' | 'script'): void {
  const relative = joinPath(cwd, file);
  if (file.includes('$')) {
    context.note(`${context.where} runs the ${kind} file ${file}, whose path is not resolved.`);
    return;
  }
  const text = context.depth < MAX_SCRIPT_DEPTH ? context.readFile(relative) : null;
  if (text === null) {
    context.note(`${context.where} runs the ${kind} file ${relative}, which could not be read; what it does is not compared.`);
    return;
  }
  if (kind === 'SQL') scanSql(text, context, run);
  else
    analyseScript(
      text,
      { ...context, env: { ...context.env }, cwd: path.posix.dirname(relative) === '.' ? '' : path.posix.dirname(relative), depth: context.depth + 1 },
      run,
    );
}

// ---------------------------------------------------------------------------
// Connection URLs

// The password may be an expression with spaces (`${{ secrets.DB_PASSWORD }}`).
const POSTGRES_URL = /postgres(?:ql)?(?:\+\w+)?:\/\/(?:([^:@/\s"']+)(?::(?:\$\{\{[^}]*\}\}|[^@\s"'])*)?@)?[^/\s"'?]*(?:\/([^?\s"'#/]*))?/gi;

function collectUrls(text: string, run: JobRun): void {
  for (const match of text.matchAll(POSTGRES_URL)) {
    const user = match[1] ? safeDecode(match[1]) : null;
    const database = match[2] ? safeDecode(match[2]) : null;
    if (user && !user.includes('$') && !BUILT_IN_ROLES.has(user)) pushUnique(run.urlUsers, user);
    if (database && !database.includes('$') && !BUILT_IN_DATABASES.has(database)) pushUnique(run.urlDatabases, database);
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

// ---------------------------------------------------------------------------
// Merging the jobs

function isRelevant(run: JobRun): boolean {
  return (
    run.images.length > 0 ||
    run.majors.length > 0 ||
    run.createdRoles.length > 0 ||
    run.createdDatabases.length > 0 ||
    run.gucs.length > 0 ||
    run.migrationSteps.length > 0 ||
    run.pytest.length > 0
  );
}

function mergeRuns(runs: JobRun[], notes: string[]): CiExpectations {
  const union = <T>(pick: (run: JobRun) => T[]): T[] => {
    const out: T[] = [];
    for (const run of runs) for (const value of pick(run)) pushUnique(out, value);
    return out;
  };
  const images = union((r) => r.images);
  const majors = union((r) => r.majors).sort((a, b) => a - b);
  if (majors.length > 1) notes.push(`CI runs PostgreSQL ${majors.join(' and ')} (${images.join(', ')}).`);
  if (images.length === 0 && majors.length === 0)
    notes.push('No PostgreSQL service container or setup step was found: CI\u2019s PostgreSQL version is unknown.');

  const roles = union((r) => [...r.createdRoles, ...r.serviceUsers, ...r.urlUsers]);
  const created = union((r) => r.createdDatabases);
  const candidates = created.length ? created : union((r) => [...r.serviceDatabases, ...r.urlDatabases]);
  const database = candidates[0] ?? null;
  if (candidates.length > 1) notes.push(`CI ${created.length ? 'creates' : 'uses'} several databases (${candidates.join(', ')}); ${database} is compared.`);

  const gucs: Record<string, string> = {};
  for (const run of runs) {
    for (const guc of run.gucs) {
      if (database && guc.database !== database) {
        pushUnique(notes, `CI sets ${guc.name} on database ${guc.database}, not on ${database}.`);
        continue;
      }
      gucs[guc.name] = guc.value;
    }
  }

  // One job's sequence is "the" migration path: the first that builds the database the matrix compares, since a
  // repository with several workflows also migrates scratch databases (`alembic upgrade head` on a lint job's own);
  // others that differ are named.
  const migrating = runs.filter((r) => r.migrationSteps.length > 0);
  const shown = migrating.find((r) => database !== null && namesDatabase(r, database)) ?? migrating[0];
  const migrationSteps = shown?.migrationSteps ?? [];
  for (const other of migrating) {
    if (other !== shown && other.migrationSteps.join(' ') !== migrationSteps.join(' ')) {
      pushUnique(notes, `${other.where} runs alembic upgrade ${other.migrationSteps.join(', then ')}; the matrix shows ${shown.where}.`);
    }
  }
  if (migrating.length === 0) notes.push('No `alembic upgrade` command was found in the workflows.');

  const testing = runs.filter((r) => r.pytest.length > 0);
  const platformRuns = testing.length ? testing : migrating.length ? migrating : runs;
  const platforms = union((r) => (platformRuns.includes(r) ? r.platforms : []));
  if (platforms.length > 1) notes.push(`CI runs on several platforms: ${platforms.join('; ')}.`);

  return {
    source: 'workflow',
    files: [],
    postgresImage: images[0] ?? null,
    postgresMajor: majors[0] ?? null,
    postgresMajors: majors,
    roles,
    database,
    migrationSteps,
    gucs,
    pytestCommands: union((r) => r.pytest),
    platform: platforms.length ? platforms.join(', ') : null,
    pythonVersion: runs.find((r) => r.pythonVersion)?.pythonVersion ?? null,
    notes,
  };
}

/** Whether a job creates, connects to or gets from its service container the database `name`. */
function namesDatabase(run: JobRun, name: string): boolean {
  return run.createdDatabases.includes(name) || run.urlDatabases.includes(name) || run.serviceDatabases.includes(name);
}

function pushUnique<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

function isString(value: string | null): value is string {
  return value !== null;
}

function toPosix(value: string): string {
  return value.split(path.sep).join('/');
}

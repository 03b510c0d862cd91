import * as path from 'node:path';
import { PYTEST_OPTIONS_WITH_VALUE } from '../../../shared/parity/ci-expectations';
import type { SuiteEnvironment, SuiteEnvironmentVariable } from '../../../shared/parity/suite-environment';
import { isLoopbackHost, parseLocalDatabase, redactUrlPasswords, rewriteCiUrls, type LocalDatabase } from './connection-urls';
import { envOf, isObject, parseWorkflow, scalar, workingDirectoryOf, type JsonObject, type WorkflowFile } from './github-workflow';
import { commands, findProgram, joinPath, stripHeredocBodies } from './shell-commands';

/**
 * The environment and working directory CI gives one pytest suite, laid over the
 * guide's: the workflow step whose command names the suite's file is found, and its
 * workflow → job → step `env`, earlier `$GITHUB_ENV` writes and the script's own
 * `cd`/`export` lines are resolved as GitHub and bash would. URLs that point at CI's
 * database are rewritten to the local one, secrets are left unset, path lists get the
 * platform's separator. Pure: workflow texts in, values and their sources out.
 */
export interface SuiteEnvironmentRequest {
  /** The profile's suite file, relative to the repository. */
  suite: string;
  files: WorkflowFile[];
  /** The repository, absolute, in the platform's form. */
  repoDir: string;
  /** The guide's DATABASE_URL: the application role on the local database. */
  guideDatabaseUrl: string;
  platform: NodeJS.Platform;
  /** Whether a repository-relative file exists (a `.env` beside the tests). */
  fileExists?: (relative: string) => boolean;
  /** The backend file that loads a `.env` (python-dotenv, pydantic's env_file), or null. */
  dotenvLoader?: (workingDirectory: string) => string | null;
}

export interface ResolvedSuiteEnvironment {
  /** What the user sees: values redacted, each with its source. */
  shown: SuiteEnvironment;
  /** The variables to set in pytest's environment, real values (passwords included: child only). */
  values: Record<string, string>;
  /** Where pytest runs, absolute. */
  cwd: string;
  /** Whether PYTHONPATH came from CI (then the user's own PYTHONPATH is not appended). */
  pythonPathFromCi: boolean;
}

/** Stands for the repository root inside CI values until the platform's form is known. */
const WS = '\u0000workspace\u0000';

interface Entry {
  value: string;
  source: string;
}

type Env = Map<string, Entry>;

interface StepMatch {
  file: string;
  jobId: string;
  stepName: string;
  /** Layers in the order they apply, each a list of (name, raw value, source). */
  layers: Layer[];
  /** Where the command runs (`working-directory`, then its script's `cd`s), relative to the repository. */
  cwd: string;
  /** Hosts that are CI's database: the job's service names. */
  serviceHosts: string[];
  /** Whether an earlier step of the job deletes a `.env` file. */
  removesDotenv: boolean;
}

/** One level of variables; each entry may carry the directory its shell line ran in (for `$(pwd)`). */
interface Layer {
  label: string;
  entries: Array<[string, string, string?]>;
  ghExpressions: boolean;
  shell: boolean;
}

/** The guide's environment first, then each level of the CI step that names the suite, in the order GitHub applies them. */
export function resolveSuiteEnvironment(request: SuiteEnvironmentRequest): ResolvedSuiteEnvironment {
  const paths = request.platform === 'win32' ? path.win32 : path.posix;
  const suite = normalize(request.suite);
  const notes: string[] = [];
  const unsetFromCi: string[] = [];
  const local = parseLocalDatabase(request.guideDatabaseUrl);
  const env: Env = new Map();
  env.set('DATABASE_URL', { value: request.guideDatabaseUrl, source: 'the guide (the application role on the local database)' });
  env.set('PYTHONPATH', { value: `${WS}/backend`, source: 'the guide (<repo>/backend)' });

  const matches = findSteps(request.files, suite, notes);
  const match = matches[0] ?? null;
  let workingDirectory = '';
  if (match) {
    if (matches.length > 1)
      notes.push(`${matches.length} workflow steps run ${suite}; the first is used (${matches.slice(1).map(stepLabel).join('; ')} also run it).`);
    for (const layer of match.layers) {
      for (const [name, raw, cwd] of layer.entries) assign(env, name, raw, layer, match, local, cwd ?? match.cwd, notes, unsetFromCi);
    }
    workingDirectory = match.cwd;
    if (workingDirectory.startsWith('..') || !isInsideRepo(workingDirectory)) {
      notes.push(`CI runs the tests in ${workingDirectory}, outside the repository; the repository root is used.`);
      workingDirectory = '';
    }
  } else {
    notes.push(`No workflow step names ${suite} in its command (a bare \`pytest\` that only collects it defines nothing): the guide's environment is used.`);
    // What CI's test steps set that the guide does not: the evidence when a login fails.
    for (const other of findSteps(request.files, null, [])) {
      for (const layer of other.layers) for (const [name] of layer.entries) if (!env.has(name) && name.toUpperCase() !== 'PATH') pushUnique(unsetFromCi, name);
    }
  }

  const cwdAbs = workingDirectory ? paths.join(request.repoDir, ...workingDirectory.split('/')) : request.repoDir;
  const values: Record<string, string> = {};
  const variables: SuiteEnvironmentVariable[] = [];
  for (const [name, entry] of env) {
    if (name.toUpperCase() === 'PATH') {
      notes.push('CI\u2019s PATH belongs to its runner; this machine\u2019s PATH is kept.');
      continue;
    }
    const value = isPathList(name) ? pathList(entry.value, paths, request.repoDir, cwdAbs, request.platform) : placeRepo(entry.value, paths, request.repoDir);
    values[name] = value;
    variables.push({ name, value: shownValue(name, value), source: entry.source });
  }
  values.PYTHONDONTWRITEBYTECODE = '1';
  variables.push({ name: 'PYTHONDONTWRITEBYTECODE', value: '1', source: 'this tool (keeps .pyc files out of the repository)' });

  const dotenv = workingDirectory ? `${workingDirectory}/.env` : '.env';
  if (request.fileExists?.(dotenv)) {
    const loader = request.dotenvLoader?.(workingDirectory) ?? null;
    const removed = match?.removesDotenv ? ' CI deletes its .env before the tests;' : '';
    notes.push(
      loader
        ? `${dotenv} exists and the backend loads it (${loader}):${removed} a variable set above wins over it, any other it sets applies to the tests.`
        : `${dotenv} exists in the tests' working directory;${removed} no backend code was seen loading it.`,
    );
  }

  const pytestArgument = paths.relative(cwdAbs, paths.join(request.repoDir, ...suite.split('/')));
  return {
    shown: {
      suite: request.suite,
      source: match ? 'workflow' : 'guide',
      step: match ? stepLabel(match) : null,
      workingDirectory,
      pytestArgument,
      variables,
      unsetFromCi,
      notes,
    },
    values,
    cwd: cwdAbs,
    pythonPathFromCi: !(env.get('PYTHONPATH')?.source.startsWith('the guide') ?? true),
  };
}

function stepLabel(match: StepMatch): string {
  return `${match.file}, job "${match.jobId}", step "${match.stepName}"`;
}

function isInsideRepo(relative: string): boolean {
  return !relative.startsWith('/') && !/^[A-Za-z]:/.test(relative) && !relative.split('/').includes('..');
}

/** One CI variable laid over the environment so far, resolved, its URLs pointed at the local database. */
function assign(
  env: Env,
  name: string,
  raw: string,
  layer: Layer,
  match: StepMatch,
  local: LocalDatabase | null,
  cwd: string,
  notes: string[],
  unsetFromCi: string[],
): void {
  const expressions = layer.ghExpressions ? resolveGithub(raw, env) : { value: raw, unresolved: null };
  if (expressions.unresolved !== null) {
    // Not taken from this level: an earlier value (the guide's DATABASE_URL, an outer level's) stays, so a
    // secret DATABASE_URL never leaves the tests to fall back to whatever their code names.
    const kept = env.has(name) ? ` (${env.get(name)?.source} stays)` : ': left unset';
    pushUnique(unsetFromCi, name);
    notes.push(
      /^secrets\./.test(expressions.unresolved)
        ? `${name} comes from \${{ ${expressions.unresolved} }} in CI, a secret this machine does not have${kept}.`
        : `${name} is \${{ ${expressions.unresolved} }} in CI, which cannot be resolved outside GitHub${kept}.`,
    );
    return;
  }
  const value = layer.shell ? substituteShell(expressions.value, env, cwd) : expressions.value;
  let source = layer.label;
  let finalValue = value;
  const libpq = local ? libpqValue(name, value, local, match.serviceHosts) : undefined;
  if (libpq === null) {
    pushUnique(unsetFromCi, name);
    notes.push(`${name} in ${layer.label} is ${value}, which is not CI's own database server: not handed to the tests.`);
    return;
  }
  if (libpq !== undefined) {
    finalValue = libpq;
    source += ' (set to the local database)';
  } else if (local) {
    const rewritten = rewriteCiUrls(value, local, match.serviceHosts);
    if (rewritten.kind === 'remote') {
      pushUnique(unsetFromCi, name);
      notes.push(
        `${name} in ${layer.label} points at ${rewritten.host}, which is not CI's own database: not handed to the tests${env.has(name) ? ' (the earlier value stays)' : ''}.`,
      );
      return;
    }
    if (rewritten.kind === 'rewritten') {
      finalValue = rewritten.value;
      source += ' (rewritten to the local database)';
    }
  }
  env.delete(name); // keep the order in which the values were last set
  env.set(name, { value: finalValue, source });
}

/** libpq's connection variables (psql, psycopg without a URL) name CI's server and login: each gets the local one's part. */
const LIBPQ: Record<string, (local: LocalDatabase) => string> = {
  PGHOST: (local) => local.host,
  PGPORT: (local) => String(local.port),
  PGUSER: (local) => local.user,
  PGPASSWORD: (local) => local.password,
  PGDATABASE: (local) => local.database,
};

/** The local value of a libpq variable; null when PGHOST names another server; undefined for any other variable. */
function libpqValue(name: string, value: string, local: LocalDatabase, serviceHosts: string[]): string | null | undefined {
  const upper = name.toUpperCase();
  const part = LIBPQ[upper];
  if (!part) return undefined;
  if (upper === 'PGHOST' && !value.startsWith('/') && !isLoopbackHost(value) && !serviceHosts.some((h) => h.toLowerCase() === value.toLowerCase())) return null;
  return part(local);
}

/** Shown values: a URL's password and any variable that is a secret by its name become ***. */
function shownValue(name: string, value: string): string {
  return /PASSWORD|PASSWD|SECRET|TOKEN|PGPASS/i.test(name) ? '***' : redactUrlPasswords(value);
}

/** `${{ env.X }}` and `${{ github.workspace }}`; the first other expression makes the value unresolvable. */
function resolveGithub(raw: string, env: Env): { value: string; unresolved: string | null } {
  let unresolved: string | null = null;
  const value = raw.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_whole, expression: string) => {
    const envRef = /^env\.([\w-]+)$/.exec(expression);
    if (envRef) return env.get(envRef[1])?.value ?? '';
    if (expression === 'github.workspace') return WS;
    unresolved ??= expression;
    return '';
  });
  return { value, unresolved };
}

/** `$NAME`, `${NAME}`, `$(pwd)`, `$PWD`, `$GITHUB_WORKSPACE` as bash would expand them in the step. */
function substituteShell(text: string, env: Env, cwd: string): string {
  const here = cwd ? `${WS}/${cwd}` : WS;
  return text
    .replace(/\$\(\s*pwd\s*\)|`pwd`|\$\{PWD\}|\$PWD\b/g, here)
    .replace(/\$\{GITHUB_WORKSPACE\}|\$GITHUB_WORKSPACE\b/g, WS)
    .replace(/\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g, (_whole, a?: string, b?: string) => env.get(a ?? b ?? '')?.value ?? '');
}

function isPathList(name: string): boolean {
  const upper = name.toUpperCase();
  return upper !== 'PATH' && upper.endsWith('PATH');
}

/** A `:`-separated CI path list in the platform's form: entries absolute, `;` on Windows, empty entries dropped. */
function pathList(value: string, paths: typeof path.posix, repoDir: string, cwdAbs: string, platform: NodeJS.Platform): string {
  const entries: string[] = [];
  for (const entry of value.split(platform === 'win32' ? /[:;]/ : /:/)) {
    if (!entry) continue;
    const placed = placeRepo(entry, paths, repoDir);
    const absolute = paths.isAbsolute(placed) ? paths.normalize(placed) : paths.resolve(cwdAbs, placed);
    if (!entries.includes(absolute)) entries.push(absolute);
  }
  return entries.join(paths.delimiter);
}

/** The workspace stand-in replaced by the repository (and what follows it joined in the platform's form). */
function placeRepo(value: string, paths: typeof path.posix, repoDir: string): string {
  return value.replace(new RegExp(`${WS}((?:/[^\\s:;'"]*)?)`, 'g'), (_whole, rest: string) =>
    rest && rest !== '/' ? paths.join(repoDir, ...rest.split('/').filter(Boolean)) : repoDir,
  );
}

// ---------------------------------------------------------------------------
// Finding the step

/** Every step, in workflow order, whose command names the suite's file (null: any pytest command). */
function findSteps(files: WorkflowFile[], suite: string | null, notes: string[]): StepMatch[] {
  const found: StepMatch[] = [];
  for (const file of files) {
    // Malformed files are already a note of the parity matrix, which reads the same folder.
    const workflow = parseWorkflow(file, []);
    if (!workflow) continue;
    const name = file.path.split('/').pop() ?? file.path;
    const workflowDir = workingDirectoryOf(workflow.defaults);
    for (const [jobId, job] of Object.entries(workflow.jobs as JsonObject)) {
      if (!isObject(job)) continue;
      const jobDir = workingDirectoryOf(job.defaults) ?? workflowDir;
      const serviceHosts = isObject(job.services) ? Object.keys(job.services) : [];
      // One layer per earlier step that writes to $GITHUB_ENV, in order: later writes win.
      const githubEnvLayers: Layer[] = [];
      let removesDotenv = false;
      const steps = Array.isArray(job.steps) ? job.steps : [];
      steps.forEach((step, index) => {
        if (!isObject(step)) return;
        const script = scalar(step.run);
        if (script === null) return;
        const stepName = scalar(step.name) ?? scalar(step.id) ?? `#${index + 1}`;
        const rawDir = scalar(step['working-directory']) ?? jobDir ?? '';
        const baseDir = joinPath('', rawDir.replace(/\$\{\{\s*github\.workspace\s*\}\}/g, '/').replace(/\$\{?GITHUB_WORKSPACE\}?/g, '/'));
        const walked = walkScript(script, suite, baseDir);
        if (walked.command) {
          if (/\$\{\{\s*matrix\./.test(JSON.stringify([workflow.env, job.env, step.env, script]))) {
            notes.push(`${name}, job "${jobId}" uses matrix values in its environment; matrix expressions are not resolved.`);
          }
          found.push({
            file: file.path,
            jobId,
            stepName,
            layers: [
              { label: `${name}, workflow env`, entries: Object.entries(envOf(workflow.env)), ghExpressions: true, shell: false },
              { label: `${name}, job "${jobId}" env`, entries: Object.entries(envOf(job.env)), ghExpressions: true, shell: false },
              ...githubEnvLayers,
              { label: `${name}, job "${jobId}", step "${stepName}" env`, entries: Object.entries(envOf(step.env)), ghExpressions: true, shell: false },
              { label: `${name}, job "${jobId}", step "${stepName}" (export in its script)`, entries: walked.exports, ghExpressions: true, shell: true },
              { label: `${name}, job "${jobId}", step "${stepName}" (set on the pytest command)`, entries: walked.inline, ghExpressions: true, shell: true },
            ],
            cwd: walked.cwd,
            serviceHosts,
            removesDotenv,
          });
        }
        if (walked.githubEnv.length) {
          githubEnvLayers.push({
            label: `${name}, job "${jobId}", $GITHUB_ENV written by step "${stepName}"`,
            entries: walked.githubEnv,
            ghExpressions: true,
            shell: true,
          });
        }
        if (/\brm\b[^\n]*(^|[\s/])\.env\b/m.test(script)) removesDotenv = true;
      });
    }
  }
  return found;
}

interface Walked {
  /** The pytest command naming the suite, if any. */
  command: string[] | null;
  /** The directory the command runs in (or the script ends in). */
  cwd: string;
  exports: Array<[string, string, string]>;
  inline: Array<[string, string, string]>;
  githubEnv: Array<[string, string, string]>;
}

const ASSIGNMENT = /^([A-Za-z_]\w*)=(.*)$/s;

/** The repository root as a workflow script names it; '/' anchors a path there for joinPath. */
const WORKSPACE_REFERENCE = /\$\{\{\s*github\.workspace\s*\}\}|\$\{?GITHUB_WORKSPACE\}?/g;

/** Follows a `run:` script up to the pytest command that names the suite; also collects `$GITHUB_ENV` writes. */
function walkScript(script: string, suite: string | null, baseDir: string): Walked {
  // Expressions lose their inner spaces so the shell-word split keeps each one whole.
  const text = script.replace(/\\\r?\n/g, ' ').replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_whole, expression: string) => `\${{${expression.replace(/\s+/g, '')}}}`);
  const out: Walked = { command: null, cwd: baseDir, exports: [], inline: [], githubEnv: [] };
  let cwd = baseDir;
  for (const words of commands(stripHeredocBodies(text))) {
    const redirect = words.findIndex((w) => w === '>>' || w === '>');
    if (redirect > 0 && /GITHUB_ENV/.test(words[redirect + 1] ?? '') && /^(echo|printf)$/.test(words[0])) {
      const line = words
        .slice(1, redirect)
        .filter((w) => !w.startsWith('-'))
        .join(' ');
      const assignment = ASSIGNMENT.exec(line);
      if (assignment) out.githubEnv.push([assignment[1], assignment[2], cwd]);
      continue;
    }
    if (words[0] === 'cd' && words[1]) {
      cwd = joinPath(cwd, words[1].replace(WORKSPACE_REFERENCE, '/'));
      continue;
    }
    if (words[0] === 'export' || words.every((w) => ASSIGNMENT.test(w))) {
      for (const word of words[0] === 'export' ? words.slice(1) : words) {
        const assignment = ASSIGNMENT.exec(word);
        if (assignment) out.exports.push([assignment[1], assignment[2], cwd]);
      }
      continue;
    }
    const at = findProgram(words, 'pytest', ['py.test']);
    if (at < 0) continue;
    if (suite === null || pytestFiles(words.slice(at + 1)).some((file) => joinPath(cwd, file.replace(WORKSPACE_REFERENCE, '/')) === suite)) {
      out.command = words;
      out.cwd = cwd;
      for (const word of words.slice(0, at)) {
        const assignment = ASSIGNMENT.exec(word);
        if (assignment) out.inline.push([assignment[1], assignment[2], cwd]);
      }
      return out;
    }
  }
  return out;
}

function pytestFiles(args: string[]): string[] {
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (/^[<>&|]/.test(word)) break;
    if (word.startsWith('-')) {
      if (PYTEST_OPTIONS_WITH_VALUE.has(word)) i++;
      continue;
    }
    files.push(word.split('::')[0]);
  }
  return files;
}

function normalize(value: string): string {
  return joinPath('', value);
}

function pushUnique<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

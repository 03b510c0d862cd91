import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanTypedPath, namesAFile } from '../../../shared/contract/typed-path';
import { appError, err, ok, type AppError, type Result } from '../../../shared/errors/app-error';
import type { PythonEnvironment, PythonInfo, PythonSource } from '../../../shared/prerequisites/prerequisites';
import { normalizeName } from '../../../shared/prerequisites/pep508-marker';
import { childEnvironment } from '../process/child-env';
import { runProcess } from '../process/run-process';
import { isDirectory } from '../platform/fs-probe';

/**
 * Which Python runs Alembic and pytest for a repo. The order is the one a
 * developer would expect: what they asked for (--python, SKELDIR_PYTHON), then
 * the repo's own virtualenv, then an activated one (VIRTUAL_ENV), then whatever Windows or PATH offers.
 */
export interface PythonCandidate {
  command: string;
  /** Arguments that go before the script's own ("-3" for the py launcher). */
  launcherArgs: string[];
  source: PythonSource;
}

export interface CandidateInput {
  platform: NodeJS.Platform;
  repoDir: string;
  /** --python PATH */
  flag?: string;
  env: Record<string, string | undefined>;
  exists: (file: string) => boolean;
}

/** Virtualenv folders looked for, relative to the repo root, in this order. */
export const REPO_VENV_DIRS = ['.venv', 'venv', 'backend/.venv', 'backend/venv'] as const;

/** Modules the probe reports on; the order is the order checks are shown in. */
export const PROBED_MODULES = ['alembic', 'sqlalchemy', 'psycopg2', 'pytest', 'pytest_asyncio'] as const;

const PROBE_TIMEOUT_MS = 20_000;
const PROBE_MARKER = 'SKELDIR-PYTHON-PROBE ';
const DIST_MARKER = 'SKELDIR-PYTHON-DIST ';

/** Database drivers SQLAlchemy may load for a postgresql URL, probed without importing them. */
export const DRIVER_MODULES = ['psycopg2', 'psycopg', 'asyncpg', 'pg8000'] as const;

/**
 * The candidates in the order they are tried. Pure: the file system is reached
 * only through `exists`, and paths are built with the target platform's rules,
 * so the Windows branch is testable anywhere.
 */
export function pythonCandidates(input: CandidateInput): PythonCandidate[] {
  const paths = input.platform === 'win32' ? path.win32 : path.posix;
  const candidates: PythonCandidate[] = [];
  const flag = input.flag?.trim();
  if (flag) candidates.push({ command: flag, launcherArgs: [], source: 'flag' });
  // cmd.exe keeps the quotes of `set SKELDIR_PYTHON="C:\Program Files\…"` in the value.
  const fromEnv = cleanTypedPath(input.env.SKELDIR_PYTHON ?? '');
  if (fromEnv) candidates.push({ command: fromEnv, launcherArgs: [], source: 'env' });

  for (const dir of REPO_VENV_DIRS) {
    const interpreter =
      input.platform === 'win32'
        ? paths.join(input.repoDir, ...dir.split('/'), 'Scripts', 'python.exe')
        : paths.join(input.repoDir, ...dir.split('/'), 'bin', 'python');
    if (input.exists(interpreter)) candidates.push({ command: interpreter, launcherArgs: [], source: 'repo-venv' });
  }

  // A virtualenv the user activated (Poetry's, a shared one outside the repository): `py -3` would pass
  // it over for the newest installed Python, since the launcher ignores VIRTUAL_ENV when given a version.
  const active = cleanTypedPath(input.env.VIRTUAL_ENV ?? '');
  if (active && paths.isAbsolute(active)) {
    const interpreter = input.platform === 'win32' ? paths.join(active, 'Scripts', 'python.exe') : paths.join(active, 'bin', 'python');
    if (input.exists(interpreter) && !candidates.some((c) => c.command === interpreter)) {
      candidates.push({ command: interpreter, launcherArgs: [], source: 'active-venv' });
    }
  }

  if (input.platform === 'win32') candidates.push({ command: 'py', launcherArgs: ['-3'], source: 'py-launcher' });
  candidates.push({ command: 'python3', launcherArgs: [], source: 'path' });
  candidates.push({ command: 'python', launcherArgs: [], source: 'path' });
  return candidates;
}

export interface FindPythonOptions {
  repoDir: string;
  flag?: string;
  /** Defaults to process.env. */
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  signal?: AbortSignal;
  /** For tests; defaults to fs.existsSync. */
  exists?: (file: string) => boolean;
  /** Distributions whose top-level modules the caller needs (the repo's requirements). */
  distributions?: string[];
}

/** The interpreter, and what its probe said beyond the report's PythonInfo (kept out of reports: it lists every installed distribution). */
export type FoundPython = PythonInfo & { environment: PythonEnvironment };

export interface ProbeAnswer {
  version: string;
  executable: string;
  packages: Record<string, boolean>;
  environment: PythonEnvironment;
}

/**
 * Probes the candidates in order and returns the first that answers as a Python
 * interpreter. A choice the user made (--python, SKELDIR_PYTHON) is never passed
 * over silently: if it does not answer, that is the error.
 */
export async function findPython(options: FindPythonOptions): Promise<Result<FoundPython>> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const candidates = pythonCandidates({
    platform,
    repoDir: options.repoDir,
    flag: options.flag === undefined ? undefined : resolveUserPath(options.flag, platform),
    env: env.SKELDIR_PYTHON === undefined ? env : { ...env, SKELDIR_PYTHON: resolveUserPath(env.SKELDIR_PYTHON, platform) },
    exists: options.exists ?? ((file) => fs.existsSync(file)),
  });
  const tried: string[] = [];
  for (const candidate of candidates) {
    if (options.signal?.aborted) return err(appError('cancelled', 'Looking for Python was cancelled.'));
    const answer = await probePython(candidate, { cwd: options.repoDir, env, platform, signal: options.signal, distributions: options.distributions });
    if (answer.ok) {
      return ok({
        // A bare name from PATH becomes the absolute path that answered, so reports and fix commands are exact.
        command: candidate.source === 'path' && answer.value.executable ? answer.value.executable : candidate.command,
        launcherArgs: candidate.launcherArgs,
        source: candidate.source,
        version: answer.value.version,
        packages: answer.value.packages,
        environment: answer.value.environment,
      });
    }
    tried.push(`${describeCandidate(candidate)}: ${answer.error.message}`);
    if (candidate.source === 'flag' || candidate.source === 'env') {
      const what = candidate.source === 'flag' ? `The interpreter you chose, ${candidate.command},` : `SKELDIR_PYTHON=${candidate.command}`;
      // A virtualenv's or an installation's folder given for its interpreter: name the one inside.
      const folder = isDirectory(candidate.command);
      const inside = folder ? interpreterInFolder(candidate.command, platform, options.exists ?? ((file) => fs.existsSync(file))) : null;
      const choose = inside ? `Choose ${inside}, the interpreter in that folder.` : chooseInterpreter(platform);
      return err(
        appError(
          'python-not-found',
          folder ? `${what} is a folder, not a Python interpreter.` : `${what} is not a working Python interpreter (${answer.error.message}).`,
          {
            detail: answer.error.detail,
            remediation:
              candidate.source === 'flag'
                ? `${choose} Or leave the choice empty to search.`
                : `Point SKELDIR_PYTHON at a python executable${inside ? ` (${inside})` : ''}, or remove the variable to let Skeldir Rebuild search.`,
            ...(candidate.source === 'flag' ? { action: 'choose-python' as const } : {}),
          },
        ),
      );
    }
  }
  return err(
    appError('python-not-found', 'No Python interpreter was found for this repository.', {
      detail: tried.join('\n'),
      remediation: notFoundRemediation(platform),
      action: 'choose-python',
    }),
  );
}

/**
 * A relative path the user typed means "from where I am", but the child resolves
 * it from its own cwd (the repo): make it absolute first. Bare names stay PATH lookups.
 */
function resolveUserPath(value: string, platform: NodeJS.Platform): string {
  const trimmed = cleanTypedPath(value);
  const paths = platform === 'win32' ? path.win32 : path.posix;
  if (!trimmed || !namesAFile(trimmed, platform) || paths.isAbsolute(trimmed)) return trimmed;
  return paths.resolve(trimmed);
}

/** What to choose, in the words of the user's system: python.exe and Scripts on Windows, bin/python elsewhere. */
export function chooseInterpreter(platform: NodeJS.Platform): string {
  return platform === 'win32'
    ? 'Choose the full path of python.exe (for a virtualenv: <venv>\\Scripts\\python.exe).'
    : 'Choose the full path of the python program (for a virtualenv: <venv>/bin/python).';
}

/** The interpreter of a virtualenv or an installation in `dir`, when there is one (Windows paths handled as such on any system). */
export function interpreterInFolder(dir: string, platform: NodeJS.Platform, exists: (file: string) => boolean): string | null {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const names =
    platform === 'win32'
      ? [paths.join(dir, 'Scripts', 'python.exe'), paths.join(dir, 'python.exe')]
      : [paths.join(dir, 'bin', 'python'), paths.join(dir, 'bin', 'python3')];
  return names.find((name) => exists(name)) ?? null;
}

export function notFoundRemediation(platform: NodeJS.Platform): string {
  return platform === 'win32'
    ? 'Install Python 3.11 or newer from https://www.python.org/downloads/ (tick "Add python.exe to PATH"), or choose the path of python.exe.'
    : 'Install Python 3.11 or newer (python3 on PATH), or choose the path of the interpreter.';
}

/** "py -3", or the path, for messages. */
export function describeCandidate(candidate: Pick<PythonCandidate, 'command' | 'launcherArgs'>): string {
  return [candidate.command, ...candidate.launcherArgs].join(' ');
}

/**
 * Written for any Python that may answer (even 2.7), so an old interpreter is
 * reported as too old rather than as "not Python". find_spec does not import the
 * package, so a slow or broken package cannot hang the probe. A spec without an origin is
 * a namespace package: a bare folder of that name on the path, such as a repository's own
 * `alembic/` migrations folder in the working directory, not the installed library (an
 * installed regular package would have been found first). After the module names,
 * "--dists" names distributions whose top-level modules are wanted; every installed
 * distribution is listed (name, version, Requires-Dist) from its metadata folder, one
 * line each, without importing importlib.metadata (it costs more than the rest).
 */
const PROBE_SCRIPT = [
  'import sys, json, os',
  'def has(name):',
  '    try:',
  '        import importlib.util',
  '        spec = importlib.util.find_spec(name)',
  '        return spec is not None and spec.origin not in (None, "namespace")',
  '    except Exception:',
  '        return False',
  'args = sys.argv[1:]',
  'mods = args[:args.index("--dists")] if "--dists" in args else args',
  'def norm(n):',
  '    import re',
  '    return re.sub(r"[-_.]+", "-", n).lower()',
  'wanted = set(norm(n) for n in (args[args.index("--dists") + 1:] if "--dists" in args else []))',
  'def markers():',
  '    try:',
  '        import platform',
  '        impl = getattr(sys, "implementation", None)',
  '        iv = impl.version if impl else sys.version_info',
  '        ivs = "%d.%d.%d" % (iv[0], iv[1], iv[2]) + ("" if iv[3] == "final" else iv[3][0] + str(iv[4]))',
  '        return {"implementation_name": impl.name if impl else "cpython", "implementation_version": ivs, "os_name": os.name,',
  '                "platform_machine": platform.machine(), "platform_release": platform.release(), "platform_system": platform.system(),',
  '                "platform_version": platform.version(), "python_full_version": platform.python_version(),',
  '                "platform_python_implementation": platform.python_implementation(), "python_version": ".".join(platform.python_version_tuple()[:2]),',
  '                "sys_platform": sys.platform}',
  '    except Exception:',
  '        return {}',
  'def read(path):',
  '    try:',
  '        with open(path, "rb") as f:',
  '            return f.read().decode("utf-8", "replace")',
  '    except Exception:',
  '        return None',
  'def modules_of(folder):',
  '    top = read(os.path.join(folder, "top_level.txt"))',
  '    if top is not None:',
  '        return sorted(set(l.strip() for l in top.splitlines() if l.strip()))',
  '    record = read(os.path.join(folder, "RECORD")) or ""',
  '    found = set()',
  '    for line in record.splitlines():',
  '        first = line.split(",")[0].replace("\\\\", "/")',
  '        part = first.split("/")[0]',
  '        if not part or part.endswith((".dist-info", ".egg-info", ".data", ".pth")) or part in ("..", "__pycache__"): continue',
  '        if "/" in first or part.endswith((".py", ".so", ".pyd")):',
  '            found.add(part.split(".")[0])',
  '    return sorted(found)',
  'def dists():',
  '    seen = set()',
  '    for entry in sys.path:',
  '        try:',
  '            names = os.listdir(entry or ".")',
  '        except Exception:',
  '            continue',
  '        for name in names:',
  '            if not name.endswith((".dist-info", ".egg-info")): continue',
  '            folder = os.path.join(entry or ".", name)',
  '            meta = read(os.path.join(folder, "METADATA")) or read(os.path.join(folder, "PKG-INFO")) or read(folder)',
  '            if not meta: continue',
  '            head = meta.split("\\n\\n")[0].replace("\\r", "")',
  '            info = {"requires": []}',
  '            for line in head.split("\\n"):',
  '                key, _, value = line.partition(":")',
  '                if key == "Name": info["name"] = value.strip()',
  '                elif key == "Version": info["version"] = value.strip()',
  '                elif key == "Requires-Dist": info["requires"].append(value.strip())',
  '            if "name" not in info or "version" not in info or norm(info["name"]) in seen: continue',
  '            seen.add(norm(info["name"]))',
  '            info["modules"] = modules_of(folder) if norm(info["name"]) in wanted and os.path.isdir(folder) else []',
  `            print(${JSON.stringify(DIST_MARKER)} + json.dumps(info))`,
  'try:',
  '    dists()',
  'except Exception:',
  '    pass',
  `print(${JSON.stringify(PROBE_MARKER)} + json.dumps({"version": ".".join(str(p) for p in sys.version_info[:3]), "executable": sys.executable or "", "packages": dict((n, has(n)) for n in mods), "drivers": dict((n, has(n)) for n in ${JSON.stringify(DRIVER_MODULES)}), "markers": markers()}))`,
].join('\n');

export async function probePython(
  candidate: Pick<PythonCandidate, 'command' | 'launcherArgs'>,
  options: { cwd: string; env: Record<string, string | undefined>; platform: NodeJS.Platform; signal?: AbortSignal; distributions?: string[] },
): Promise<Result<ProbeAnswer>> {
  const run = await runProcess({
    command: candidate.command,
    args: [...candidate.launcherArgs, '-c', PROBE_SCRIPT, ...PROBED_MODULES, '--dists', ...(options.distributions ?? [])],
    // The probe must run even if the repo folder is wrong; the repo's own modules are not what it looks for.
    cwd: isDirectory(options.cwd) ? options.cwd : process.cwd(),
    env: childEnvironment({}, options.env),
    timeoutMs: PROBE_TIMEOUT_MS,
    signal: options.signal,
    platform: options.platform,
  });
  if (!run.ok) return err(appError('python-not-found', 'could not be started', { detail: run.error.message }));
  const result = run.value;
  if (result.cancelled) return err(appError('cancelled', 'cancelled'));
  if (result.timedOut) return err(appError('timeout', `did not answer within ${PROBE_TIMEOUT_MS / 1000} s`));
  const line = result.stdoutTail.find((text) => text.startsWith(PROBE_MARKER));
  const parsed = line ? parseProbe(line.slice(PROBE_MARKER.length), result.log) : undefined;
  if (!parsed) {
    // The Windows Store stub prints an advert and exits 9009; anything without our JSON is not an interpreter.
    const said = [...result.stderrTail, ...result.stdoutTail]
      .filter((text) => text.trim())
      .slice(-3)
      .join(' | ');
    const error: AppError = appError('python-not-found', `did not answer as Python (exit ${result.exitCode ?? result.signal})`, {
      ...(said ? { detail: said } : {}),
    });
    return err(error);
  }
  return ok(parsed);
}

function parseProbe(json: string, log: string[]): ProbeAnswer | undefined {
  const value = parseJson(json);
  if (typeof value !== 'object' || value === null) return undefined;
  const { version, executable, packages, drivers, markers } = value as Record<string, unknown>;
  if (typeof version !== 'string' || typeof packages !== 'object' || packages === null) return undefined;
  const found: Record<string, boolean> = {};
  for (const name of PROBED_MODULES) found[name] = (packages as Record<string, unknown>)[name] === true;
  return { version, executable: typeof executable === 'string' ? executable : '', packages: found, environment: parseEnvironment(drivers, markers, log) };
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

/** The drivers, marker values and distribution lines; an old Python that gave none of them yields empty maps. */
function parseEnvironment(drivers: unknown, markers: unknown, log: string[]): PythonEnvironment {
  const strings = (record: unknown): Record<string, string> =>
    Object.fromEntries(
      Object.entries(typeof record === 'object' && record !== null ? record : {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  const distributions: PythonEnvironment['distributions'] = {};
  for (const line of log) {
    if (!line.startsWith(DIST_MARKER)) continue;
    const dist = parseJson(line.slice(DIST_MARKER.length)) as Record<string, unknown> | undefined;
    if (!dist || typeof dist.name !== 'string' || typeof dist.version !== 'string') continue;
    const list = (field: unknown): string[] => (Array.isArray(field) ? field.filter((item): item is string => typeof item === 'string') : []);
    distributions[normalizeName(dist.name)] = { name: dist.name, version: dist.version, requires: list(dist.requires), modules: list(dist.modules) };
  }
  const driverMap: Record<string, boolean> = {};
  for (const name of DRIVER_MODULES) driverMap[name] = typeof drivers === 'object' && drivers !== null && (drivers as Record<string, unknown>)[name] === true;
  return { drivers: driverMap, markers: strings(markers), distributions };
}

/** Compares "3.11.7" with a minimum [major, minor]. */
export function versionAtLeast(version: string | null, minimum: readonly [number, number]): boolean {
  if (!version) return false;
  const [major, minor] = version.split('.').map((part) => Number.parseInt(part, 10));
  if (!Number.isFinite(major) || !Number.isFinite(minor)) return false;
  return major > minimum[0] || (major === minimum[0] && minor >= minimum[1]);
}

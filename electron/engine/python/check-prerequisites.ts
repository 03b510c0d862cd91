import * as fs from 'node:fs';
import * as path from 'node:path';
import { prerequisitesOk, type PrerequisiteCheck, type PrerequisiteReport, type PythonInfo } from '../../../shared/prerequisites/prerequisites';
import { EXTRA_NEEDED_BY_IMPORT } from '../../../shared/prerequisites/import-names';
import { parseVersion, compareVersions } from '../../../shared/prerequisites/pep440-version';
import { findConfiguration, readConfiguration, type ConfigurationFiles } from '../alembic/alembic-configuration';
import type { AlembicIni } from '../alembic/ini-reader';
import { describeCandidate, findPython, notFoundRemediation, PROBED_MODULES, versionAtLeast, type FoundPython } from './find-python';
import { scanImports, type ImportScan } from './import-scan';
import { readRequirementsFiles, requirementChecks, requirementKeys } from './requirement-checks';
import { isFile, readTextIfPresent } from '../platform/fs-probe';

/**
 * The `flutter doctor` of the backend: one ✓/✗ line per thing Alembic and pytest
 * need, each failed line with the exact command that fixes it (real paths, quoted
 * for the user's shell). Never throws and never changes anything.
 */
export interface PrerequisiteOptions {
  repoDir: string;
  /** --python PATH */
  pythonFlag?: string;
  /** Defaults to process.env. */
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  signal?: AbortSignal;
  /** The profile's suite files: what they import decides whether a missing requirement blocks R5. */
  suites?: string[];
}

export const MINIMUM_PYTHON: readonly [number, number] = [3, 11];

/**
 * Modules that get a ✓/✗ line. pytest_asyncio is probed (PythonInfo.packages) but
 * not required here: R4 refuses to run unless every check passes, and Alembic does
 * not need it; a suite that does will say so in R5.
 */
export const CHECKED_MODULES = ['alembic', 'sqlalchemy', 'psycopg2', 'pytest'] as const;

/** pip distribution for each probed module, for the fallback install command. */
const DISTRIBUTION_OF: Record<(typeof PROBED_MODULES)[number], string> = {
  alembic: 'alembic',
  sqlalchemy: 'sqlalchemy',
  psycopg2: 'psycopg2-binary',
  pytest: 'pytest',
  pytest_asyncio: 'pytest-asyncio',
};

export async function checkPrerequisites(options: PrerequisiteOptions): Promise<PrerequisiteReport> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const checks: PrerequisiteCheck[] = [];
  const requirements = readRequirementsFiles(options.repoDir);
  const distributions = [...new Set([...requirementKeys(requirements), ...EXTRA_NEEDED_BY_IMPORT.map((entry) => entry.distribution)])];
  const config = projectConfiguration(options.repoDir, platform).catch((): ProjectConfiguration => ({ files: null, ini: null, envPy: undefined }));
  // The import scan reads files while Python starts: one probe process, no extra wait.
  const [found, scan] = await Promise.all([
    findPython({ repoDir: options.repoDir, flag: options.pythonFlag, env, platform, signal: options.signal, distributions }),
    // An unreadable repository leaves nothing imported: every unmet requirement is then a warning, and the other lines say what is wrong.
    codeImports(options.repoDir, options.suites ?? [], config).catch((): ImportScan => ({ migrations: new Set(), tests: new Set() })),
  ]);
  const python: PythonInfo | null = found.ok ? withoutEnvironment(found.value) : null;

  if (!found.ok) {
    checks.push({
      id: 'python',
      title: 'Python interpreter',
      ok: false,
      detail: [found.error.message, found.error.detail].filter(Boolean).join('\n'),
      fix: found.error.remediation ?? notFoundRemediation(platform),
      action: found.error.action ?? 'choose-python',
    });
  } else {
    const info = found.value;
    checks.push({ id: 'python', title: 'Python interpreter', ok: true, detail: `${describeCandidate(info)} (${SOURCE_WORDS[info.source]})` });
    checks.push(versionCheck(info, platform));
    // Packages are only meaningful once there is an interpreter to import them.
    const pipInstall = pipInstallCommand(info, options.repoDir, platform);
    for (const name of CHECKED_MODULES) {
      const importable = info.packages[name] === true;
      checks.push({
        id: `package-${name}`,
        title: `${name} importable`,
        ok: importable,
        detail: importable ? 'yes' : `${name} is not installed for ${describeCandidate(info)}`,
        ...(importable ? {} : { fix: pipInstall }),
      });
    }
    const driver = driverCheck(info, options.repoDir, (await config).envPy, platform);
    if (driver) checks.push(driver);
    checks.push(...requirementChecks(options.repoDir, requirements, info.environment, scan, (args) => pipArgumentsCommand(info, args, platform)));
  }
  const iniCheck = alembicIniCheck(await config);
  if (iniCheck) checks.push(iniCheck);
  return { python, checks, ok: prerequisitesOk(checks) };
}

function withoutEnvironment(found: FoundPython): PythonInfo {
  const { environment: _environment, ...info } = found;
  return info;
}

/** What the migrations and the suites import, from the files alembic.ini and the profile name. */
async function codeImports(repoDir: string, suites: string[], config: Promise<ProjectConfiguration>): Promise<ImportScan> {
  const { ini } = await config;
  if (!ini) return scanImports({ repoDir, versionDirs: [], recursive: false, extraRoots: [], suites });
  const scriptDir = path.resolve(ini.here, ini.scriptLocation);
  return scanImports({
    repoDir,
    scriptDir,
    versionDirs: (ini.versionLocations ?? [path.join(scriptDir, 'versions')]).map((dir) => path.resolve(ini.here, dir)),
    recursive: ini.recursiveVersionLocations,
    extraRoots: ini.prependSysPath.map((dir) => path.resolve(ini.here, dir)),
    suites,
  });
}

/** pip distribution of each driver SQLAlchemy may load, as pip users install it. */
const DRIVER_DISTRIBUTION: Record<string, string> = { psycopg2: 'psycopg2-binary', psycopg: 'psycopg[binary]', asyncpg: 'asyncpg', pg8000: 'pg8000' };

/**
 * The driver Alembic's connection loads: the one env.py names ("postgresql+psycopg2://"),
 * else SQLAlchemy's default for a bare "postgresql://", which is psycopg 3 from SQLAlchemy
 * 2.1 on and psycopg2 before. Null when SQLAlchemy is not installed (its own line says so).
 */
function driverCheck(info: FoundPython, repoDir: string, envPy: string | undefined, platform: NodeJS.Platform): PrerequisiteCheck | null {
  const sqlalchemy = info.environment.distributions.sqlalchemy?.version;
  if (!info.packages.sqlalchemy || !sqlalchemy) return null;
  const pinned = envPy ? /postgres(?:ql)?\+(\w+):\/\//.exec(stripPythonComments(readTextIfPresent(envPy) ?? ''))?.[1] : undefined;
  const modern =
    compareVersions(parseVersion(sqlalchemy) ?? { epoch: 0, release: [0], pre: null, post: null, dev: null, local: [] }, {
      epoch: 0,
      release: [2, 1],
      pre: null,
      post: null,
      dev: null,
      local: [],
    }) >= 0;
  const driver = pinned ?? (modern ? 'psycopg' : 'psycopg2');
  const why = pinned
    ? `${path
        .relative(repoDir, envPy as string)
        .split(path.sep)
        .join('/')} asks for postgresql+${pinned}`
    : `SQLAlchemy ${sqlalchemy} loads ${driver}${driver === 'psycopg' ? ' (psycopg 3)' : ''} for a postgresql:// URL`;
  const known = driver in DRIVER_DISTRIBUTION;
  const importable = known ? info.environment.drivers[driver] === true : true;
  return {
    id: 'database-driver',
    title: 'Database driver for Alembic',
    ok: importable,
    detail: importable
      ? `${driver}: ${why}`
      : `${why}, and ${driver} is not installed for ${describeCandidate(info)}: the migrations would stop with "No module named '${driver}'"`,
    ...(importable ? {} : { fix: pipArgumentsCommand(info, [DRIVER_DISTRIBUTION[driver]], platform) }),
  };
}

function stripPythonComments(source: string): string {
  return source.replace(/^\s*#.*$/gm, '');
}

const SOURCE_WORDS: Record<PythonInfo['source'], string> = {
  flag: 'the one you chose',
  env: 'from SKELDIR_PYTHON',
  'repo-venv': "the repository's virtualenv",
  'active-venv': 'the activated virtualenv (VIRTUAL_ENV)',
  'py-launcher': 'the py launcher',
  path: 'from PATH',
};

function versionCheck(info: PythonInfo, platform: NodeJS.Platform): PrerequisiteCheck {
  const wanted = `${MINIMUM_PYTHON[0]}.${MINIMUM_PYTHON[1]}`;
  const good = versionAtLeast(info.version, MINIMUM_PYTHON);
  const venvCommand = platform === 'win32' ? `py -${wanted} -m venv backend\\.venv` : `python${wanted} -m venv backend/.venv`;
  return {
    id: 'python-version',
    title: `Python ${wanted} or newer`,
    ok: good,
    detail: `Python ${info.version ?? 'unknown version'}`,
    ...(good
      ? {}
      : {
          fix:
            `Python ${info.version ?? '(unknown version)'} was found at ${describeCandidate(info)}, but the backend needs ${wanted}+. ` +
            `Install Python ${wanted} or newer, then create the repo's virtualenv with it (${venvCommand}) or choose that interpreter.`,
          action: 'choose-python',
        }),
  };
}

/**
 * The exact pip command for this interpreter. Paths are absolute so it works from
 * any folder; on Windows a quoted program needs PowerShell's call operator "&"
 * (the guide's shell), since a leading quoted string is otherwise an expression.
 */
export function pipInstallCommand(info: Pick<PythonInfo, 'command' | 'launcherArgs'>, repoDir: string, platform: NodeJS.Platform): string {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const program = pythonProgram(info, platform);
  const requirements = paths.join(repoDir, 'backend', 'requirements.txt');
  if (fs.existsSync(requirements)) return `${program} -m pip install -r "${requirements}"`;
  return `${program} -m pip install ${PROBED_MODULES.map((name) => DISTRIBUTION_OF[name]).join(' ')}`;
}

/** `pip install` of these requirement arguments for this interpreter, each quoted (brackets and ">" mean something to shells). */
export function pipArgumentsCommand(info: Pick<PythonInfo, 'command' | 'launcherArgs'>, args: string[], platform: NodeJS.Platform): string {
  return `${pythonProgram(info, platform)} -m pip install ${args.map((arg) => `"${arg}"`).join(' ')}`;
}

/**
 * The interpreter at the start of a command to paste. On Windows a path without spaces goes
 * bare, which cmd.exe and PowerShell both run; a quoted one needs PowerShell's call operator
 * (`& "C:\Program Files\…"`), the shell Windows opens by default (cmd.exe would refuse the `&`).
 */
function pythonProgram(info: Pick<PythonInfo, 'command' | 'launcherArgs'>, platform: NodeJS.Platform): string {
  if (info.launcherArgs.length) return describeCandidate(info);
  if (platform !== 'win32') return `"${info.command}"`;
  return /^[\w.:\\/-]+$/.test(info.command) ? info.command : `& "${info.command}"`;
}

/** The project's Alembic configuration (alembic.ini and/or pyproject.toml [tool.alembic]) as read, with its env.py; null parts when absent or unreadable. */
interface ProjectConfiguration {
  files: ConfigurationFiles | null;
  ini: AlembicIni | null;
  envPy: string | undefined;
}

async function projectConfiguration(repoDir: string, platform: NodeJS.Platform): Promise<ProjectConfiguration> {
  const files = findConfiguration(repoDir);
  const read = files ? await readConfiguration(files, platform === 'win32' ? 'win32' : 'posix') : null;
  const ini = read?.ok ? read.value : null;
  const envPy = ini ? path.resolve(ini.here, ini.scriptLocation, 'env.py') : undefined;
  return { files, ini, envPy: envPy && isFile(envPy) ? envPy : undefined };
}

/**
 * Whether the project's configuration hands Alembic DATABASE_URL; null when there is no
 * configuration to ask: a folder that does not exist or holds no alembic.ini is the
 * repository's problem, which opening the project reports, not a prerequisite of the interpreter.
 */
function alembicIniCheck({ files, envPy }: ProjectConfiguration): PrerequisiteCheck | null {
  if (!files) return null;
  const config = files.iniExists ? files.iniPath : (files.tomlPath as string);
  const title = files.iniExists ? 'alembic.ini reads DATABASE_URL' : 'pyproject.toml [tool.alembic] reads DATABASE_URL';
  const text = readTextIfPresent(config);
  if (text === undefined) {
    return { id: 'alembic-ini', title, ok: false, detail: `${config} cannot be read`, fix: `Check the permissions of ${config}.` };
  }
  // The Skeldir layout leaves sqlalchemy.url empty and has env.py read DATABASE_URL; either file may say so.
  const where = text.includes('DATABASE_URL')
    ? path.basename(config)
    : envPy && readTextIfPresent(envPy)?.includes('DATABASE_URL')
      ? path.relative(path.dirname(config), envPy)
      : undefined;
  if (where) return { id: 'alembic-ini', title, ok: true, detail: `${config} (DATABASE_URL used in ${where})` };
  return {
    id: 'alembic-ini',
    title,
    ok: false,
    detail: `${config} does not use DATABASE_URL${envPy ? `, nor does ${envPy}` : ''}: migrations would go to whatever sqlalchemy.url names`,
    fix: 'Leave "sqlalchemy.url =" empty in alembic.ini and, in alembic/env.py, add: ' + 'config.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])',
  };
}

/**
 * Reads `alembic.ini` the way Alembic does (Python's configparser with Alembic's
 * `here` default): sections, `key = value` / `key: value`, indented continuation lines,
 * full-line `#`/`;` comments (no inline comments: configparser keeps `# …` after a value),
 * case-insensitive keys, `%(name)s` interpolation with `%%` for a literal percent sign,
 * and the same errors for duplicate sections/options and lines outside a section.
 *
 * Only the options the rebuild needs are interpolated, so a broken value elsewhere in the
 * file does not stop us (it does not stop Alembic either, until something reads it).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { appError, err, ok, type Result } from '../../../shared/errors/app-error';

export type PathPlatform = 'posix' | 'win32';

export interface AlembicIni {
  /** The ini file read. */
  path: string;
  /** Its folder: what `%(here)s` expands to. */
  here: string;
  /** The section read (Alembic's `-n`, default 'alembic'). */
  section: string;
  /** `script_location`, interpolated, as written (relative paths are relative to where Alembic runs). */
  scriptLocation: string;
  /** `version_locations` interpolated and split; null when the option is absent (Alembic then uses <script_location>/versions). */
  versionLocations: string[] | null;
  /** The separator setting used to split (path_separator, else version_path_separator); null means Alembic's legacy space/comma split. */
  pathSeparator: string | null;
  /** `prepend_sys_path`, interpolated and split. */
  prependSysPath: string[];
  /** `recursive_version_locations`: whether Alembic reads revisions in sub-folders of the version locations. */
  recursiveVersionLocations: boolean;
  /** Whether the file mentions DATABASE_URL anywhere (env.py usually reads it instead of sqlalchemy.url). */
  mentionsDatabaseUrl: boolean;
  /** Raw (not interpolated) options of the section, keys lower-cased. */
  options: Record<string, string>;
}

export interface IniOptions {
  /** Which separator `os` means: ':' on posix, ';' on win32. Defaults to this machine's. */
  platform?: PathPlatform;
  /** Section to read; default 'alembic'. */
  section?: string;
}

interface Option {
  lines: string[];
  line: number;
}

const MAX_INTERPOLATION_DEPTH = 10;

/** Reads and parses an ini file; a missing file is 'alembic-ini-missing'. */
export async function readAlembicIni(iniPath: string, opts: IniOptions = {}): Promise<Result<AlembicIni>> {
  let text: string;
  try {
    text = await fs.readFile(iniPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return err(
        appError('alembic-ini-missing', `There is no alembic.ini at ${iniPath}.`, {
          remediation: 'Point the app at the backend checkout that holds alembic.ini (the folder you run `alembic upgrade` from).',
        }),
      );
    }
    return err(
      appError('alembic-ini-invalid', `${iniPath} could not be read (${code ?? (e instanceof Error ? e.message : String(e))}).`, {
        remediation: 'Check that the file is readable by your user.',
      }),
    );
  }
  if (text.startsWith('\uFEFF')) {
    // Alembic's configparser reads the mark as text before the first section and stops with
    // MissingSectionHeaderError in R4: said now, before anything is dropped.
    return err(
      appError('alembic-ini-invalid', `${iniPath} starts with a UTF-8 byte order mark (BOM), which Alembic cannot read (it fails with MissingSectionHeaderError).`, {
        remediation: 'Save alembic.ini as UTF-8 without BOM (in Notepad: "UTF-8", not "UTF-8 with BOM"; in VS Code: "Save with Encoding" → UTF-8).',
      }),
    );
  }
  return parseAlembicIni(text, iniPath, opts);
}

/** Parses ini text; `iniPath` sets `%(here)s` and appears in messages. Never throws. */
export function parseAlembicIni(text: string, iniPath: string, opts: IniOptions = {}): Result<AlembicIni> {
  try {
    return parse(typeof text === 'string' ? text : '', String(iniPath), opts);
  } catch (e) {
    return err(appError('alembic-ini-invalid', `${iniPath} could not be parsed (${e instanceof Error ? e.message : String(e)}).`));
  }
}

function parse(text: string, iniPath: string, opts: IniOptions): Result<AlembicIni> {
  const invalid = (line: number, message: string, remediation = 'Fix that line of alembic.ini.') =>
    err<AlembicIni>(appError('alembic-ini-invalid', `${iniPath}, line ${line}: ${message}`, { detail: `${iniPath}:${line}`, remediation }));

  const sections = new Map<string, Map<string, Option>>();
  const defaults = new Map<string, Option>();
  let current: Map<string, Option> | null = null;
  let sectionName = '';
  let option: Option | null = null;
  let indentLevel = 0;
  const problems: number[] = [];

  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (const [i, raw] of lines.entries()) {
    const lineNo = i + 1;
    const stripped = raw.trim();
    if (stripped.startsWith('#') || stripped.startsWith(';')) continue;
    if (stripped === '') {
      // configparser keeps blank lines inside a multi-line value (trailing ones are dropped at the end).
      if (option) option.lines.push('');
      continue;
    }
    const indent = raw.length - raw.replace(/^\s+/, '').length;
    if (current && option && indent > indentLevel) {
      option.lines.push(stripped);
      continue;
    }
    indentLevel = indent;
    const header = /^\[(.+)\]/.exec(stripped);
    if (header) {
      sectionName = header[1];
      if (sectionName === 'DEFAULT') current = defaults;
      else if (sections.has(sectionName)) return invalid(lineNo, `section [${sectionName}] appears twice.`, 'Merge the two sections into one.');
      else {
        current = new Map();
        sections.set(sectionName, current);
      }
      option = null;
      continue;
    }
    if (!current) return invalid(lineNo, 'this line comes before any [section] header.', 'Start the file with the [alembic] section header.');
    const kv = /^(.*?)\s*([=:])\s*(.*)$/.exec(stripped);
    const key = kv ? kv[1].trimEnd().toLowerCase() : '';
    if (!kv || key === '') {
      problems.push(lineNo);
      option = null;
      continue;
    }
    if (current.has(key)) return invalid(lineNo, `option '${key}' appears twice in [${sectionName}].`, 'Keep only one of the two lines.');
    option = { lines: [kv[3]], line: lineNo };
    current.set(key, option);
  }
  if (problems.length > 0) {
    return invalid(problems[0], `"${lines[problems[0] - 1].trim().slice(0, 80)}" is not a 'key = value' line.`);
  }

  const sectionWanted = opts.section ?? 'alembic';
  const section = sections.get(sectionWanted);
  if (!section) {
    return err(
      appError('alembic-ini-invalid', `${iniPath} has no [${sectionWanted}] section, so Alembic cannot find script_location.`, {
        remediation: `Add an [${sectionWanted}] section with script_location = <migrations folder>.`,
      }),
    );
  }
  const here = path.resolve(path.dirname(iniPath));
  const rawValue = (o: Option) => o.lines.join('\n').replace(/\s+$/, '');
  const lookup = (key: string): Option | undefined => section.get(key) ?? defaults.get(key);

  const get = (key: string): Result<string | null> => {
    const o = lookup(key);
    if (!o) return ok(null);
    const value = interpolate(rawValue(o), (name) => {
      if (name === 'here' && !lookup('here')) return here;
      const found = lookup(name);
      return found ? rawValue(found) : undefined;
    });
    if (typeof value === 'string') return ok(value);
    return err(appError('alembic-ini-invalid', `${iniPath}, line ${o.line}: ${key}: ${value.problem}`, { detail: `${iniPath}:${o.line}`, remediation: 'Write %% for a literal percent sign, or %(name)s for another option.' }));
  };

  const scriptLocation = get('script_location');
  if (!scriptLocation.ok) return scriptLocation;
  if (!scriptLocation.value) {
    return err(
      appError('alembic-ini-invalid', `${iniPath} has no script_location in [${sectionWanted}] ("No 'script_location' key found in configuration").`, {
        remediation: 'Add script_location = alembic (the folder holding env.py and versions/).',
      }),
    );
  }

  const sep = get('path_separator');
  if (!sep.ok) return sep;
  const legacySep = get('version_path_separator');
  if (!legacySep.ok) return legacySep;
  const sepSetting = sep.value ?? legacySep.value;
  const sepName = sep.value !== null ? 'path_separator' : 'version_path_separator';
  const platform = opts.platform ?? (process.platform === 'win32' ? 'win32' : 'posix');
  const splitChar = separatorChar(sepSetting, platform);
  if (splitChar === undefined) {
    const o = lookup(sepName) as Option;
    return invalid(o.line, `'${sepSetting}' is not a valid value for ${sepName}; expected 'space', 'newline', 'os', ':', ';' or ','.`);
  }

  const versions = get('version_locations');
  if (!versions.ok) return versions;
  const versionLocations = versions.value ? splitPaths(versions.value, splitChar, /, *| +/) : null;

  const prepend = get('prepend_sys_path');
  if (!prepend.ok) return prepend;
  // Alembic splits prepend_sys_path by path_separator only; version_path_separator does not apply to it.
  const prependChar = sep.value !== null ? splitChar : null;
  const prependSysPath = prepend.value ? splitPaths(prepend.value, prependChar, /, *| +|:/) : [];

  const recursive = get('recursive_version_locations');
  if (!recursive.ok) return recursive;

  const options: Record<string, string> = {};
  for (const [k, o] of section) options[k] = rawValue(o);

  return ok({
    path: iniPath,
    here,
    section: sectionWanted,
    scriptLocation: scriptLocation.value,
    versionLocations,
    pathSeparator: sepSetting,
    prependSysPath,
    recursiveVersionLocations: /^(true|yes|on|y|t|1)$/i.test((recursive.value ?? '').trim()),
    mentionsDatabaseUrl: /DATABASE_URL/.test(text),
    options,
  });
}

/** null = legacy splitting; undefined = not a valid setting. */
function separatorChar(setting: string | null, platform: PathPlatform): string | null | undefined {
  if (setting === null) return null;
  const table: Record<string, string> = { space: ' ', newline: '\n', os: platform === 'win32' ? ';' : ':', ':': ':', ';': ';', ',': ',' };
  return Object.prototype.hasOwnProperty.call(table, setting.trim()) ? table[setting.trim()] : undefined;
}

function splitPaths(value: string, char: string | null, legacy: RegExp): string[] {
  const parts = char === null ? value.split(legacy) : value.split(char);
  return parts.map((p) => (char === null ? p : p.trim())).filter((p) => p.trim() !== '');
}

/** configparser's BasicInterpolation. */
function interpolate(value: string, lookup: (name: string) => string | undefined, depth = 0): string | { problem: string } {
  if (depth > MAX_INTERPOLATION_DEPTH) return { problem: 'interpolation is nested too deeply (a value refers to itself?)' };
  let out = '';
  let i = 0;
  while (i < value.length) {
    const pct = value.indexOf('%', i);
    if (pct < 0) {
      out += value.slice(i);
      break;
    }
    out += value.slice(i, pct);
    const next = value[pct + 1];
    if (next === '%') {
      out += '%';
      i = pct + 2;
      continue;
    }
    const m = /^%\(([^)]*)\)s/.exec(value.slice(pct));
    if (next !== '(' || !m) return { problem: `'%' must be followed by '%' or '(name)s' (at "${value.slice(pct, pct + 12)}")` };
    const name = m[1].toLowerCase();
    const found = lookup(name);
    if (found === undefined) return { problem: `%(${m[1]})s refers to an option that does not exist` };
    const expanded = found.includes('%') ? interpolate(found, lookup, depth + 1) : found;
    if (typeof expanded !== 'string') return expanded;
    out += expanded;
    i = pct + m[0].length;
  }
  return out;
}

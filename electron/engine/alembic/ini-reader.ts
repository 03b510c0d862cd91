/**
 * Reads `alembic.ini` the way Alembic does (Python's configparser with Alembic's
 * `here` default): sections, `key = value` / `key: value`, indented continuation lines,
 * full-line `#`/`;` comments (no inline comments: configparser keeps `# …` after a value),
 * case-insensitive keys, `%(name)s` interpolation with `%%` for a literal percent sign,
 * and the same errors for duplicate sections/options and lines outside a section.
 *
 * Each option is read only where Alembic reads it (a separator only when a value needs
 * splitting, version_path_separator only without path_separator), so an option Alembic
 * never reads cannot fail a load; what the ini lacks comes from pyproject.toml's
 * `[tool.alembic]`, as in Alembic 1.16+.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { appError, err, ok, type Result } from '../../../shared/errors/app-error';
import type { TomlValue } from './toml-alembic';

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
  /** The `[tool.alembic]` table of the pyproject.toml Alembic would read, if any (Alembic ≥ 1.16). */
  toml?: Record<string, TomlValue> | null;
  /** Where that pyproject.toml is (its folder is what `%(here)s` means in it). */
  tomlPath?: string;
}

interface Option {
  lines: string[];
  line: number;
}

const MAX_INTERPOLATION_DEPTH = 10;

/**
 * Reads and parses an ini file; a missing file is 'alembic-ini-missing'. A synchronous read:
 * one small file, and fs.promises alone costs the CLI's `graph` a dozen Node modules at start-up.
 */
export async function readAlembicIni(iniPath: string, opts: IniOptions = {}): Promise<Result<AlembicIni>> {
  let text: string;
  try {
    text = readFileSync(iniPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return err(
        appError('alembic-ini-missing', `There is no alembic.ini at ${iniPath}.`, {
          remediation: 'Choose the backend checkout that holds alembic.ini (the folder you run `alembic upgrade` from).',
          action: 'choose-repository',
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
      appError(
        'alembic-ini-invalid',
        `${iniPath} starts with a UTF-8 byte order mark (BOM), which Alembic cannot read (it fails with MissingSectionHeaderError).`,
        {
          remediation: 'Save alembic.ini as UTF-8 without BOM (in Notepad: "UTF-8", not "UTF-8 with BOM"; in VS Code: "Save with Encoding" → UTF-8).',
        },
      ),
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
    if (!current) {
      // configparser stops here with MissingSectionHeaderError; a line that starts with "[" was meant as the header.
      const broken = brokenSectionHeader(stripped, path.basename(iniPath));
      if (broken) return invalid(lineNo, broken.problem, broken.remediation);
      return invalid(lineNo, 'this line comes before any [section] header.', 'Start the file with the [alembic] section header.');
    }
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
    const problemLine = lines[problems[0] - 1].trim();
    // After a section, configparser reads "[loggers" as an option line without "=" (ParsingError): say what it was meant to be.
    const broken = brokenSectionHeader(problemLine, path.basename(iniPath));
    if (broken) return invalid(problems[0], broken.problem, broken.remediation);
    return invalid(problems[0], `"${problemLine.slice(0, 80)}" is not a 'key = value' line.`);
  }

  const sectionWanted = opts.section ?? 'alembic';
  const section = sections.get(sectionWanted) ?? new Map<string, Option>();
  const toml = opts.toml ?? null;
  if (!sections.has(sectionWanted) && !toml) {
    return err(
      appError('alembic-ini-invalid', `${iniPath} has no [${sectionWanted}] section, so Alembic cannot find script_location.`, {
        remediation: `Add an [${sectionWanted}] section with script_location = <migrations folder>.`,
      }),
    );
  }
  const here = path.resolve(path.dirname(iniPath));
  const rawValue = (o: Option) => o.lines.join('\n').replace(/\s+$/, '');
  // configparser's has_option: the section's own options or [DEFAULT]'s (`here` is a default too).
  const lookup = (key: string): Option | undefined => section.get(key) ?? defaults.get(key);
  const hasOption = (key: string) => sections.has(sectionWanted) && (lookup(key) !== undefined || key === 'here');

  const get = (key: string): Result<string | null> => {
    const o = lookup(key);
    if (!o) return ok(null);
    const value = interpolate(rawValue(o), (name) => {
      if (name === 'here' && !lookup('here')) return here;
      const found = lookup(name);
      return found ? rawValue(found) : undefined;
    });
    if (typeof value === 'string') return ok(value);
    return err(
      appError('alembic-ini-invalid', `${iniPath}, line ${o.line}: ${key}: ${value.problem}`, {
        detail: `${iniPath}:${o.line}`,
        remediation: 'Write %% for a literal percent sign, or %(name)s for another option.',
      }),
    );
  };

  // [tool.alembic] values: Python's `value % {"here": ...}` on each string.
  const tomlHere = opts.tomlPath ? path.resolve(path.dirname(opts.tomlPath)) : here;
  const tomlFile = opts.tomlPath ?? 'pyproject.toml';
  const tomlString = (key: string, v: string): Result<string> => {
    const value = interpolate(v, (name) => (name === 'here' ? tomlHere : undefined));
    if (typeof value === 'string') return ok(value);
    return err(
      appError('alembic-ini-invalid', `${tomlFile}: [tool.alembic] ${key}: ${value.problem}`, {
        remediation: 'Write %% for a literal percent sign, or %(here)s for the folder of pyproject.toml.',
      }),
    );
  };
  const tomlGet = (key: string): Result<string | string[] | null> => {
    if (!toml || !Object.prototype.hasOwnProperty.call(toml, key)) return ok(null);
    const v = toml[key];
    if (typeof v === 'string') return tomlString(key, v);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
      const out: string[] = [];
      for (const x of v as string[]) {
        const r = tomlString(key, x);
        if (!r.ok) return r;
        out.push(r.value);
      }
      return ok(out);
    }
    return err(
      appError('alembic-ini-invalid', `${tomlFile}: [tool.alembic] ${key} must be a string or a list of strings.`, {
        remediation: `Write ${key} as a string (or a list of strings) in pyproject.toml.`,
      }),
    );
  };

  // Alembic's get_alembic_option: the ini's section first, then [tool.alembic].
  let scriptLocationValue: string | null;
  if (hasOption('script_location')) {
    const r = get('script_location');
    if (!r.ok) return r;
    scriptLocationValue = r.value;
  } else {
    const r = tomlGet('script_location');
    if (!r.ok) return r;
    scriptLocationValue = Array.isArray(r.value) ? null : r.value;
  }
  if (!scriptLocationValue) {
    return err(
      appError(
        'alembic-ini-invalid',
        `${iniPath} has no script_location in [${sectionWanted}]${toml ? ' or [tool.alembic]' : ''} ("No 'script_location' key found in configuration").`,
        {
          remediation: 'Add script_location = alembic (the folder holding env.py and versions/).',
        },
      ),
    );
  }

  const platform = opts.platform ?? (process.platform === 'win32' ? 'win32' : 'posix');
  // Alembic's _get_file_separator_char: read only when a value needs splitting, first name set wins.
  const separator = (names: string[]): Result<{ setting: string; char: string } | null> => {
    for (const name of names) {
      const v = get(name);
      if (!v.ok) return v;
      if (v.value === null) continue;
      const char = separatorChar(v.value, platform);
      if (char === undefined || char === null) {
        const o = lookup(name) as Option;
        return err(
          appError(
            'alembic-ini-invalid',
            `${iniPath}, line ${o.line}: '${v.value}' is not a valid value for ${name}; expected 'space', 'newline', 'os', ':' or ';'.`,
            {
              detail: `${iniPath}:${o.line}`,
              remediation: 'Fix that line of alembic.ini (configparser keeps a `# comment` after a value as part of it).',
            },
          ),
        );
      }
      return ok({ setting: v.value, char });
    }
    return ok(null);
  };

  // from_config reads prepend_sys_path (splitting by path_separator only) before version_locations.
  const prependRaw = get('prepend_sys_path');
  if (!prependRaw.ok) return prependRaw;
  let prependSysPath: string[] = [];
  if (prependRaw.value) {
    const sep = separator(['path_separator']);
    if (!sep.ok) return sep;
    prependSysPath = splitPaths(prependRaw.value, sep.value?.char ?? null, /, *| +|:/);
  } else {
    const t = tomlGet('prepend_sys_path');
    if (!t.ok) return t;
    prependSysPath = t.value === null ? [] : Array.isArray(t.value) ? t.value : [t.value];
  }

  let recursiveVersionLocations: boolean;
  if (hasOption('recursive_version_locations')) {
    const r = get('recursive_version_locations');
    if (!r.ok) return r;
    // get_alembic_boolean_option compares with "true" exactly: `True` or `yes` read as false.
    recursiveVersionLocations = r.value === 'true';
  } else {
    const v = toml?.recursive_version_locations ?? false;
    if (typeof v !== 'boolean') {
      return err(
        appError('alembic-ini-invalid', `${tomlFile}: boolean value expected for TOML parameter 'recursive_version_locations'.`, {
          remediation: 'Write recursive_version_locations = true (or false) in [tool.alembic].',
        }),
      );
    }
    recursiveVersionLocations = v;
  }

  const versions = get('version_locations');
  if (!versions.ok) return versions;
  let versionLocations: string[] | null = null;
  let pathSeparator: string | null = null;
  if (versions.value) {
    const sep = separator(['path_separator', 'version_path_separator']);
    if (!sep.ok) return sep;
    pathSeparator = sep.value?.setting ?? null;
    versionLocations = splitPaths(versions.value, sep.value?.char ?? null, /, *| +/);
  } else {
    const t = tomlGet('version_locations');
    if (!t.ok) return t;
    versionLocations = t.value === null ? null : Array.isArray(t.value) ? t.value : [t.value];
  }

  const options: Record<string, string> = {};
  for (const [k, o] of section) options[k] = rawValue(o);

  return ok({
    path: iniPath,
    here,
    section: sectionWanted,
    scriptLocation: scriptLocationValue,
    versionLocations,
    pathSeparator,
    prependSysPath,
    recursiveVersionLocations,
    mentionsDatabaseUrl: /DATABASE_URL/.test(text),
    options,
  });
}

/**
 * What is wrong with a line that starts with "[" but is not a header configparser accepts
 * (its SECTCRE, `\[(?P<header>.+)\]`: a closing "]" after at least one character); null for
 * any other line. Used only where configparser refuses the line, so we refuse what Alembic refuses.
 */
function brokenSectionHeader(stripped: string, fileName: string): { problem: string; remediation: string } | null {
  if (!stripped.startsWith('[') || /^\[(.+)\]/.test(stripped)) return null;
  const shown = `"${stripped.slice(0, 80)}"`;
  const name = stripped.slice(1).replace(/\]/g, '').trim();
  if (!stripped.includes(']')) {
    return {
      problem: `${shown} is not a valid section header (it lacks the closing "]").`,
      remediation: `Write that line of ${fileName} as [${name.slice(0, 80)}].`,
    };
  }
  return {
    problem: `${shown} is not a valid section header (it names no section between "[" and "]").`,
    remediation: `Write the section\u2019s name between the brackets on that line of ${fileName} (for example [alembic]), or delete the line.`,
  };
}

/** null = legacy splitting; undefined = not a valid setting. */
function separatorChar(setting: string | null, platform: PathPlatform): string | null | undefined {
  if (setting === null) return null;
  // Alembic 1.20's table, matched exactly: `os  # comment` is not `os` (configparser keeps inline comments).
  const table: Record<string, string> = { space: ' ', newline: '\n', os: platform === 'win32' ? ';' : ':', ':': ':', ';': ';' };
  return Object.prototype.hasOwnProperty.call(table, setting) ? table[setting] : undefined;
}

/**
 * Alembic's splitting, kept exact: the legacy regex split keeps empty pieces, the separator
 * split drops empty pieces before stripping (so `a; ;b` keeps an empty path). An empty path
 * is the folder Alembic runs in.
 */
function splitPaths(value: string, char: string | null, legacy: RegExp): string[] {
  if (char === null) return value.split(legacy);
  return value
    .split(char)
    .filter((p) => p !== '')
    .map((p) => p.trim());
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

import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAlembicIni, readAlembicIni } from '../../../../electron/engine/alembic/ini-reader';
import { makeTempDir } from '../../../support/temp-dir';

const INI = '/work/project/alembic.ini';
const parse = (text: string, platform: 'posix' | 'win32' = 'posix') => {
  const r = parseAlembicIni(text, INI, { platform });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('parseAlembicIni', () => {
  it('reads the options the rebuild needs', () => {
    const ini = parse(`# A generic, single database configuration.
[alembic]
script_location = %(here)s/alembic
prepend_sys_path = .
version_locations = alembic/versions/001_core_schema;alembic/versions/006_celery_foundation
version_path_separator = ;
recursive_version_locations = true
sqlalchemy.url = driver://user:pass@localhost/dbname

[loggers]
keys = root
`);
    expect(ini).toMatchObject({
      path: INI,
      here: '/work/project',
      section: 'alembic',
      scriptLocation: '/work/project/alembic',
      versionLocations: ['alembic/versions/001_core_schema', 'alembic/versions/006_celery_foundation'],
      pathSeparator: ';',
      prependSysPath: ['.'],
      recursiveVersionLocations: true,
      mentionsDatabaseUrl: false,
    });
    expect(ini.options['sqlalchemy.url']).toBe('driver://user:pass@localhost/dbname');
  });

  it('splits version_locations by each separator setting', () => {
    const base = '[alembic]\nscript_location = a\n';
    expect(parse(`${base}version_locations = a:b\nversion_path_separator = os\n`, 'posix').versionLocations).toEqual(['a', 'b']);
    expect(parse(`${base}version_locations = a;b\nversion_path_separator = os\n`, 'win32').versionLocations).toEqual(['a', 'b']);
    expect(parse(`${base}version_locations = a:b\nversion_path_separator = :\n`).versionLocations).toEqual(['a', 'b']);
    expect(parse(`${base}version_locations = a b  c\nversion_path_separator = space\n`).versionLocations).toEqual(['a', 'b', 'c']);
    expect(parse(`${base}version_locations =\n    a dir\n    b\nversion_path_separator = newline\n`).versionLocations).toEqual(['a dir', 'b']);
    // path_separator (Alembic 1.16+) wins over the legacy name.
    expect(parse(`${base}version_locations = a;b:c\npath_separator = ;\nversion_path_separator = :\n`).versionLocations).toEqual(['a', 'b:c']);
  });

  it("falls back to Alembic's legacy space/comma split", () => {
    const ini = parse('[alembic]\nscript_location = a\nversion_locations = one, two three\nprepend_sys_path = .:lib, src\n');
    expect(ini.versionLocations).toEqual(['one', 'two', 'three']);
    expect(ini.pathSeparator).toBeNull();
    expect(ini.prependSysPath).toEqual(['.', 'lib', 'src']);
    expect(parse('[alembic]\nscript_location = a\n').versionLocations).toBeNull();
  });

  it('handles key: value, continuation lines, comments, case and %% escapes', () => {
    const ini = parse(`[alembic]
; comment
SCRIPT_LOCATION: migrations
file_template = %%(rev)s_%%(slug)s
    # indented comment
version_locations = first
    second
post_write = black # not a comment in configparser
`);
    expect(ini.scriptLocation).toBe('migrations');
    expect(ini.versionLocations).toEqual(['first\nsecond']);
    expect(ini.options.file_template).toBe('%%(rev)s_%%(slug)s');
    expect(ini.options.post_write).toBe('black # not a comment in configparser');
  });

  it('interpolates other options and the DEFAULT section', () => {
    const ini = parse('[DEFAULT]\nroot = /srv\n[alembic]\nbase = %(root)s/app\nscript_location = %(base)s/alembic\n');
    expect(ini.scriptLocation).toBe('/srv/app/alembic');
  });

  it('notices DATABASE_URL anywhere in the file', () => {
    expect(parse('[alembic]\nscript_location = a\n# sqlalchemy.url comes from DATABASE_URL in env.py\n').mentionsDatabaseUrl).toBe(true);
  });
});

describe('parseAlembicIni reads each option only where Alembic does', () => {
  const base = '[alembic]\nscript_location = a\n';

  it('never reads a separator when nothing needs splitting, nor version_path_separator under path_separator', () => {
    // The line `alembic init` wrote for years: configparser keeps the comment in the value.
    const template = 'version_path_separator = os  # Use os.pathsep. Default configuration used for new projects.\n';
    expect(parse(`${base}${template}`).versionLocations).toBeNull();
    expect(parse(`${base}${template}path_separator = ;\nversion_locations = x;y\n`).versionLocations).toEqual(['x', 'y']);
    // ...but a value Alembic does read fails as in Alembic.
    const r = parseAlembicIni(`${base}${template}version_locations = x\n`, INI);
    expect(!r.ok && r.error.message).toContain("'os  # Use os.pathsep");
    expect(parseAlembicIni(`${base}version_locations = x\npath_separator = ,\n`, INI).ok).toBe(false);
    // prepend_sys_path is split by path_separator only.
    expect(parse(`${base}prepend_sys_path = .:src\nversion_path_separator = ;\n`).prependSysPath).toEqual(['.', 'src']);
  });

  it('reads recursive_version_locations as Alembic does: only the exact text true', () => {
    expect(parse(`${base}recursive_version_locations = true\n`).recursiveVersionLocations).toBe(true);
    for (const v of ['True', 'yes', '1', 'true  # on']) expect(parse(`${base}recursive_version_locations = ${v}\n`).recursiveVersionLocations, v).toBe(false);
  });

  it('splits exactly like Alembic, empty pieces included', () => {
    expect(parse(`${base}version_locations = a; ;b\npath_separator = ;\n`).versionLocations).toEqual(['a', '', 'b']);
    expect(parse(`${base}version_locations = a , b\n`).versionLocations).toEqual(['a', '', 'b']);
    expect(parse(`${base}version_locations = %(here)s/v1 %(here)s/v2\n`).versionLocations).toEqual(['/work/project/v1', '/work/project/v2']);
    expect(parse(`${base}version_locations = 100%%/x\npath_separator = ;\n`).versionLocations).toEqual(['100%/x']);
  });

  it('takes what the ini lacks from [tool.alembic], with %(here)s of pyproject.toml', () => {
    const toml = {
      script_location: '%(here)s/migrations',
      version_locations: ['%(here)s/m/v1', 'm/v2'],
      recursive_version_locations: true,
      prepend_sys_path: ['.'],
    };
    const only = parseAlembicIni('', INI, { toml, tomlPath: '/work/other/pyproject.toml' });
    expect(only.ok && only.value).toMatchObject({
      scriptLocation: '/work/other/migrations',
      versionLocations: ['/work/other/m/v1', 'm/v2'],
      recursiveVersionLocations: true,
      prependSysPath: ['.'],
    });
    // The ini wins where it has the option.
    const both = parseAlembicIni(`${base}recursive_version_locations = false\n`, INI, { toml, tomlPath: '/work/project/pyproject.toml' });
    expect(both.ok && [both.value.scriptLocation, both.value.recursiveVersionLocations, both.value.versionLocations]).toEqual([
      'a',
      false,
      ['/work/project/m/v1', 'm/v2'],
    ]);
    const notBool = parseAlembicIni(base, INI, { toml: { recursive_version_locations: 'true' } });
    expect(!notBool.ok && notBool.error.message).toContain('boolean value expected');
  });
});

describe('parseAlembicIni errors name the line', () => {
  const fails = (text: string) => {
    const r = parseAlembicIni(text, INI);
    expect(r.ok).toBe(false);
    return r.ok ? null : r.error;
  };

  it('rejects a bad interpolation on the option that uses it', () => {
    const e = fails('[alembic]\nscript_location = %(nope)s/x\n');
    expect(e?.code).toBe('alembic-ini-invalid');
    expect(e?.message).toContain('line 2');
    expect(fails('[alembic]\nscript_location = 100%\n')?.message).toContain('line 2');
  });

  it('ignores a bad interpolation in an option it does not need', () => {
    expect(parseAlembicIni('[alembic]\nscript_location = a\nfile_template = %(broken\n', INI).ok).toBe(true);
  });

  it('rejects lines outside sections, duplicates and lines without a value', () => {
    expect(fails('script_location = a\n')?.message).toContain('line 1');
    expect(fails('[alembic]\nscript_location = a\n[alembic]\n')?.message).toContain('line 3');
    expect(fails('[alembic]\nscript_location = a\nscript_location = b\n')?.message).toContain('line 3');
    expect(fails('[alembic]\nscript_location = a\njust words\n')?.message).toContain('line 3');
  });

  it('names a section header without its closing "]" as such, at its line, before or after another section', () => {
    const first = fails('# comment\n\n[alembic\nscript_location = a\n');
    expect(first?.message).toBe(`${INI}, line 3: "[alembic" is not a valid section header (it lacks the closing "]").`);
    expect(first?.remediation).toBe('Write that line of alembic.ini as [alembic].');
    expect(first?.detail).toBe(`${INI}:3`);
    const later = fails('[alembic]\nscript_location = a\n[loggers\nkeys = root\n');
    expect(later?.message).toBe(`${INI}, line 3: "[loggers" is not a valid section header (it lacks the closing "]").`);
    const empty = fails('[]\n[alembic]\nscript_location = a\n');
    expect(empty?.message).toBe(`${INI}, line 1: "[]" is not a valid section header (it names no section between "[" and "]").`);
    // A line that is no header at all keeps its own words.
    expect(fails('script_location = a\n')?.message).toBe(`${INI}, line 1: this line comes before any [section] header.`);
  });

  it('accepts the bracket lines configparser accepts: text after "]", and "[" in an option line of a section', () => {
    expect(parse('[alembic] trailing words\nscript_location = a\n').scriptLocation).toBe('a');
    // configparser reads "[x: y" inside a section as option "[x" with value "y".
    expect(parse('[alembic]\nscript_location = a\n[x: y\n').options['[x']).toBe('y');
  });

  it('rejects a missing [alembic] section or script_location', () => {
    expect(fails('[other]\nx = 1\n')?.message).toContain('[alembic]');
    expect(fails('[alembic]\nversion_locations = a\n')?.message).toContain('script_location');
  });

  it('rejects an unknown separator setting', () => {
    expect(fails('[alembic]\nscript_location = a\nversion_locations = a\nversion_path_separator = pipe\n')?.message).toContain('line 4');
  });
});

describe('readAlembicIni', () => {
  it('reports a missing file as alembic-ini-missing, naming the path', async () => {
    const dir = makeTempDir('ini-');
    const r = await readAlembicIni(path.join(dir, 'alembic.ini'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('alembic-ini-missing');
      expect(r.error.message).toContain(path.join(dir, 'alembic.ini'));
      expect(r.error.remediation).toBeTruthy();
    }
  });

  it('reads a file and sets here to its folder', async () => {
    const dir = makeTempDir('ini-');
    writeFileSync(path.join(dir, 'alembic.ini'), '[alembic]\r\nscript_location = %(here)s/alembic\r\n');
    const r = await readAlembicIni(path.join(dir, 'alembic.ini'));
    expect(r.ok && r.value.scriptLocation).toBe(`${dir}/alembic`);
  });
});

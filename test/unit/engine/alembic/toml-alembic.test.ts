import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findConfiguration, readConfiguration } from '../../../../electron/engine/alembic/alembic-configuration';
import { readToolAlembic } from '../../../../electron/engine/alembic/toml-alembic';

describe('readToolAlembic', () => {
  it('reads the [tool.alembic] table and nothing else', () => {
    const r = readToolAlembic(
      [
        '[project]',
        'name = "x"  # comment',
        'dependencies = ["alembic>=1.16", \'sqlalchemy\']',
        '',
        '[tool.alembic]',
        'script_location = "%(here)s/migrations"',
        'prepend_sys_path = [\'.\', "src",',
        '  ]',
        'recursive_version_locations = true',
        'truncate_slug_length = 40',
        'timezone = """UTC"""',
        'inline = { a = 1, b = "c" }',
        '"quoted key" = "\\u00e9\\t"',
        '',
        '[[tool.alembic.post_write_hooks]]',
        'name = "black"',
        '',
        '[tool.other]',
        'script_location = "no"',
      ].join('\n'),
      'pyproject.toml',
    );
    expect(r.ok && r.value).toEqual({
      script_location: '%(here)s/migrations',
      prepend_sys_path: ['.', 'src'],
      recursive_version_locations: true,
      truncate_slug_length: 40,
      timezone: 'UTC',
      inline: { a: 1, b: 'c' },
      'quoted key': '\u00e9\t',
    });
  });

  it('answers null without the table, and an error with the line for broken syntax', () => {
    expect(readToolAlembic('[project]\nname = "x"\n', 'p.toml')).toEqual({ ok: true, value: null });
    expect(readToolAlembic('tool.alembic.script_location = "m"\n', 'p.toml')).toEqual({ ok: true, value: { script_location: 'm' } });
    const bad = readToolAlembic('[tool.alembic]\nscript_location = "open\n', 'p.toml');
    expect(!bad.ok && bad.error.message).toContain('line 2');
  });

  it("refuses a byte order mark when the file has [tool.alembic], as Python's tomllib does", () => {
    const bom = readToolAlembic('\uFEFF[tool.alembic]\nscript_location = "m"\n', 'p.toml');
    expect(bom.ok).toBe(false);
    if (!bom.ok) {
      expect(bom.error.code).toBe('alembic-ini-invalid');
      expect(bom.error.message).toMatch(/p\.toml starts with a UTF-8 byte order mark/);
      expect(bom.error.remediation).toMatch(/without BOM/);
    }
    // Without the table the file is not Alembic's concern here: still "no table".
    expect(readToolAlembic('\uFEFF[project]\nname = "x"\n', 'p.toml')).toEqual({ ok: true, value: null });
  });

  it('stops the configuration load on a pyproject.toml with a BOM and [tool.alembic]', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'skeldir-toml-bom-'));
    try {
      writeFileSync(path.join(dir, 'alembic.ini'), '[alembic]\nscript_location = migrations\n');
      const toml = path.join(dir, 'pyproject.toml');
      writeFileSync(toml, '\uFEFF[tool.alembic]\nscript_location = "migrations"\n');
      const files = findConfiguration(dir);
      expect(files?.tomlPath).toBe(toml);
      const read = await readConfiguration(files as NonNullable<typeof files>);
      expect(read.ok).toBe(false);
      expect(!read.ok && read.error.code).toBe('alembic-ini-invalid');
      writeFileSync(toml, '\uFEFF[project]\nname = "x"\n');
      expect((await readConfiguration(files as NonNullable<typeof files>)).ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => typeof readToolAlembic(s, 'p.toml').ok === 'boolean'),
      { numRuns: 500 },
    );
  });
});

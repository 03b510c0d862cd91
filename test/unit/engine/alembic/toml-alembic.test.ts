import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
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

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => typeof readToolAlembic(s, 'p.toml').ok === 'boolean'),
      { numRuns: 500 },
    );
  });
});

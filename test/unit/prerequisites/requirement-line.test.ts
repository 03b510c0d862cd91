import { describe, expect, it } from 'vitest';
import { parseRequirementsFile } from '../../../shared/prerequisites/requirement-line';
import { formatSpecifiers } from '../../../shared/prerequisites/version-specifier';

describe('requirements files', () => {
  it('reads names, extras, specifiers and markers, and skips what only pip uses', () => {
    const file = parseRequirementsFile(
      [
        '# Development dependencies',
        'uvicorn[standard]>=0.24.0',
        'Python_Dotenv >= 1.0.0  # comment',
        'pydantic>=2.0.0,<3.0.0',
        'pywin32>=306; sys_platform == "win32"',
        'requests (>=2.0)',
        '-r requirements-base.txt',
        '--index-url https://example.invalid/simple',
        '-e .',
        'https://example.invalid/pkg.whl',
        'pkg @ https://example.invalid/pkg-1.0.tar.gz',
        'long-name \\',
        '  ==1.2',
        'bad name here!',
      ].join('\n'),
    );
    expect(file.requirements.map((r) => [r.key, r.extras, formatSpecifiers(r.specifiers), r.marker !== null, r.line])).toEqual([
      ['uvicorn', ['standard'], '>=0.24.0', false, 2],
      ['python-dotenv', [], '>=1.0.0', false, 3],
      ['pydantic', [], '>=2.0.0,<3.0.0', false, 4],
      ['pywin32', [], '>=306', true, 5],
      ['requests', [], '>=2.0', false, 6],
      ['pkg', [], '', false, 11],
      ['long-name', [], '==1.2', false, 12],
    ]);
    expect(file.includes).toEqual(['requirements-base.txt']);
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0].line).toBe(14);
  });
});

import { describe, expect, it } from 'vitest';
import { pythonImports } from '../../../shared/prerequisites/python-imports';

describe('pythonImports', () => {
  it('finds every form of import, not the ones inside strings', () => {
    const source = [
      '"""Module docstring.',
      'import not_this',
      'from not_that import x',
      '"""',
      'import os, sys as system',
      'from sqlalchemy.ext.asyncio import (',
      '    AsyncSession,  # comment',
      '    create_async_engine as make,',
      ')',
      'from . import sibling',
      'from ..pkg.mod import thing',
      'def f():',
      '    import celery; from app.core import db',
      "text = 'import fake'",
    ].join('\n');
    expect(pythonImports(source).map((i) => [i.module, i.level, i.names, i.line])).toEqual([
      ['os', 0, [], 5],
      ['sys', 0, [], 5],
      ['sqlalchemy.ext.asyncio', 0, ['AsyncSession', 'create_async_engine'], 6],
      ['', 1, ['sibling'], 10],
      ['pkg.mod', 2, ['thing'], 11],
      ['celery', 0, [], 13],
      ['app.core', 0, ['db'], 13],
    ]);
  });
});

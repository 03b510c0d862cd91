import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  commands,
  findProgram,
  firstPositional,
  joinPath,
  lastPositional,
  optionValues,
  scriptOf,
  shellAssignments,
  stripHeredocBodies,
  substituteShellVariables,
} from '../../../../electron/engine/ci/shell-commands';

describe('commands', () => {
  it('splits on newlines, ;, &&, || and | and keeps quoted words whole', () => {
    expect(commands(`cd backend && alembic upgrade head; pytest -k "not slow" || echo 'it failed' | tee out\npsql -c "SELECT 1"`)).toEqual([
      ['cd', 'backend'],
      ['alembic', 'upgrade', 'head'],
      ['pytest', '-k', 'not slow'],
      ['echo', 'it failed'],
      ['tee', 'out'],
      ['psql', '-c', 'SELECT 1'],
    ]);
  });

  it('drops comments but not a # inside a word or quotes', () => {
    expect(commands(`# set up\npytest tests/a#b "x # y" # trailing`)).toEqual([['pytest', 'tests/a#b', 'x # y']]);
  });

  it('keeps an empty quoted word and a PowerShell path as written', () => {
    expect(commands(`createdb "" && .\\scripts\\setup.ps1 -Name db`)).toEqual([
      ['createdb', ''],
      ['.\\scripts\\setup.ps1', '-Name', 'db'],
    ]);
  });

  it('gives back any plain words, however they are separated', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9_./=:-]{1,12}$/);
    const separator = fc.constantFrom(' ', '  ', '\t');
    fc.assert(
      fc.property(
        fc.array(fc.array(word, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }),
        separator,
        fc.constantFrom('\n', ';', ' && ', ' || ', ' | '),
        (lines, gap, between) => {
          const script = lines.map((words) => words.join(gap)).join(between);
          expect(commands(script)).toEqual(lines);
        },
      ),
    );
  });
});

describe('stripHeredocBodies', () => {
  it('removes a heredoc body so its SQL is not read as commands', () => {
    const script = `psql <<'SQL'\nCREATE ROLE app_user;\nSQL\nalembic upgrade head\ncat <<-EOF\n  pytest\n  EOF\necho done`;
    expect(commands(stripHeredocBodies(script))).toEqual([
      ['psql', '<<SQL'],
      ['alembic', 'upgrade', 'head'],
      ['cat', '<<-EOF'],
      ['echo', 'done'],
    ]);
  });
});

describe('findProgram', () => {
  it('finds a program run directly, through a path, through python -m or a runner', () => {
    expect(findProgram(['alembic', 'upgrade', 'head'], 'alembic')).toBe(0);
    expect(findProgram(['.venv/bin/alembic', 'upgrade', 'head'], 'alembic')).toBe(0);
    expect(findProgram(['python', '-m', 'alembic', 'upgrade', 'head'], 'alembic')).toBe(2);
    expect(findProgram(['poetry', 'run', 'py.test', '-q'], 'pytest', ['py.test'])).toBe(2);
  });

  it('does not take an installed, echoed or version-checked program for a run', () => {
    expect(findProgram(['pip', 'install', 'alembic'], 'alembic')).toBe(-1);
    expect(findProgram(['echo', 'alembic', 'upgrade', 'head'], 'alembic')).toBe(-1);
    expect(findProgram(['alembic', '--version'], 'alembic')).toBe(-1);
  });
});

describe('scriptOf', () => {
  it('names the script a command runs', () => {
    expect(scriptOf(['./scripts/db.sh', 'up'])).toBe('./scripts/db.sh');
    expect(scriptOf(['bash', '-e', 'scripts/db.sh'])).toBe('scripts/db.sh');
    expect(scriptOf(['pwsh', '-File', 'ci/setup.ps1'])).toBe('ci/setup.ps1');
    expect(scriptOf(['python', 'manage.py'])).toBeNull();
  });
});

describe('options and positionals', () => {
  it('reads an option in each of its spellings', () => {
    expect(optionValues(['-f', 'a.sql', '--file=b.sql', '-fc.sql', '--file', 'd.sql'], ['-f', '--file'])).toEqual(['a.sql', 'b.sql', 'c.sql', 'd.sql']);
  });

  it('skips options and their values, and stops at a redirection', () => {
    const args = ['-U', 'postgres', '--echo', 'skeldir', 'extra', '>', 'log.txt'];
    expect(firstPositional(args, ['-U'])).toBe('skeldir');
    expect(lastPositional(args, ['-U'])).toBe('extra');
  });
});

describe('joinPath', () => {
  it('joins relative to the working directory, in forward slashes', () => {
    expect(joinPath('backend', 'scripts/../db/init.sql')).toBe('backend/db/init.sql');
    expect(joinPath('', '.\\ci\\setup.ps1')).toBe('ci/setup.ps1');
    expect(joinPath('backend', '/db/init.sql')).toBe('db/init.sql');
    expect(joinPath('backend', '"..\\"')).toBe('');
  });
});

describe('shell variables', () => {
  it('reads NAME=value, export and $env: assignments and substitutes what it knows', () => {
    const env = shellAssignments(`DB=skeldir\nexport ROLE="app_user"\n$env:PGPORT = '5433'\nNOT_THIS=$(pwd)`);
    expect(env).toEqual({ DB: 'skeldir', ROLE: 'app_user', PGPORT: '5433' });
    expect(substituteShellVariables('createdb -O ${ROLE} -p $env:PGPORT $DB $UNKNOWN', env)).toBe('createdb -O app_user -p 5433 skeldir $UNKNOWN');
  });

  it('leaves a value that is still a GitHub expression unsubstituted', () => {
    expect(substituteShellVariables('psql $URL', { URL: '${{ secrets.URL }}' })).toBe('psql $URL');
  });
});

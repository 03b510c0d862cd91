import { describe, expect, it } from 'vitest';
import { pipArgumentsCommand } from '../../../../electron/engine/python/check-prerequisites';

/** The pip commands shown for copy and paste, as Windows' shells read them. */
describe('pip commands on Windows', () => {
  it('a path with spaces is quoted behind PowerShell’s call operator, which a bare quoted string needs', () => {
    const command = pipArgumentsCommand(
      { command: 'C:\\Users\\José Núñez\\My Projects\\.venv\\Scripts\\python.exe', launcherArgs: [] },
      ['psycopg[binary]'],
      'win32',
    );
    expect(command).toBe('& "C:\\Users\\José Núñez\\My Projects\\.venv\\Scripts\\python.exe" -m pip install "psycopg[binary]"');
  });

  it('a path without spaces goes bare, so the same line runs in cmd.exe, where "&" is refused', () => {
    const command = pipArgumentsCommand({ command: 'C:\\Python312\\python.exe', launcherArgs: [] }, ['celery>=5.3.6'], 'win32');
    expect(command).toBe('C:\\Python312\\python.exe -m pip install "celery>=5.3.6"');
  });

  it('the py launcher keeps its version argument', () => {
    expect(pipArgumentsCommand({ command: 'py', launcherArgs: ['-3'] }, ['alembic'], 'win32')).toBe('py -3 -m pip install "alembic"');
  });
});

describe('pip commands elsewhere', () => {
  it('quote the interpreter for a POSIX shell', () => {
    expect(pipArgumentsCommand({ command: '/home/dev/my proj/.venv/bin/python', launcherArgs: [] }, ['alembic'], 'linux')).toBe(
      '"/home/dev/my proj/.venv/bin/python" -m pip install "alembic"',
    );
  });
});

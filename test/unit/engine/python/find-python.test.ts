import * as path from 'node:path';
import { describe, it, expect } from 'vitest';
import { chooseInterpreter, findPython, interpreterInFolder, pythonCandidates, versionAtLeast } from '../../../../electron/engine/python/find-python';
import * as fs from 'node:fs';
import * as os from 'node:os';

const WIN_REPO = 'C:\\Users\\x\\II SKELDIR II';

function existing(...files: string[]): (file: string) => boolean {
  const set = new Set(files);
  return (file) => set.has(file);
}

describe('pythonCandidates on Windows', () => {
  it('lists the repo virtualenvs (Scripts\\python.exe), then py -3, then PATH, in a repo path with spaces', () => {
    const venv = path.win32.join(WIN_REPO, '.venv', 'Scripts', 'python.exe');
    const backendVenv = path.win32.join(WIN_REPO, 'backend', 'venv', 'Scripts', 'python.exe');
    const candidates = pythonCandidates({ platform: 'win32', repoDir: WIN_REPO, env: {}, exists: existing(venv, backendVenv) });
    expect(venv).toBe('C:\\Users\\x\\II SKELDIR II\\.venv\\Scripts\\python.exe');
    expect(candidates).toEqual([
      { command: venv, launcherArgs: [], source: 'repo-venv' },
      { command: 'C:\\Users\\x\\II SKELDIR II\\backend\\venv\\Scripts\\python.exe', launcherArgs: [], source: 'repo-venv' },
      { command: 'py', launcherArgs: ['-3'], source: 'py-launcher' },
      { command: 'python3', launcherArgs: [], source: 'path' },
      { command: 'python', launcherArgs: [], source: 'path' },
    ]);
  });

  it('looks for the virtualenvs in the documented order and only lists those that exist', () => {
    const asked: string[] = [];
    pythonCandidates({
      platform: 'win32',
      repoDir: WIN_REPO,
      env: {},
      exists: (file) => {
        asked.push(file);
        return false;
      },
    });
    expect(asked).toEqual([
      'C:\\Users\\x\\II SKELDIR II\\.venv\\Scripts\\python.exe',
      'C:\\Users\\x\\II SKELDIR II\\venv\\Scripts\\python.exe',
      'C:\\Users\\x\\II SKELDIR II\\backend\\.venv\\Scripts\\python.exe',
      'C:\\Users\\x\\II SKELDIR II\\backend\\venv\\Scripts\\python.exe',
    ]);
  });

  it('puts --python first and SKELDIR_PYTHON second, before the repo venv', () => {
    const venv = 'C:\\Users\\x\\II SKELDIR II\\backend\\.venv\\Scripts\\python.exe';
    const candidates = pythonCandidates({
      platform: 'win32',
      repoDir: WIN_REPO,
      flag: 'D:\\Python 3.12\\python.exe',
      env: { SKELDIR_PYTHON: 'C:\\Tools\\python.exe' },
      exists: existing(venv),
    });
    expect(candidates.map((candidate) => [candidate.source, candidate.command])).toEqual([
      ['flag', 'D:\\Python 3.12\\python.exe'],
      ['env', 'C:\\Tools\\python.exe'],
      ['repo-venv', venv],
      ['py-launcher', 'py'],
      ['path', 'python3'],
      ['path', 'python'],
    ]);
  });
});

describe('pythonCandidates with an activated virtualenv', () => {
  it('on Windows, tries the VIRTUAL_ENV one (a path with spaces and accents) after the repo venvs and before py -3, which would pass it over', () => {
    const active = 'C:\\Users\\José Núñez\\.virtualenvs\\skeldir';
    const interpreter = `${active}\\Scripts\\python.exe`;
    const candidates = pythonCandidates({ platform: 'win32', repoDir: WIN_REPO, env: { VIRTUAL_ENV: active }, exists: existing(interpreter) });
    expect(candidates.map((candidate) => [candidate.source, candidate.command])).toEqual([
      ['active-venv', interpreter],
      ['py-launcher', 'py'],
      ['path', 'python3'],
      ['path', 'python'],
    ]);
  });

  it('is listed once when it is the repo venv itself, and not at all when its interpreter is missing or the variable is relative', () => {
    const venv = path.win32.join(WIN_REPO, '.venv', 'Scripts', 'python.exe');
    const itself = pythonCandidates({ platform: 'win32', repoDir: WIN_REPO, env: { VIRTUAL_ENV: path.win32.join(WIN_REPO, '.venv') }, exists: existing(venv) });
    expect(itself.filter((candidate) => candidate.command === venv).map((candidate) => candidate.source)).toEqual(['repo-venv']);
    const missing = pythonCandidates({ platform: 'linux', repoDir: '/repo', env: { VIRTUAL_ENV: '/home/dev/venvs/gone' }, exists: existing() });
    expect(missing.map((candidate) => candidate.source)).not.toContain('active-venv');
    const relative = pythonCandidates({ platform: 'linux', repoDir: '/repo', env: { VIRTUAL_ENV: 'venvs/x' }, exists: () => true });
    expect(relative.map((candidate) => candidate.source)).not.toContain('active-venv');
  });

  it('on Linux, uses its bin/python', () => {
    const candidates = pythonCandidates({
      platform: 'linux',
      repoDir: '/repo',
      env: { VIRTUAL_ENV: '/home/dev/.cache/pypoetry/virtualenvs/skeldir-x' },
      exists: existing('/home/dev/.cache/pypoetry/virtualenvs/skeldir-x/bin/python'),
    });
    expect(candidates[0]).toEqual({ command: '/home/dev/.cache/pypoetry/virtualenvs/skeldir-x/bin/python', launcherArgs: [], source: 'active-venv' });
  });
});

describe('SKELDIR_PYTHON as cmd.exe keeps it', () => {
  it('drops the quotes `set SKELDIR_PYTHON="C:\\Program Files\\…"` leaves in the value', () => {
    const candidates = pythonCandidates({
      platform: 'win32',
      repoDir: WIN_REPO,
      env: { SKELDIR_PYTHON: '"C:\\Program Files\\Python312\\python.exe"' },
      exists: existing(),
    });
    expect(candidates[0]).toEqual({ command: 'C:\\Program Files\\Python312\\python.exe', launcherArgs: [], source: 'env' });
  });
});

describe('pythonCandidates on Linux', () => {
  it('uses bin/python in the virtualenvs and has no py launcher', () => {
    const repo = '/home/x/II SKELDIR II';
    const venv = '/home/x/II SKELDIR II/backend/.venv/bin/python';
    const candidates = pythonCandidates({ platform: 'linux', repoDir: repo, env: {}, exists: existing(venv) });
    expect(candidates).toEqual([
      { command: venv, launcherArgs: [], source: 'repo-venv' },
      { command: 'python3', launcherArgs: [], source: 'path' },
      { command: 'python', launcherArgs: [], source: 'path' },
    ]);
  });

  it('puts the flag before the environment variable, and ignores blank values', () => {
    const sources = (flag: string | undefined, env: string | undefined) =>
      pythonCandidates({ platform: 'linux', repoDir: '/r', flag, env: { SKELDIR_PYTHON: env }, exists: () => false }).map((candidate) => candidate.source);
    expect(sources('/opt/py/bin/python', '/usr/bin/python3.11')).toEqual(['flag', 'env', 'path', 'path']);
    expect(sources(undefined, '/usr/bin/python3.11')).toEqual(['env', 'path', 'path']);
    expect(sources('  ', '')).toEqual(['path', 'path']);
  });
});

describe('versionAtLeast', () => {
  it('compares major and minor numerically', () => {
    expect(versionAtLeast('3.11.7', [3, 11])).toBe(true);
    expect(versionAtLeast('3.12.0', [3, 11])).toBe(true);
    expect(versionAtLeast('3.9.18', [3, 11])).toBe(false);
    expect(versionAtLeast('2.7.18', [3, 11])).toBe(false);
    expect(versionAtLeast('4.0.0', [3, 11])).toBe(true);
    expect(versionAtLeast(null, [3, 11])).toBe(false);
  });
});

describe('a folder chosen as the interpreter', () => {
  it('names the virtualenv\u2019s interpreter inside it, in Windows paths on Windows (spaces and all)', () => {
    const venv = 'C:\\Users\\dev\\II SKELDIR II\\.venv';
    const there = new Set([`${venv}\\Scripts\\python.exe`]);
    expect(interpreterInFolder(venv, 'win32', (file) => there.has(file))).toBe(`${venv}\\Scripts\\python.exe`);
    expect(interpreterInFolder('/home/dev/.venv', 'linux', (file) => file === '/home/dev/.venv/bin/python3')).toBe('/home/dev/.venv/bin/python3');
    expect(interpreterInFolder('/tmp', 'linux', () => false)).toBeNull();
  });

  it('is said to be a folder, with the interpreter in it to choose; the advice speaks the system\u2019s paths', async () => {
    const venv = fs.mkdtempSync(path.join(os.tmpdir(), 'skeldir venv '));
    try {
      fs.mkdirSync(path.join(venv, 'bin'));
      fs.writeFileSync(path.join(venv, 'bin', 'python'), '');
      const found = await findPython({ repoDir: venv, flag: venv, env: {} });
      expect(found.ok).toBe(false);
      if (!found.ok) {
        expect(found.error.message).toBe(`The interpreter you chose, ${venv}, is a folder, not a Python interpreter.`);
        expect(found.error.remediation).toBe(
          `Choose ${path.join(venv, 'bin', 'python')}, the interpreter in that folder. Or leave the choice empty to search.`,
        );
      }
    } finally {
      fs.rmSync(venv, { recursive: true, force: true });
    }
    expect(chooseInterpreter('linux')).toBe('Choose the full path of the python program (for a virtualenv: <venv>/bin/python).');
    expect(chooseInterpreter('win32')).toContain('<venv>\\Scripts\\python.exe');
  });
});

import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBeforeOpening, checkRepoFolder, configFileLabel, type FolderProbe } from '../../../../electron/engine/project/check-repo-folder';
import { cleanTypedPath } from '../../../../shared/contract/typed-path';
import { REPO_ROOT } from '../../../support/python-env';
import { makeTempDir, writeFiles } from '../../../support/temp-dir';

/**
 * Setup's live check of the repository folder: Windows paths (spaces, Explorer's quotes,
 * a drive, alembic.ini picked instead of its folder) through path.win32 and a fake file
 * system; real folders on this machine through the rebuild's own openProject.
 */
const WIN_REPO = 'C:\\Users\\Dev One\\II SKELDIR II';
const FIXTURE_REPO = path.join(REPO_ROOT, 'test', 'fixtures', 'skeldir-foundation');

function windowsProbe(files: string[], dirs: string[]): FolderProbe {
  const lower = (list: string[]) => new Set(list.map((p) => p.toLowerCase()));
  const fileSet = lower(files);
  const dirSet = lower(dirs);
  return { pathApi: path.win32, isFile: (f) => fileSet.has(f.toLowerCase()), isDirectory: (d) => dirSet.has(d.toLowerCase()) };
}

/** A folder named `name` (spaces and all) holding `files`, inside a temp folder. */
function folder(name: string, files: Record<string, string> = {}): string {
  const dir = path.join(makeTempDir('repo-check-'), name);
  mkdirSync(dir, { recursive: true });
  writeFiles(dir, files);
  return dir;
}

const revision = (id: string, down: string | null) =>
  `"""Revision ${id}\n\nCreate Date: 2025-01-01 00:00:00\n"""\nrevision = '${id}'\ndown_revision = ${down === null ? 'None' : `'${down}'`}\n\ndef upgrade():\n    pass\n`;

describe('a typed path', () => {
  it('loses the quotes of Explorer\'s "Copy as path" and the spaces around it, never the spaces inside', () => {
    expect(cleanTypedPath(`"${WIN_REPO}"`)).toBe(WIN_REPO);
    expect(cleanTypedPath(`  ${WIN_REPO}\r\n`)).toBe(WIN_REPO);
    expect(cleanTypedPath(`'${WIN_REPO}'`)).toBe(WIN_REPO);
    expect(cleanTypedPath('C:\\My "quoted" folder')).toBe('C:\\My "quoted" folder');
    expect(cleanTypedPath('   ')).toBe('');
  });
});

describe('the check before the project is opened (Windows paths)', () => {
  const probe = windowsProbe([`${WIN_REPO}\\alembic.ini`], ['C:\\Users\\Dev One', WIN_REPO]);

  it('lets an existing folder with spaces through to openProject', () => {
    expect(checkBeforeOpening(WIN_REPO, probe)).toBeNull();
  });

  it('asks for the whole path when it is relative, and says what a full one looks like', () => {
    const check = checkBeforeOpening('II SKELDIR II', probe);
    expect(check).toMatchObject({ verdict: 'not-a-project', message: 'II SKELDIR II is not a full path.' });
    expect(check?.verdict === 'not-a-project' && check.remediation).toMatch(/C:\\Users\\you/);
  });

  it('points from alembic.ini, picked instead of its folder, to the folder', () => {
    const check = checkBeforeOpening(`${WIN_REPO}\\alembic.ini`, probe);
    expect(check).toMatchObject({ verdict: 'not-a-project', remediation: `Use the folder that holds it: ${WIN_REPO}` });
  });

  it('says a missing folder does not exist, with no command-line words', () => {
    const check = checkBeforeOpening('D:\\Code\\II SKELDIR II', probe);
    expect(check).toMatchObject({ verdict: 'not-a-project', message: 'The folder D:\\Code\\II SKELDIR II does not exist.' });
    expect(JSON.stringify(check)).not.toMatch(/--repo/);
  });

  it('names where the configuration is, in Windows separators', () => {
    const nested = windowsProbe([`${WIN_REPO}\\backend\\alembic.ini`], [WIN_REPO]);
    expect(configFileLabel(WIN_REPO, `${WIN_REPO}\\backend\\alembic.ini`, nested)).toBe('backend\\alembic.ini');
    const toml = windowsProbe([`${WIN_REPO}\\pyproject.toml`], [WIN_REPO]);
    expect(configFileLabel(WIN_REPO, `${WIN_REPO}\\alembic.ini`, toml)).toBe('pyproject.toml [tool.alembic]');
  });
});

describe('the check of a real folder, through the rebuild’s openProject', () => {
  it('finds the fixture backend, quoted as Explorer copies it, with its revisions and heads', async () => {
    const check = await checkRepoFolder(`"${FIXTURE_REPO}"`);
    expect(check.verdict, JSON.stringify(check)).toBe('alembic-project');
    if (check.verdict !== 'alembic-project') return;
    expect(check.path).toBe(FIXTURE_REPO);
    expect(check.configFile).toBe('alembic.ini');
    expect(check.revisions).toBeGreaterThan(0);
    expect(check.heads).toBeGreaterThan(0);
  });

  it('finds a project configured only in pyproject.toml [tool.alembic], in a folder whose name has spaces', async () => {
    const dir = folder('My Backend', {
      'pyproject.toml': '[project]\nname = "x"\n\n[tool.alembic]\nscript_location = "%(here)s/migrations"\n',
      'migrations/versions/a.py': revision('a', null),
      'migrations/versions/b.py': revision('b', 'a'),
    });
    expect(await checkRepoFolder(dir)).toEqual({ verdict: 'alembic-project', path: dir, configFile: 'pyproject.toml [tool.alembic]', revisions: 2, heads: 1 });
  });

  it('says what is missing, and what to do, for a folder with no Alembic configuration', async () => {
    const dir = folder('Not A Backend', { 'README.md': 'hello\n' });
    const check = await checkRepoFolder(dir);
    expect(check.verdict).toBe('not-a-project');
    if (check.verdict !== 'not-a-project') return;
    expect(check.message).toContain('No alembic.ini found');
    expect(check.remediation).toMatch(/holds alembic\.ini/);
  });
});

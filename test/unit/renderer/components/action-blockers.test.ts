import { describe, expect, it } from 'vitest';
import { CHANNELS, type AppApi, type ChannelKey } from '../../../../shared/contract/api';
import { appError, err } from '../../../../shared/errors/app-error';
import type { PrerequisiteCheck, PrerequisiteReport } from '../../../../shared/prerequisites/prerequisites';
import { migrationBlocker } from '../../../../renderer/components/action-blockers';
import { createAppStore } from '../../../../renderer/state/store';

function stateWith(prerequisites: PrerequisiteReport | null) {
  const api = Object.fromEntries(
    (Object.keys(CHANNELS) as ChannelKey[]).map((key) => [key, async () => err(appError('internal', `${key} not stubbed`))]),
  ) as unknown as AppApi;
  api.onJobEvent = () => () => undefined;
  const store = createAppStore(api);
  store.setState({ prerequisites });
  return store.getState();
}

const python = { command: '/usr/bin/python3', launcherArgs: [], version: '3.12.3', source: 'path' } as unknown as PrerequisiteReport['python'];
const failed = (title: string, over: Partial<PrerequisiteCheck> = {}): PrerequisiteCheck => ({ id: title, title, ok: false, detail: 'missing', ...over });

describe('migrationBlocker: what the Rebuild dialog says will stop R4', () => {
  it('names the lines that stop the migrations, not those only the tests need', () => {
    const report: PrerequisiteReport = {
      python,
      ok: false,
      checks: [failed('alembic importable'), failed('celery>=5.3.6', { neededBy: 'tests' }), failed('sqlalchemy importable')],
    };
    expect(migrationBlocker(stateWith(report))).toBe('alembic importable, sqlalchemy importable');
  });

  it('says so when there is no interpreter, and nothing before the interpreter was checked or when all is well', () => {
    expect(migrationBlocker(stateWith({ python: null, ok: false, checks: [] }))).toBe('no Python interpreter was found');
    expect(migrationBlocker(stateWith(null))).toBeNull();
    expect(migrationBlocker(stateWith({ python, ok: true, checks: [{ id: 'alembic', title: 'alembic importable', ok: true, detail: 'yes' }] }))).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { CHANNELS, type AppApi, type ChannelKey } from '../../../../shared/contract/api';
import type { FolderChoice, RepoFolderCheck } from '../../../../shared/contract/folders';
import { appError, err, ok, type Result } from '../../../../shared/errors/app-error';
import { createAppStore } from '../../../../renderer/state/store';

/**
 * The Setup folder slice over a fake api whose checks the test answers by hand, in any
 * order: the verdict shown is always the one for the text now in the field.
 */
function fakeApi(choice: Result<FolderChoice>) {
  const pending = new Map<string, (answer: Result<RepoFolderCheck>) => void>();
  const chooseRequests: unknown[] = [];
  const api = Object.fromEntries(
    (Object.keys(CHANNELS) as ChannelKey[]).map((key) => [key, async () => err(appError('internal', `${key} not stubbed`))]),
  ) as unknown as AppApi;
  api.checkRepoFolder = (request) => new Promise((resolve) => pending.set(request.path, resolve));
  api.chooseFolder = async (request) => {
    chooseRequests.push(request);
    return choice;
  };
  api.onJobEvent = () => () => undefined;
  return { api, pending, chooseRequests };
}

const found = (path: string): RepoFolderCheck => ({ verdict: 'alembic-project', path, configFile: 'alembic.ini', revisions: 3, heads: 1 });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the repository folder check', () => {
  it('drops an answer for a path the user has typed past, and keeps the one for the field', async () => {
    const { api, pending } = fakeApi(ok({ kind: 'cancelled' }));
    const store = createAppStore(api);
    const first = store.getState().checkRepoFolder('C:\\Users');
    const second = store.getState().checkRepoFolder('C:\\Users\\Dev One\\II SKELDIR II');
    pending.get('C:\\Users\\Dev One\\II SKELDIR II')?.(ok(found('C:\\Users\\Dev One\\II SKELDIR II')));
    await second;
    pending.get('C:\\Users')?.(ok({ verdict: 'not-a-project', path: 'C:\\Users', message: 'No alembic.ini found', remediation: 'Choose the checkout.' }));
    await first;
    await flush();
    const state = store.getState().repoFolderCheck;
    expect(state.typed).toBe('C:\\Users\\Dev One\\II SKELDIR II');
    expect(state.status).toBe('done');
    expect(state.check).toEqual(found('C:\\Users\\Dev One\\II SKELDIR II'));
  });

  it('asks nothing for an empty field', async () => {
    const { api, pending } = fakeApi(ok({ kind: 'cancelled' }));
    const store = createAppStore(api);
    await store.getState().checkRepoFolder('');
    expect(pending.size).toBe(0);
    expect(store.getState().repoFolderCheck.status).toBe('idle');
  });
});

describe('the folder dialog', () => {
  it('is offered only where the front has one, opens where the field points, and hands back the folder chosen', async () => {
    const chosen = 'C:\\Users\\Dev One\\II SKELDIR II';
    const { api, chooseRequests } = fakeApi(ok({ kind: 'chosen', path: chosen }));
    expect(createAppStore(api).getState().folderDialog).toBe(false);
    const store = createAppStore(api, { folderDialog: true });
    expect(store.getState().folderDialog).toBe(true);
    expect(await store.getState().chooseFolder('repository', '  C:\\Users\\Dev One  ')).toBe(chosen);
    expect(chooseRequests).toEqual([{ purpose: 'repository', startIn: 'C:\\Users\\Dev One' }]);
    expect(await store.getState().chooseFolder('repository', '')).toBe(chosen);
    expect(chooseRequests[1]).toEqual({ purpose: 'repository' });
  });

  it('keeps the field as it was on Cancel, and says why when the dialog could not open', async () => {
    const cancelled = createAppStore(fakeApi(ok({ kind: 'cancelled' })).api, { folderDialog: true });
    expect(await cancelled.getState().chooseFolder('repository', '')).toBeNull();
    expect(cancelled.getState().folderDialogError).toBeNull();
    const broken = createAppStore(fakeApi(err(appError('internal', 'The folder dialog could not be opened.'))).api, { folderDialog: true });
    expect(await broken.getState().chooseFolder('repository', '')).toBeNull();
    expect(broken.getState().folderDialogError).toMatchObject({ purpose: 'repository', error: { message: 'The folder dialog could not be opened.' } });
  });
});

import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../../../shared/contract/settings';
import { draftErrors, draftFrom, isDirty, toInput } from '../../../../../renderer/views/setup/settings-draft';

const STORED: SettingsView = {
  connection: {
    mode: 'embedded',
    host: 'localhost',
    port: 5432,
    superuser: 'postgres',
    hasPassword: false,
    canStorePassword: true,
    embeddedDir: '',
    embeddedDefaultDir: 'C:\\Users\\Dev One\\AppData\\Local\\SkeldirRebuild\\postgres15',
  },
  repoDir: 'C:\\Users\\Dev One\\II SKELDIR II',
  python: '',
  profilePath: '',
  profileName: 'Skeldir',
  databaseName: 'skeldir_validation',
};

describe('Setup draft: the bundled server’s data folder', () => {
  it('starts empty (the default folder) and is not dirty', () => {
    const draft = draftFrom(STORED);
    expect(draft.embeddedDir).toBe('');
    expect(isDirty(draft, STORED)).toBe(false);
    expect(toInput(draft, STORED).connection.embeddedDir).toBe('');
  });

  it('a pasted folder is saved without Explorer’s quotes', () => {
    const draft = { ...draftFrom(STORED), embeddedDir: '"D:\\Skeldir Data\\postgres15"' };
    expect(isDirty(draft, STORED)).toBe(true);
    expect(draftErrors(draft)).toEqual({});
    expect(toInput(draft, STORED).connection.embeddedDir).toBe('D:\\Skeldir Data\\postgres15');
  });

  it('a relative folder is an error in the field, before anything is saved; unused when the bundled server is off', () => {
    const relative = { ...draftFrom(STORED), embeddedDir: 'pg-data' };
    expect(draftErrors(relative).embeddedDir).toBe('Give the full path of the folder, e.g. D:\\SkeldirRebuild\\postgres15.');
    expect(draftErrors({ ...relative, embedded: false }).embeddedDir).toBeUndefined();
  });
});

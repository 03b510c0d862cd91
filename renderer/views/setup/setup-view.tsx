import { useEffect, useState } from 'react';
import type { SettingsView } from '../../../shared/contract/settings';
import { ErrorBox, Loading } from '../../components/feedback';
import { useApp } from '../../state/store-context';
import { BundleSettings } from './bundle-settings';
import { BundledServerFolderField } from './bundled-server-folder-field';
import { ConnectionResult } from './connection-result';
import { InterpreterStatus, RepoStatus } from './prerequisites-panel';
import { draftErrors, draftFrom, isDirty, toInput, type DraftErrors, type SettingsDraft } from './settings-draft';
import { RepoFolderField } from './repo-folder-field';
import { TextField } from './text-field';

/** Where the database is, where the backend is, which Python and which profile. */
export function SetupView() {
  const settings = useApp((s) => s.settings);
  const load = useApp((s) => s.settingsLoad);
  const reload = useApp((s) => s.loadSettings);
  const viewing = useApp((s) => s.viewing);
  if (viewing) return <BundleSettings viewing={viewing} />;
  if (!settings) {
    if (load.status === 'error' && load.error) {
      return (
        <div className="view">
          <ErrorBox error={load.error} title="The settings could not be read" />
          <button type="button" onClick={() => void reload()}>
            Try again
          </button>
        </div>
      );
    }
    return <Loading label="Reading settings…" />;
  }
  return <SetupForm settings={settings} />;
}

function SetupForm({ settings }: { settings: SettingsView }) {
  const [draft, setDraft] = useState<SettingsDraft>(() => draftFrom(settings));
  const [errors, setErrors] = useState<DraftErrors>({});
  const save = useApp((s) => s.saveSettings);
  const saveLoad = useApp((s) => s.saveLoad);
  const testConnection = useApp((s) => s.testConnection);
  const testing = useApp((s) => s.connectionTest.status === 'loading');
  const [justSaved, setJustSaved] = useState(false);

  // Stored settings changed (saved here or reloaded): start from them again.
  useEffect(() => setDraft(draftFrom(settings)), [settings]);

  const dirty = isDirty(draft, settings);
  const update = <K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setJustSaved(false);
  };

  const submit = async (): Promise<boolean> => {
    const found = draftErrors(draft);
    setErrors(found);
    if (Object.keys(found).length > 0) return false;
    const saved = await save(toInput(draft, settings));
    setJustSaved(saved);
    return saved;
  };

  // An empty password in the request clears the stored one (settings-store.ts).
  const forgetPassword = async () => {
    const input = toInput(draft, settings);
    await save({ ...input, connection: { ...input.connection, password: '' } });
  };

  const test = async () => {
    if (dirty && !(await submit())) return;
    await testConnection();
  };

  const passwordState = settings.connection.hasPassword
    ? settings.connection.canStorePassword
      ? 'Stored, encrypted by the OS'
      : 'Kept for this session only'
    : 'Not stored';

  return (
    <div className="view setup-view">
      <div className="view-head">
        <h1>Setup</h1>
        <p className="muted">Where PostgreSQL runs, where the backend lives, which Python runs Alembic and pytest.</p>
      </div>
      <form
        className="setup-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <section className="card" aria-labelledby="conn-title">
          <h2 id="conn-title">PostgreSQL</h2>
          <label className="check">
            <input type="checkbox" checked={draft.embedded} onChange={(e) => update('embedded', e.target.checked)} />
            <span>Use bundled PostgreSQL 15</span>
          </label>
          <p className="field-hint">
            {draft.embedded
              ? 'No installation needed: the app starts its own PostgreSQL 15 on 127.0.0.1 and keeps its data between runs.'
              : 'Connect to a PostgreSQL you run yourself (the installer’s postgresql-x64-15 service) as a superuser.'}
          </p>
          {draft.embedded ? (
            <BundledServerFolderField
              value={draft.embeddedDir}
              defaultDir={settings.connection.embeddedDefaultDir}
              error={errors.embeddedDir}
              onChange={(v) => update('embeddedDir', v)}
            />
          ) : null}
          {!draft.embedded ? (
            <div className="field-grid">
              <TextField id="host" label="Host" value={draft.host} onChange={(v) => update('host', v)} error={errors.host} />
              <TextField id="port" label="Port" value={draft.port} onChange={(v) => update('port', v)} error={errors.port} />
              <TextField id="superuser" label="Superuser" value={draft.superuser} onChange={(v) => update('superuser', v)} error={errors.superuser} />
              <TextField
                id="password"
                label="Password"
                type="password"
                value={draft.password}
                onChange={(v) => update('password', v)}
                placeholder={settings.connection.hasPassword ? 'leave empty to keep the stored one' : ''}
                autoComplete="new-password"
                hint={
                  <span className="password-state">
                    <span className={`chip ${settings.connection.hasPassword ? 'ok' : 'muted'}`} data-testid="password-state">
                      {passwordState}
                    </span>
                    {settings.connection.hasPassword ? (
                      <button type="button" className="link" onClick={() => void forgetPassword()}>
                        Forget it
                      </button>
                    ) : null}
                  </span>
                }
              />
            </div>
          ) : null}
          {!settings.connection.canStorePassword && !draft.embedded ? (
            <p className="field-hint">This system offers no encryption for stored secrets, so the password is kept in memory and asked for again next time.</p>
          ) : null}
          <div className="card-actions">
            <button type="button" onClick={() => void test()} disabled={testing || saveLoad.status === 'loading'}>
              {dirty ? 'Save and test connection' : 'Test connection'}
            </button>
          </div>
          <ConnectionResult />
        </section>

        <section className="card" aria-labelledby="repo-title">
          <h2 id="repo-title">Backend repository</h2>
          <RepoFolderField value={draft.repoDir} onChange={(v) => update('repoDir', v)} />
          <RepoStatus dirty={draft.repoDir.trim() !== settings.repoDir} />
        </section>

        <section className="card" aria-labelledby="python-title">
          <h2 id="python-title">Python interpreter</h2>
          <TextField
            id="python"
            label="Interpreter"
            value={draft.python}
            onChange={(v) => update('python', v)}
            placeholder="empty: detect (SKELDIR_PYTHON, the repo’s .venv, py -3, python)"
            mono
            wide
          />
          <InterpreterStatus />
        </section>

        <section className="card" aria-labelledby="profile-title">
          <h2 id="profile-title">Profile</h2>
          <TextField
            id="profile"
            label="Profile file"
            value={draft.profilePath}
            onChange={(v) => update('profilePath', v)}
            placeholder="empty: the built-in Skeldir profile"
            mono
            wide
            hint={
              <>
                Active: <strong>{settings.profileName}</strong> — database <code>{settings.databaseName || '—'}</code>
              </>
            }
          />
          {/* Said where the file is chosen, not only once a job is refused for it. */}
          {settings.profileError ? <ErrorBox error={settings.profileError} title="This profile file cannot be used" /> : null}
        </section>

        {saveLoad.status === 'error' && saveLoad.error ? <ErrorBox error={saveLoad.error} title="The settings were not saved" /> : null}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={saveLoad.status === 'loading'}>
            {saveLoad.status === 'loading' ? 'Saving…' : 'Save'}
          </button>
          {dirty ? <span className="muted">Unsaved changes</span> : justSaved ? <span className="tone-ok">Saved</span> : null}
        </div>
      </form>
    </div>
  );
}

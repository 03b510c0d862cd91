import type { SettingsInput, SettingsView } from '../../../shared/contract/settings';
import { cleanTypedPath, isFullPath } from '../../../shared/contract/typed-path';

/**
 * The Setup form's draft: strings as typed, turned into a SettingsInput only when they
 * are valid. The password is never pre-filled: empty means "keep the stored one".
 */
export interface SettingsDraft {
  embedded: boolean;
  /** The bundled server's folder; empty: the default one. */
  embeddedDir: string;
  host: string;
  port: string;
  superuser: string;
  password: string;
  repoDir: string;
  python: string;
  profilePath: string;
}

export type DraftErrors = Partial<Record<keyof SettingsDraft, string>>;

export function draftFrom(view: SettingsView): SettingsDraft {
  return {
    embedded: view.connection.mode === 'embedded',
    embeddedDir: view.connection.embeddedDir,
    host: view.connection.host,
    port: String(view.connection.port),
    superuser: view.connection.superuser,
    password: '',
    repoDir: view.repoDir,
    python: view.python,
    profilePath: view.profilePath,
  };
}

export function draftErrors(draft: SettingsDraft): DraftErrors {
  const errors: DraftErrors = {};
  const port = Number(draft.port);
  const folder = cleanTypedPath(draft.embeddedDir);
  if (draft.embedded && folder !== '' && !isFullPath(folder)) errors.embeddedDir = 'Give the full path of the folder, e.g. D:\\SkeldirRebuild\\postgres15.';
  if (!draft.embedded) {
    if (draft.host.trim() === '') errors.host = 'Enter a host, e.g. localhost.';
    if (!/^\d+$/.test(draft.port.trim()) || port < 1 || port > 65535) errors.port = 'A port is a number from 1 to 65535 (PostgreSQL uses 5432).';
    if (draft.superuser.trim() === '') errors.superuser = 'Enter the superuser name, e.g. postgres.';
  }
  return errors;
}

export function toInput(draft: SettingsDraft, stored: SettingsView): SettingsInput {
  const port = Number(draft.port);
  return {
    connection: {
      mode: draft.embedded ? 'embedded' : 'server',
      // With the bundled server these fields are unused; keep the last valid values so switching back restores them.
      host: draft.host.trim() || stored.connection.host,
      port: Number.isInteger(port) && port >= 1 && port <= 65535 ? port : stored.connection.port,
      superuser: draft.superuser.trim() || stored.connection.superuser,
      ...(draft.password !== '' ? { password: draft.password } : {}),
      embeddedDir: cleanTypedPath(draft.embeddedDir),
    },
    // Paths pasted from Explorer's "Copy as path" come in double quotes.
    repoDir: cleanTypedPath(draft.repoDir),
    python: cleanTypedPath(draft.python),
    profilePath: cleanTypedPath(draft.profilePath),
  };
}

export function isDirty(draft: SettingsDraft, stored: SettingsView): boolean {
  const base = draftFrom(stored);
  return (Object.keys(base) as Array<keyof SettingsDraft>).some((key) => draft[key] !== base[key]);
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, settingsInputSchema, type SettingsInput } from '../../shared/contract/settings';

/**
 * Settings on disk (JSON, without the password) and the password in a SecretStore:
 * Electron's safeStorage in the app (DPAPI on Windows), memory only in the browser
 * test host. Where no encryption exists the password is never written: the app asks.
 */
export interface SecretStore {
  /** False when the OS offers no encryption; then `save` keeps the secret in memory only. */
  canEncrypt(): boolean;
  save(secret: string): void;
  load(): string | null;
  clear(): void;
}

export type StoredSettings = Omit<SettingsInput, 'connection'> & { connection: Omit<SettingsInput['connection'], 'password'> };

/** Where the service reads its settings: the app's file, or the CLI's flags (in memory). */
export interface SettingsSource {
  read(): StoredSettings;
  write(input: SettingsInput): StoredSettings;
  readonly secrets: SecretStore;
}

export class SettingsStore implements SettingsSource {
  private cached: StoredSettings | undefined;

  constructor(
    private readonly file: string,
    readonly secrets: SecretStore,
  ) {}

  read(): StoredSettings {
    if (this.cached) return this.cached;
    let value: StoredSettings = stripPassword(DEFAULT_SETTINGS);
    try {
      const parsed = settingsInputSchema.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      if (parsed.success) value = stripPassword(parsed.data);
    } catch {
      // first start, or a damaged file: defaults
    }
    this.cached = value;
    return value;
  }

  write(input: SettingsInput): StoredSettings {
    if (input.connection.password !== undefined) {
      if (input.connection.password === '') this.secrets.clear();
      else this.secrets.save(input.connection.password);
    }
    const value = stripPassword(input);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, JSON.stringify(value, null, 2), { mode: 0o600 });
    this.cached = value;
    return value;
  }
}

function stripPassword(input: SettingsInput): StoredSettings {
  const { password: _password, ...connection } = input.connection;
  return { ...input, connection };
}

/** Settings held in memory for one process (the CLI: its flags are the settings, nothing is written). */
export function memorySettings(initial: StoredSettings, secrets: SecretStore = memorySecretStore()): SettingsSource {
  let value = initial;
  return {
    read: () => value,
    write(input) {
      if (input.connection.password !== undefined) {
        if (input.connection.password === '') secrets.clear();
        else secrets.save(input.connection.password);
      }
      value = stripPassword(input);
      return value;
    },
    secrets,
  };
}

/** A SecretStore that keeps the secret in memory only (browser test host; OS without encryption). */
export function memorySecretStore(): SecretStore {
  let secret: string | null = null;
  return {
    canEncrypt: () => false,
    save: (value) => {
      secret = value;
    },
    load: () => secret,
    clear: () => {
      secret = null;
    },
  };
}

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

export class SettingsStore {
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

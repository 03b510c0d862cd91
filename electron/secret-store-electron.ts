import { safeStorage } from 'electron';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SecretStore } from './app-service/settings-store';

/**
 * The superuser password at rest, encrypted by the OS through Electron's safeStorage
 * (DPAPI on Windows, Keychain on macOS, libsecret/kwallet on Linux) in a file in the
 * user-data folder. Where the OS offers no real encryption the password lives in
 * memory only, so the app asks for it again next time instead of writing it in clear.
 */
export function electronSecretStore(userDataDir: string): SecretStore {
  const file = path.join(userDataDir, 'superuser-password.bin');
  let inMemory: string | null = null;

  const canEncrypt = (): boolean => {
    if (!safeStorage.isEncryptionAvailable()) return false;
    // Linux without a keyring falls back to a hard-coded key: that is obfuscation, not encryption.
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  };

  return {
    canEncrypt,
    save(secret) {
      inMemory = secret;
      if (!canEncrypt()) return;
      fs.mkdirSync(userDataDir, { recursive: true });
      fs.writeFileSync(file, safeStorage.encryptString(secret), { mode: 0o600 });
    },
    load() {
      if (inMemory !== null) return inMemory;
      if (!canEncrypt() || !fs.existsSync(file)) return null;
      try {
        inMemory = safeStorage.decryptString(fs.readFileSync(file));
        return inMemory;
      } catch {
        // Encrypted by another OS user or a reinstalled keyring: ask again.
        return null;
      }
    },
    clear() {
      inMemory = null;
      fs.rmSync(file, { force: true });
    },
  };
}

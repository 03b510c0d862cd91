import type { AppError } from '../errors/app-error';
import { z } from 'zod';

/**
 * What the app remembers per user. The superuser password is stored encrypted by the
 * main process (Electron safeStorage) and is never sent back to the renderer:
 * the renderer only learns whether one is stored.
 */
export const connectionModeSchema = z.enum(['server', 'embedded']);

export const settingsInputSchema = z.object({
  connection: z.object({
    mode: connectionModeSchema,
    host: z.string().trim().min(1, 'Enter a host, e.g. localhost').max(255),
    port: z.number().int().min(1).max(65535),
    superuser: z.string().trim().min(1, 'Enter the superuser name, e.g. postgres').max(63),
    /** Only sent when the user typed a new one; omitted keeps the stored password. */
    password: z.string().max(1024).optional(),
    /** Where the bundled PostgreSQL keeps its data; empty or absent: the per-user default folder. */
    embeddedDir: z.string().max(4096).optional(),
  }),
  repoDir: z.string().max(4096),
  /** Empty: detect. */
  python: z.string().max(4096),
  /** Empty: the built-in Skeldir profile. */
  profilePath: z.string().max(4096),
});

export type SettingsInput = z.infer<typeof settingsInputSchema>;

export interface SettingsView {
  connection: {
    mode: 'server' | 'embedded';
    host: string;
    port: number;
    superuser: string;
    hasPassword: boolean;
    /** False where the OS offers no encryption: the app then asks for the password each time. */
    canStorePassword: boolean;
    /** The bundled server's folder as chosen in Setup ('' for the default). */
    embeddedDir: string;
    /** The folder the bundled server uses when none is chosen (shown as the field's placeholder). */
    embeddedDefaultDir: string;
  };
  repoDir: string;
  python: string;
  profilePath: string;
  /** Name of the active profile and its database, for titles and confirmations. */
  profileName: string;
  databaseName: string;
  /** Why the profile file cannot be used (absent when it can): said before anything connects. */
  profileError?: AppError;
}

export const DEFAULT_SETTINGS: SettingsInput = {
  connection: { mode: 'embedded', host: 'localhost', port: 5432, superuser: 'postgres' },
  repoDir: '',
  python: '',
  profilePath: '',
};

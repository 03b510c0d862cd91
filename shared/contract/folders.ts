import { z } from 'zod';

/**
 * Choosing and checking folders from Setup. The folder dialog is the window's, not the
 * engine's (a native dialog in Electron; the browser host has none and says so); the
 * check of a typed folder is the engine's, so it decides with the same code a rebuild
 * uses to open the project.
 */
export const folderPurposeSchema = z.enum(['repository', 'bundled-server']);
export type FolderPurpose = z.infer<typeof folderPurposeSchema>;

export const chooseFolderRequestSchema = z
  .object({
    purpose: folderPurposeSchema,
    /** Where the dialog opens: the folder typed so far, when there is one. */
    startIn: z.string().max(1000).optional(),
  })
  .strict();

/** The dialog's answer: a folder, the user's Cancel, or no dialog on this front (type the path instead). */
export type FolderChoice = { kind: 'chosen'; path: string } | { kind: 'cancelled' } | { kind: 'unavailable'; reason: string };

export const checkRepoFolderRequestSchema = z.object({ path: z.string().max(1000) }).strict();

/**
 * Whether a folder is an Alembic project the app can rebuild from: where its configuration
 * is (relative to the folder, in the platform's separators) and how many revisions and
 * heads it has; or what is wrong and what to do.
 */
export type RepoFolderCheck =
  | { verdict: 'alembic-project'; path: string; configFile: string; revisions: number; heads: number }
  | { verdict: 'not-a-project'; path: string; message: string; remediation: string };

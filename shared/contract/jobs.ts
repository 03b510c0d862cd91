import { z } from 'zod';

/**
 * The confirmations a dropping job carries, typed by the user in the app or given by
 * the CLI's prompt and flags (--yes fills in the profile's name, --allow-remote the host).
 */
const dropConfirmation = {
  dropExisting: z.boolean(),
  /** The database name the user typed to confirm the drop; must equal the profile's. */
  confirmDatabaseName: z.string().max(63).optional(),
  /** The host the user typed to confirm a drop on a non-local server. */
  confirmRemoteHost: z.string().max(255).optional(),
  /** Second confirmation: drop even a database without the tool's ownership marker. */
  confirmUnmarked: z.boolean().optional(),
};

/** Long jobs every front starts (the app's buttons and the CLI's gate commands): each runs the shared pipeline and streams JobEvents. */
export const jobRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('diagnose') }),
  z.object({ kind: z.literal('bootstrap'), ...dropConfirmation }),
  z.object({
    kind: z.literal('rebuild'),
    ...dropConfirmation,
    target: z.string().max(200).optional(),
    /** Plan from the migration graph, ignoring the profile's explicit plan. */
    fromGraph: z.boolean().optional(),
    skipValidation: z.boolean().default(false),
    /** The user confirmed running suites whose code points at another database server. */
    allowRemoteTests: z.boolean().optional(),
    noCache: z.boolean().default(false),
  }),
  z.object({
    kind: z.literal('remediate'),
    findingId: z.string().max(64),
    /** The database name typed out, for a fix that drops or replaces a database (see DESTRUCTIVE_ACTIONS). */
    confirmDatabaseName: z.string().max(63).optional(),
    /** The host the user confirmed for a fix that drops or replaces a database on a non-local server (--allow-remote). */
    confirmRemoteHost: z.string().max(255).optional(),
  }),
  /** The graph view's "Upgrade to here": always planned from the graph. */
  z.object({ kind: z.literal('upgrade-to'), target: z.string().min(1).max(200) }),
  /** R4 alone, to the profile's target unless one is given (the CLI's `migrate`). */
  z.object({ kind: z.literal('migrate'), target: z.string().min(1).max(200).optional(), fromGraph: z.boolean().optional() }),
  z.object({ kind: z.literal('verify') }),
  z.object({
    kind: z.literal('validate'),
    /** The user confirmed running suites whose code points at another database server. */
    allowRemoteTests: z.boolean().optional(),
  }),
]);

export type JobRequest = z.input<typeof jobRequestSchema>;
export type JobKind = JobRequest['kind'];

/** How "… is already running" names each job the app and the CLI start. */
export const JOB_NAMES: Record<JobKind, string> = {
  diagnose: 'A diagnosis',
  bootstrap: 'A bootstrap',
  rebuild: 'A rebuild',
  migrate: 'A migration',
  verify: 'A schema check',
  remediate: 'A fix',
  'upgrade-to': 'An upgrade',
  validate: 'A validation run',
};

/** The commands that change a database outside a job (their first word). */
const OTHER_RUN_NAMES: Record<string, string> = { fix: 'A fix', restore: 'A restore', prune: 'A prune of snapshots', 'clear-cache': 'A clean-up of the cache' };

/**
 * How a refusal names the run that holds a database, from the command in its lock file
 * ("migrate" → "A migration", "fix GUC-MISSING" → "A fix"); a rebuild when it is not known.
 */
export function runName(command: string | undefined): string {
  const first = command?.split(' ')[0] ?? '';
  if (first in JOB_NAMES) return JOB_NAMES[first as JobKind];
  return OTHER_RUN_NAMES[first] ?? 'A rebuild';
}

import { z } from 'zod';

/** Long jobs the app starts: each runs the shared pipeline and streams JobEvents. */
export const jobRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('diagnose') }),
  z.object({
    kind: z.literal('rebuild'),
    dropExisting: z.boolean(),
    /** The database name the user typed to confirm the drop; must equal the profile's. */
    confirmDatabaseName: z.string().max(63).optional(),
    /** The host the user typed to confirm a drop on a non-local server. */
    confirmRemoteHost: z.string().max(255).optional(),
    /** Second confirmation: drop even a database without the tool's ownership marker. */
    confirmUnmarked: z.boolean().optional(),
    target: z.string().max(200).optional(),
    skipValidation: z.boolean().default(false),
    noCache: z.boolean().default(false),
  }),
  /** confirmDatabaseName: the database name typed out, for a fix that drops or replaces a database (see DESTRUCTIVE_ACTIONS). */
  z.object({ kind: z.literal('remediate'), findingId: z.string().max(64), confirmDatabaseName: z.string().max(200).optional() }),
  z.object({ kind: z.literal('upgrade-to'), target: z.string().min(1).max(200) }),
  /** allowRemoteTests: the user confirmed running suites whose code points at another database server. */
  z.object({ kind: z.literal('validate'), allowRemoteTests: z.boolean().optional() }),
]);

export type JobRequest = z.input<typeof jobRequestSchema>;
export type JobKind = JobRequest['kind'];

import { z } from 'zod';
import { ERROR_CODES, type AppError } from '../errors/app-error';
import type { PlanView } from '../graph/plan-view';
import type { PrerequisiteReport } from '../prerequisites/prerequisites';

/**
 * The sections a run adds to its report beyond the gates (what the cache did, the
 * snapshot it took, the plan it ran …), each a named field with a schema, so a report
 * read back from a file or over IPC is checked field by field instead of cast.
 */
export const appErrorSchema: z.ZodType<AppError> = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  detail: z.string().optional(),
  remediation: z.string().optional(),
});

/** What the template cache did in a rebuild with drop: looked up (warm/cold), then stored or failed to. */
export const cacheOutcomeSchema = z.object({
  /** The cache key: env.py and the migration files, alembic.ini, the profile and the server's major version. */
  key: z.string(),
  status: z.enum(['warm', 'cold', 'stored', 'store-failed']),
  /** The template cloned (warm) or made (stored); null when none matched. */
  template: z.string().nullable().optional(),
  error: appErrorSchema.optional(),
});

/** The migration graph the run read: its size and heads. */
export const graphSummarySchema = z.object({ revisions: z.number().int().nonnegative(), heads: z.array(z.string()) });

/** A restore's outcome: the snapshot put back and the name the replaced database is kept under. */
export const restoredSchema = z.object({ restored: z.string(), previous: z.string().nullable() });

// The plan and the prerequisite report have their own types in shared/graph and shared/prerequisites;
// their outer shape is checked here, the rest is what those modules produce.
const planViewSchema = z.custom<PlanView>(
  (value) =>
    z.looseObject({ target: z.string(), source: z.enum(['profile', 'graph']), steps: z.array(z.unknown()), revisions: z.array(z.string()) }).safeParse(value)
      .success,
  { message: 'not a migration plan' },
);
const prerequisiteReportSchema = z.custom<PrerequisiteReport>(
  (value) => z.looseObject({ python: z.unknown(), checks: z.array(z.unknown()), ok: z.boolean() }).safeParse(value).success,
  { message: 'not a prerequisite report' },
);

const revisionCompileSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('passed'), files: z.number(), durationMs: z.number() }),
  z.object({
    status: z.literal('failed'),
    errors: z.array(z.object({ file: z.string(), line: z.number().nullable(), message: z.string(), text: z.string() })),
    durationMs: z.number(),
  }),
  z.object({ status: z.literal('skipped'), reason: z.string() }),
]);

export const reportSectionsSchema = z.object({
  graph: graphSummarySchema.optional(),
  prerequisites: prerequisiteReportSchema.optional(),
  cache: cacheOutcomeSchema.optional(),
  /** The safety snapshot a rebuild took before dropping a database that held rows. */
  snapshot: z.string().optional(),
  /** The plan R4 ran (or would have run). */
  plan: planViewSchema.optional(),
  /** What the run recorded about the rows its own migrations and tests left (or why it could not). */
  toolRows: z.string().optional(),
  /** Why the repository could not be read (the gates that need it say so too). */
  projectError: appErrorSchema.optional(),
  restored: restoredSchema.optional(),
  /** The revision files compiled by the project's interpreter before a drop (or why not). */
  revisionCompile: revisionCompileSchema.optional(),
  /**
   * The ids of what the opening diagnosis found, when a closing one replaced it as the
   * run's findings: a fix reads them to tell "fixed" from "there was nothing to fix".
   */
  openingFindings: z.array(z.string()).optional(),
  /** What a crash-recovery fix did before its diagnosis, or why it did not. */
  fix: z.union([z.object({ done: z.string(), changed: z.boolean().optional() }), z.object({ error: z.string() })]).optional(),
});
export type ReportSections = z.infer<typeof reportSectionsSchema>;

/** Reports saved before these fields existed kept them under `extras`: read them as the named fields. */
export function liftLegacyExtras(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('extras' in value)) return value;
  const { extras, ...rest } = value as { extras: unknown } & Record<string, unknown>;
  if (typeof extras !== 'object' || extras === null) return rest;
  const known = Object.keys(reportSectionsSchema.shape);
  return { ...Object.fromEntries(Object.entries(extras).filter(([key]) => known.includes(key))), ...rest };
}

import { z } from 'zod';
import { appError, err, ok, type Result } from '../errors/app-error';
import type { RunReport } from './report';
import { appErrorSchema, liftLegacyExtras, reportSectionsSchema } from './report-sections';

/**
 * A run report as read from outside the process (a bundle file, an IPC message): the
 * fields every front relies on are checked, the typed sections validated, anything a
 * newer version adds kept as it is. Reports of older versions (`extras`) are lifted first.
 */
export const serverSchema = z.looseObject({
  host: z.string(),
  port: z.number(),
  version: z.string().nullable(),
  major: z.number().nullable(),
  embedded: z.boolean(),
  systemId: z.string().nullable().optional(),
});
const stepSchema = z.looseObject({ id: z.string(), title: z.string(), status: z.string(), detail: z.string() });
const gateSchema = z.looseObject({ id: z.string(), status: z.string(), durationMs: z.number(), steps: z.array(stepSchema) });
const findingSchema = z.looseObject({
  id: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  title: z.string(),
  evidence: z.string(),
  remediation: z.looseObject({ action: z.string(), label: z.string() }).nullable(),
});

export const runReportSchema = z.preprocess(
  liftLegacyExtras,
  z.looseObject({
    command: z.string(),
    startedAt: z.string(),
    server: serverSchema,
    gates: z.array(gateSchema),
    findings: z.array(findingSchema),
    database: z.looseObject({ name: z.string() }).nullable(),
    error: appErrorSchema.optional(),
    cancelled: z.boolean().optional(),
    ...reportSectionsSchema.shape,
  }),
);

/** A report from a file or another process, checked; the error says which field is wrong. */
export function parseRunReport(value: unknown, from: string): Result<RunReport> {
  const parsed = runReportSchema.safeParse(value);
  if (parsed.success) return ok(parsed.data as RunReport);
  return err(
    appError('internal', `The run report from ${from} is not one this version can read.`, {
      detail: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(report)'}: ${issue.message}`).join('\n'),
      remediation: 'Run the job again with this version of Skeldir Rebuild.',
    }),
  );
}

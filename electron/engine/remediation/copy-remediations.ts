import type { EmitEvent } from '../../../shared/contract/events';
import { appError, ok, type AppError } from '../../../shared/errors/app-error';
import type { RunReport } from '../../../shared/report/report';
import { withClient } from '../db/connect';
import { freshSessions } from '../db/run-sessions';
import { sqlFormat } from '../db/sql-files';
import { readDatabaseRow } from '../db/database-level';
import { statementError } from '../db/pg-errors';
import { dropCopy, recordCopy } from '../copies/database-copies';
import { findHalfMadeCopies, unrecordedSnapshotTime } from '../copies/half-made-copies';
import { runPipeline, type PipelineRequest } from '../pipeline/run-pipeline';
import { withDestructiveLock } from '../safety/destructive-lock';
import { checkDestructiveAllowed } from '../safety/destructive-guard';
import { listSnapshots } from '../gates/snapshots/safety-snapshots';
import { restoreAndReapply } from '../pipeline/restore-and-reapply';

/**
 * The fixes of what a crash leaves behind, which are not pipeline gates: DATABASE-INVALID
 * (put the newest snapshot back, or drop the invalid database and create it empty),
 * COPY-HALF-MADE (record complete snapshot copies, drop the copies nothing can use) and DATABASE-CLOSED (open it again). Each runs under the rebuild lock, after the
 * same guard as every drop (`request.bootstrap.confirmed` carries the front's confirmation),
 * decides on what the server says now rather than on the diagnosis that offered the fix,
 * and ends with a fresh diagnosis (E1, E2, E3) as every fix does.
 */
/** What a recovery step did (`changed`: whether it changed anything), or the error that stopped it. */
type Outcome = { note: string; changed: boolean; error?: undefined } | { note?: undefined; error: AppError };

export async function recoverInvalidDatabase(request: PipelineRequest, emit: EmitEvent): Promise<RunReport> {
  const db = request.profile.database.name;
  return guarded(request, emit, async () => {
    const look = await withClient(freshSessions(request.settings), { database: 'postgres' }, 'looking at the invalid database', async (admin) => ({
      invalid: (await readDatabaseRow(admin, db))?.invalid === true,
      newest: (await listSnapshots(admin, db)).at(-1) ?? null,
    }));
    if (!look.ok) return { error: look.error };
    // Never a drop or a restore over a database that is readable again: the fix is for the invalid state only.
    if (!look.value.invalid) return { note: `"${db}" is not invalid (any more): nothing was changed`, changed: false };
    if (look.value.newest) {
      const restored = await restoreAndReapply(request.settings, request.profile, look.value.newest.name, () => undefined, {
        repoDir: request.repoDir,
        pythonFlag: request.pythonFlag,
      });
      if (!restored.ok) return { error: restored.error };
      return { note: `restored the newest snapshot ${look.value.newest.name} over the invalid "${db}" (whose rows were no longer readable)`, changed: true };
    }
    const dropped = await withClient(freshSessions(request.settings), { database: 'postgres' }, `dropping the invalid ${db}`, async (admin) => {
      try {
        await dropCopy(freshSessions(request.settings), admin, db);
        return null;
      } catch (error) {
        return statementError(error, `dropping the invalid ${db}`);
      }
    });
    if (!dropped.ok) return { error: dropped.error };
    if (dropped.value) return { error: dropped.value };
    return {
      note: `dropped the invalid "${db}" (no snapshot of it existed, and its rows were no longer readable); bootstrap creates it empty: rebuild to migrate it`,
      changed: true,
    };
  });
}

/**
 * COPY-HALF-MADE: a snapshot copy without metadata is complete (see half-made-copies), so it is
 * recorded as the snapshot it was meant to be, never dropped; a template or spare without its
 * cache key, and a copy an interrupted drop left invalid, can be used by nothing and are dropped.
 */
export async function dropHalfMadeCopies(request: PipelineRequest, emit: EmitEvent): Promise<RunReport> {
  const db = request.profile.database.name;
  return guarded(request, emit, async () => {
    const done = await withClient(freshSessions(request.settings), { database: 'postgres' }, 'tidying half-made copies', async (admin) => {
      const names: string[] = [];
      for (const copy of await findHalfMadeCopies(admin, db)) {
        const takenAt = unrecordedSnapshotTime(copy);
        try {
          if (takenAt !== null) {
            // The metadata a snapshot copy would have got, marked a template as takeSnapshot's copies are.
            await recordCopy(admin, copy.name, { kind: 'snapshot', source: db, owner: db, createdAt: takenAt }, true);
            names.push(
              `kept ${copy.name} as a snapshot taken ${takenAt} (its source\u2019s database settings were not recorded: a restore of it re-applies the profile\u2019s)`,
            );
          } else {
            await dropCopy(freshSessions(request.settings), admin, copy.name);
            names.push(
              `dropped ${copy.name} (${copy.why === 'invalid' ? 'left invalid by an interrupted DROP DATABASE' : 'a finished copy without its cache key: nothing can use it'})`,
            );
          }
        } catch (error) {
          return { names, error: statementError(error, `${takenAt !== null ? 'recording' : 'dropping'} ${copy.name}`) };
        }
      }
      return { names, error: null };
    });
    if (!done.ok) return { error: done.error };
    const { names, error } = done.value;
    if (error) return { error: { ...error, message: `${error.message}${names.length ? ` (done before it: ${names.join('; ')})` : ''}` } };
    return { note: names.length ? names.join('; ') : 'no half-made copy was left: nothing was changed', changed: names.length > 0 };
  });
}

/**
 * DATABASE-CLOSED: opens the database a stopped drop or restore left closed. It drops nothing,
 * so it asks for no confirmation; the lock still refuses it while a run is dropping the database.
 */
export async function reopenDatabase(request: PipelineRequest, emit: EmitEvent): Promise<RunReport> {
  const db = request.profile.database.name;
  return guarded(
    request,
    emit,
    async () => {
      const opened = await withClient(freshSessions(request.settings), { database: 'postgres' }, `opening "${db}" to connections`, async (admin) => {
        const closed = (await readDatabaseRow(admin, db))?.closed === true;
        if (closed) await admin.query(sqlFormat('safety/open-door', db));
        return closed;
      });
      if (!opened.ok) return { error: opened.error };
      return {
        note: opened.value ? `opened "${db}" to connections again; its rows are as they were` : `"${db}" is open to connections: nothing was changed`,
        changed: opened.value,
      };
    },
    { drops: false },
  );
}

/** Guard (for a fix that drops), lock, work, then the closing diagnosis (its report carries the outcome, or the error that stopped the fix). */
async function guarded(request: PipelineRequest, emit: EmitEvent, work: () => Promise<Outcome>, { drops } = { drops: true }): Promise<RunReport> {
  const db = request.profile.database.name;
  const allowed = drops
    ? await checkDestructiveAllowed({
        host: request.settings.host,
        database: db,
        profile: request.profile,
        confirmed: request.bootstrap?.confirmed === true,
        allowRemote: request.bootstrap?.allowRemote === true,
      })
    : ok(undefined);
  const outcome: Outcome = !allowed.ok
    ? { error: allowed.error }
    : request.signal?.aborted
      ? { error: appError('cancelled', 'The fix was cancelled before it changed anything.') }
      : await withDestructiveLock({ command: request.command, settings: request.settings, database: db }, work).then((locked) =>
          locked.ok ? locked.value : { error: locked.error },
        );
  emit({ kind: 'log-line', gate: 'E1', stream: 'info', line: outcome.error ? `not fixed: ${outcome.error.message}` : outcome.note });
  const withOutcome = (report: RunReport): RunReport => ({
    ...report,
    fix: outcome.error ? { error: outcome.error.message } : { done: outcome.note, changed: outcome.changed },
    ...(outcome.error ? { error: outcome.error } : {}),
  });
  // Refused or failed: a diagnosis only (bootstrap would stumble on the same state).
  const report = await runPipeline(
    {
      ...request,
      gates: outcome.error ? ['E1'] : ['E1', 'E2', 'E3'],
      bootstrap: { dropExisting: false, confirmed: false, allowRemote: false },
      explicitTargets: undefined,
    },
    // The fronts hear the outcome with the report that ends the job.
    (event) => emit(event.kind === 'job-finished' ? { ...event, report: withOutcome(event.report) } : event),
  );
  return withOutcome(report);
}

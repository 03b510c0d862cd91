import type { MigrationGraph } from '../../../../shared/graph/model';
import { findCreator } from '../../../../shared/graph/hazards';
import type { Profile } from '../../../../shared/profile/schema';
import type { Finding } from '../../../../shared/report/report';
import type { StepFailure } from '../../alembic/run-alembic-driver';
import { makeFinding, withAction } from './make-finding';

/**
 * Names the guide's failure mode behind a failed Alembic step. Decided by SQLSTATE and
 * by the quoted name in the server's message (a role of the profile, a setting of the
 * profile), which survive a localised server; never by the rest of the message text.
 */
const CONNECTION_LOST = new Set(['57P01', '57P02', '57P03', '08006', '08003', '08001']);

/** duplicate_table, duplicate_column, duplicate_object, duplicate_schema, duplicate_function: what the revision makes is there already. */
const ALREADY_THERE = new Set(['42P07', '42701', '42710', '42P06', '42723']);

export function quotedName(message: string): string | null {
  const match = /["\u201c\u00ab]([^"\u201d\u00bb]+)["\u201d\u00bb]/.exec(message);
  return match ? match[1] : null;
}

export function migrationFinding(failure: StepFailure, profile: Profile, graph: MigrationGraph | null): Finding {
  const where = failure.running ? `${failure.running.replace(/^Running upgrade\s*/, 'upgrade ')}: ` : '';
  const name = quotedName(failure.message);
  if (failure.sqlstate === '42P01') {
    const hint = graph && name ? findCreator(graph, name) : null;
    return makeFinding('FM1', `${where}${failure.message}${hint ? ` \u2014 ${hint.message}.` : '.'} Step \`alembic upgrade ${failure.target}\`.`);
  }
  if (failure.sqlstate === '42704' && name) {
    if (profile.roles.some((role) => role.name === name)) return makeFinding('FM2', `${where}${failure.message}.`);
    if (profile.gucs.some((guc) => guc.name === name) || /^[A-Za-z_]\w*\.\w+$/.test(name)) return makeFinding('FM3', `${where}${failure.message}.`);
  }
  if ((failure.sqlstate && CONNECTION_LOST.has(failure.sqlstate)) || isConnectionLostText(failure)) {
    const revision = lastRevision(failure.running);
    return makeFinding('MIGRATION-CONNECTION-LOST', `connection lost during revision ${revision ?? '(before the first revision)'}: ${failure.message}`);
  }
  if (failure.sqlstate && ALREADY_THERE.has(failure.sqlstate)) {
    const revision = lastRevision(failure.running) ?? 'this revision';
    return withAction(
      makeFinding(
        'SCHEMA-AHEAD-OF-VERSION',
        `${where}${failure.errorType} (SQLSTATE ${failure.sqlstate}): ${failure.message}. The database already holds what ${revision} makes: ` +
          `unless the revision makes it twice itself, alembic_version is behind the schema. Step \`alembic upgrade ${failure.target}\`.`,
      ),
      'rebuild-from-scratch',
    );
  }
  if (failure.errorType === 'ProcessExit') {
    return makeFinding('MIGRATION-CRASHED', `${failure.message}${failure.text ? `\nLast output:\n${failure.text}` : ''}`);
  }
  return makeFinding('MIGRATION-FAILED', `${where}${failure.errorType}${failure.sqlstate ? ` (SQLSTATE ${failure.sqlstate})` : ''}: ${failure.message}`);
}

/** psycopg2 reports a dropped server as OperationalError without a SQLSTATE. */
function isConnectionLostText(failure: StepFailure): boolean {
  return failure.errorType === 'OperationalError' && failure.sqlstate === null;
}

function lastRevision(running: string | null): string | null {
  if (!running) return null;
  const match = /->\s*([^\s,]+)/.exec(running);
  return match ? match[1] : null;
}

/** FM4 and other R5 failures, from the failure texts of the tests. */
export function validationFindings(failureTexts: string[]): Finding[] {
  if (failureTexts.length === 0) return [];
  const nested = failureTexts.find(
    (text) => text.includes('asyncio.run() cannot be called from a running event loop') || (/TimeoutError/.test(text) && /_run_async/.test(text)),
  );
  if (nested) {
    const line = nested.split('\n').find((l) => /asyncio\.run\(\)|TimeoutError/.test(l)) ?? nested.split('\n')[0];
    // The innermost frame in the backend's helper module is where asyncio.run() is called.
    const frames = [...nested.matchAll(/File "([^"]*attribution\.py)", line (\d+)|([\w/\\.-]*attribution\.py):(\d+)/g)];
    const last = frames.at(-1);
    const where = last ? [last[0], last[1] ?? last[3], last[2] ?? last[4]] : null;
    return [makeFinding('FM4', `${line.trim()}${where ? ` (${where[1]}, line ${where[2]})` : ''}`)];
  }
  return [makeFinding('VALIDATION-FAILED', `${failureTexts.length} test${failureTexts.length === 1 ? '' : 's'} failed: ${failureTexts[0].split('\n')[0]}`)];
}

import { messageWithRemedy } from '../../../../shared/errors/app-error';
import type { Profile } from '../../../../shared/profile/schema';
import type { Finding } from '../../../../shared/report/report';
import type { ServerState } from './read-database-state';
import { makeFinding, withAction } from '../findings/make-finding';

/**
 * The guide's E1 symptoms, read off the server state: missing roles, missing
 * database, missing setting, missing tables, a server below the profile's version,
 * an application role that cannot log in. Graph-aware symptoms (branch-only,
 * unknown revision) are added by graph-findings.ts when a repo is known.
 */
export function stateFindings(state: ServerState, profile: Profile): Finding[] {
  const findings: Finding[] = [];
  if (state.error && !state.database) {
    const id = state.error.code === 'connection-auth-failed' ? 'SERVER-LOGIN-FAILED' : 'SERVER-UNREACHABLE';
    findings.push(makeFinding(id, messageWithRemedy(state.error)));
    return findings;
  }
  const { server, database } = state;
  if (server.major !== null && server.major < profile.minimumServerMajor) {
    findings.push(
      makeFinding(
        'SERVER-TOO-OLD',
        `Server is PostgreSQL ${server.version}; the profile needs ${profile.minimumServerMajor} or newer (CI runs ${profile.ci.postgresMajor}).`,
      ),
    );
  }
  if (!database) return findings;
  if (database.missingRoles.length > 0) {
    findings.push(makeFinding('ROLES-MISSING', `Missing role${database.missingRoles.length === 1 ? '' : 's'}: ${database.missingRoles.join(', ')}.`));
  }
  if (database.rolesWithoutLogin?.length) {
    const names = database.rolesWithoutLogin;
    findings.push(makeFinding('ROLES-NOLOGIN', `${names.join(', ')} ${names.length === 1 ? 'exists but cannot' : 'exist but cannot'} log in (NOLOGIN).`));
  }
  if (!database.exists) {
    findings.push(makeFinding('DATABASE-MISSING', `Database "${database.name}" does not exist.`));
    return findings;
  }
  if (database.invalid) {
    findings.push(
      withAction(
        makeFinding(
          'DATABASE-INVALID',
          `"${database.name}" was left half-dropped by an interrupted DROP DATABASE (PostgreSQL marks it invalid): it accepts no connection and cannot be copied; its rows are no longer readable. ` +
            `Its fix puts the newest snapshot back, or drops it when there is none. By hand: a rebuild that drops the database replaces it (without a snapshot, since none can be taken), or restore one of its snapshots.`,
        ),
        'restore-snapshot',
      ),
    );
    return findings;
  }
  // Closed by a run that holds it now is that run's business: it opens the database again or drops it.
  if (database.closed && !database.closedByRun) {
    findings.push(
      makeFinding(
        'DATABASE-CLOSED',
        `"${database.name}" accepts no new connection (ALLOW_CONNECTIONS false), and no run of this tool is dropping or restoring it now.`,
      ),
    );
  }
  if (database.owner !== profile.database.owner) {
    findings.push(makeFinding('DATABASE-OWNER', `"${database.name}" is owned by "${database.owner}", expected "${profile.database.owner}".`));
  }
  const login = database.connections.find((c) => c.role === profile.applicationRole);
  if (login && !login.ok && !database.missingRoles.includes(profile.applicationRole) && login.error?.code === 'connection-auth-failed') {
    findings.push(makeFinding('APP-ROLE-LOGIN-FAILED', login.error.message));
  }
  for (const name of database.missingGucs) {
    const expected = profile.gucs.find((g) => g.name === name)?.value ?? '';
    const actual = database.guc?.[name];
    findings.push(
      makeFinding(
        'GUC-MISSING',
        actual === undefined
          ? `"${name}" is not set on database "${database.name}" (expected '${expected}').`
          : `"${name}" is '${actual}' on database "${database.name}", expected '${expected}'.`,
      ),
    );
  }
  if (database.missingTables.length > 0 && !database.insideError) {
    const present = profile.expectedTables.filter((t) => database.tables.includes(t));
    if (present.length > 0 && present.every(isCeleryTable) && !database.missingTables.every(isCeleryTable)) {
      findings.push(makeFinding('CELERY-ONLY', `Present: ${present.join(', ')}. Missing: ${database.missingTables.join(', ')}.`));
    } else {
      findings.push(makeFinding('TABLES-MISSING', `Missing: ${database.missingTables.join(', ')}.`));
    }
  }
  return findings;
}

/** Celery's broker and worker tables; the guide's "only Celery tables present" symptom. */
function isCeleryTable(table: string): boolean {
  return /^(kombu_|celery_|worker_)/.test(table);
}

import type { Remediation, Severity } from '../report/report';

/**
 * Every finding the engine can report, with its fixed title, severity and the
 * remediation action that fixes it (null where no automatic fix exists). Detectors
 * in electron/engine/gates/findings/ add the evidence; fronts show the rest as is.
 */
export const REMEDIATION_ACTIONS = {
  'run-bootstrap': 'Run bootstrap (create roles, database, grants, settings)',
  'set-guc': 'Set the database-level setting',
  'run-planned-upgrade': 'Run the planned (multi-step) upgrade',
  'reset-role-passwords': 'Reset the roles\u2019 passwords to the profile\u2019s',
  'reapply-migration-grants': 'Re-apply the grants the migrations made',
  'reapply-migration-row-security': 'Re-apply the row-level security the migrations set',
  'recreate-foreign-keys': 'Make the foreign keys again as the profile describes them',
  'recover-invalid-database': 'Restore the newest snapshot (or, with none, drop the invalid database and create it empty)',
  'drop-half-made-copies': 'Record complete snapshot copies as snapshots; drop the copies nothing can use',
  'reopen-database': 'Open the database to connections again',
} as const;

/**
 * Actions that drop or replace a database: the app asks for the database name typed out and
 * the CLI asks (or takes --yes) before them, as for any other drop.
 */
export const DESTRUCTIVE_ACTIONS: readonly RemediationAction[] = ['recover-invalid-database', 'drop-half-made-copies'];

export type RemediationAction = keyof typeof REMEDIATION_ACTIONS;

interface CatalogueEntry {
  severity: Severity;
  title: string;
  explanation: string;
  action: RemediationAction | null;
}

export const FINDING_CATALOGUE = {
  FM1: {
    severity: 'error',
    title: 'Migrations ran in the wrong branch order (relation does not exist)',
    explanation:
      'Alembic upgraded a multi-head graph in one step and ran a revision before the branch that creates the table it needs. ' +
      'Upgrade to the other branch first (the planned upgrade does this), then to the target.',
    action: 'run-planned-upgrade',
  },
  FM2: {
    severity: 'error',
    title: 'Migrations ran before bootstrap (role does not exist)',
    explanation: 'The migrations grant privileges to roles that bootstrap creates. Run bootstrap (E2\u2013E3), then the migrations again.',
    action: 'run-bootstrap',
  },
  FM3: {
    severity: 'error',
    title: 'Database-level setting missing (unrecognized configuration parameter)',
    explanation:
      'Row-level security policies read a custom setting that is defined per database by bootstrap step 8. ' +
      'Set it; sessions that were already open must reconnect to see it.',
    action: 'set-guc',
  },
  FM4: {
    severity: 'error',
    title: 'Nested event loop in the test helper (asyncio.run inside a running loop)',
    explanation:
      'Celery eager mode and pytest-asyncio create nested event loops; the backend\u2019s _run_async() helper calls asyncio.run() ' +
      'while a loop is already running. This is a test-infrastructure bug, not a schema problem: the schema gates are fine. ' +
      'Fix the helper so it runs the coroutine on a worker thread (or awaits it) when a loop is running.',
    action: null,
  },
  'SERVER-UNREACHABLE': {
    severity: 'error',
    title: 'PostgreSQL could not be reached',
    explanation: 'Nothing else can be checked until the server answers.',
    action: null,
  },
  'SERVER-LOGIN-FAILED': {
    severity: 'error',
    title: 'PostgreSQL rejected the superuser login',
    explanation: 'The server answers, but the superuser name or password is wrong, so nothing else can be checked.',
    action: null,
  },
  'SERVER-TOO-OLD': {
    severity: 'error',
    title: 'PostgreSQL is older than the profile requires',
    explanation: 'CI runs a newer major version; install it locally or use the bundled PostgreSQL 15.',
    action: null,
  },
  'ROLES-MISSING': {
    severity: 'error',
    title: 'Roles are missing',
    explanation: 'Bootstrap creates the application roles; migrations grant privileges to them and fail without them.',
    action: 'run-bootstrap',
  },
  'DATABASE-MISSING': {
    severity: 'error',
    title: 'The database does not exist',
    explanation: 'Bootstrap creates it, owned by the application role.',
    action: 'run-bootstrap',
  },
  'DATABASE-INVALID': {
    severity: 'error',
    title: 'The database was left invalid by an interrupted drop',
    explanation:
      'A crash or a full disk during DROP DATABASE leaves a database PostgreSQL refuses to open or copy; nothing in it is readable any more. ' +
      'The fix puts the newest safety snapshot back over it, or, when there is none, drops it and creates the database empty (rebuild afterwards).',
    action: 'recover-invalid-database',
  },
  'DATABASE-CLOSED': {
    severity: 'error',
    title: 'The database is closed to new connections',
    explanation:
      'A drop or a restore closes the database first, so no client can commit a row its snapshot would miss, and opens it again if the database stays. ' +
      'A run that was killed or crashed in between left it closed: nothing can log in, the tests and Alembic included. Its rows are all there. ' +
      'The fix opens it again; it waits for no one, and is refused while a run of this tool holds the database.',
    action: 'reopen-database',
  },
  'COPY-HALF-MADE': {
    severity: 'warning',
    title: 'A snapshot or template copy was left unrecorded or invalid',
    explanation:
      'The tool stopped (killed, crashed) after PostgreSQL had made a copy but before the tool wrote the metadata that makes it a snapshot or template, ' +
      'or an interrupted drop left a copy invalid. PostgreSQL lists only copies it finished, so a copy without metadata is complete; ' +
      'but restore and the cache find copies by their metadata, so it is never used, and it takes disk space. ' +
      'The fix records a snapshot copy as a snapshot (its time comes from its name; the database settings of its source were not recorded, so a restore of it re-applies the profile\u2019s), ' +
      'and drops a template copy (its cache key is lost: the next cold rebuild makes a new one) and an invalid copy (its files may be gone).',
    action: 'drop-half-made-copies',
  },
  'DATABASE-OWNER': {
    severity: 'warning',
    title: 'The database has another owner than the profile expects',
    explanation: 'Migrations run as the application role and need to own the schema objects they alter. Rebuild with "drop existing database".',
    action: null,
  },
  'ROLES-NOLOGIN': {
    severity: 'error',
    title: 'Roles of the profile cannot log in',
    explanation:
      'Bootstrap creates every role of the profile with LOGIN and its password; someone set NOLOGIN since. The app, Alembic and the tests connect as these roles. ' +
      'The fix resets each role\u2019s password and LOGIN.',
    action: 'reset-role-passwords',
  },
  'APP-ROLE-LOGIN-FAILED': {
    severity: 'error',
    title: 'The application role cannot log in',
    explanation: 'Alembic and pytest connect as this role with the profile\u2019s password.',
    action: 'reset-role-passwords',
  },
  'GUC-MISSING': {
    severity: 'error',
    title: 'A database-level setting is missing',
    explanation: 'Without it, migrations and tests that read it fail with "unrecognized configuration parameter" (failure 3).',
    action: 'set-guc',
  },
  'TABLES-MISSING': {
    severity: 'error',
    title: 'Expected tables are missing',
    explanation: 'The migrations have not been applied, or only partly.',
    action: 'run-planned-upgrade',
  },
  'TABLES-DROPPED': {
    severity: 'error',
    title: 'Tables are missing although the revisions that create them are recorded as applied',
    explanation:
      'alembic_version says the revisions ran, so an upgrade has nothing to run for these tables: they were dropped afterwards. ' +
      'Rebuild the database from scratch (its rows are kept in a safety snapshot first).',
    action: null,
  },
  'SCHEMA-UNRECORDED': {
    severity: 'error',
    title: 'Tables exist but alembic_version records no revision',
    explanation:
      'Alembic would run every revision again and stop at the first table that already exists (DuplicateTable). The version rows were ' +
      'deleted, or the tables were made another way. Rebuild the database from scratch (its rows are kept in a safety snapshot first).',
    action: null,
  },
  'REPOSITORY-UNUSABLE': {
    severity: 'error',
    title: 'The backend repository cannot be used',
    explanation:
      'The Alembic project could not be read from the folder chosen, so the migrations, the checks against them and the tests cannot run. ' +
      'The evidence says what is wrong and what to do.',
    action: null,
  },
  'SCHEMA-AHEAD-OF-VERSION': {
    severity: 'error',
    title: 'The schema already holds what revisions still to run would make',
    explanation:
      'alembic_version is behind the schema: it was set back by hand, or the schema was changed outside Alembic. An upgrade runs those ' +
      'revisions again and stops at the first object that already exists (DuplicateTable, DuplicateColumn), so it is no fix. Rebuild the ' +
      'database from scratch (its rows are kept in a safety snapshot first); or, only if you are sure the schema is exactly what a revision ' +
      'leaves, record that with `alembic stamp <revision>`.',
    action: null,
  },
  'CELERY-ONLY': {
    severity: 'error',
    title: 'Only the Celery tables are present',
    explanation: 'The celery branch was applied without the core schema: the classic result of a single-step upgrade of a multi-head graph (failure 1).',
    action: 'run-planned-upgrade',
  },
  'BRANCH-ONLY': {
    severity: 'error',
    title: 'The database stands on one branch only',
    explanation: 'alembic_version names a revision on one branch while other branches the target needs are not applied.',
    action: 'run-planned-upgrade',
  },
  'UNKNOWN-REVISION': {
    severity: 'error',
    title: 'alembic_version names a revision this repository does not have',
    explanation: 'The database was migrated from another checkout or branch. Check out the matching code, or rebuild the database from scratch.',
    action: null,
  },
  'VERSION-ROWS-OVERLAP': {
    severity: 'error',
    title: 'alembic_version holds a revision and one of its ancestors',
    explanation:
      'A row was added by hand, or left behind by an interrupted merge. The newer revision already implies its ancestor; with both rows Alembic refuses to plan any upgrade. ' +
      'Delete the ancestor\u2019s row as the evidence shows, then diagnose again.',
    action: null,
  },
  'HEADS-NOT-APPLIED': {
    severity: 'warning',
    title: 'Not every head of the migration graph is applied',
    explanation: 'The graph has several heads and the database has not reached the profile\u2019s target yet.',
    action: 'run-planned-upgrade',
  },
  'HEADS-BEYOND-TARGET': {
    severity: 'info',
    title: 'Heads beyond the profile\u2019s target are not applied',
    explanation:
      'The database is at the profile\u2019s target; other heads of the graph lie outside it. That is expected: the guide upgrades to the target, ' +
      'and upgrading to every head may not even work (a branch outside the target can clash with it). Change the profile\u2019s target to include them if you need them.',
    action: null,
  },
  'MIGRATION-FAILED': {
    severity: 'error',
    title: 'A migration failed',
    explanation:
      'Alembic stopped on an error that is not one of the guide\u2019s known failure modes. Its transaction was rolled back; read the error and the revision it names.',
    action: null,
  },
  'MIGRATION-CONNECTION-LOST': {
    severity: 'error',
    title: 'The connection to PostgreSQL was lost during the migrations',
    explanation:
      'The server stopped or restarted while Alembic ran. The running transaction was rolled back, so alembic_version still shows the state before the step. Start the server and rebuild.',
    action: null,
  },
  'MIGRATION-CRASHED': {
    severity: 'error',
    title: 'The Alembic process crashed or was ended',
    explanation: 'The interpreter ended without reporting a result. The last lines of its output are shown as evidence.',
    action: null,
  },
  'MIGRATION-GRANTS-MISSING': {
    severity: 'error',
    title: 'Table privileges differ from what the migrations granted and revoked',
    explanation:
      'A planned revision granted (or revoked) these table privileges, and the database no longer matches: someone changed them by hand, ' +
      'or the database was restored from elsewhere. The fix re-applies exactly the statements named in the evidence, then verifies again.',
    action: 'reapply-migration-grants',
  },
  'MIGRATION-ROW-SECURITY-CHANGED': {
    severity: 'error',
    title: 'Row-level security the migrations set does not hold',
    explanation:
      'A planned revision enabled (or forced, or turned off) row-level security on these tables, or created a policy that is gone: ' +
      'someone changed it by hand, often to look at rows while debugging, or the database was restored from elsewhere. ' +
      'Without it the policies that keep tenants apart do not apply, and tests that rely on them fail or pass for the wrong reason. ' +
      'The fix re-applies exactly the statements named in the evidence (a policy as its revision created it), then verifies again.',
    action: 'reapply-migration-row-security',
  },
  'FOREIGN-KEY-CHANGED': {
    severity: 'error',
    title: 'A foreign key the profile expects is missing or changed',
    explanation:
      'The migrations made these constraints, and the profile names them with their ON DELETE action; one is gone, or stands with another action or name: ' +
      'someone dropped or re-created it by hand, or the database was restored from elsewhere. Without it, deleting a row leaves the rows that pointed at it behind. ' +
      'The fix adds each missing one and replaces each changed one, exactly as the evidence names it, then verifies again. ' +
      'If a revision changed it on purpose, correct the profile instead.',
    action: 'recreate-foreign-keys',
  },
  'PYTHON-PREREQUISITES-MISSING': {
    severity: 'error',
    title: 'The Python interpreter is missing or lacks what the rebuild needs',
    explanation:
      'Alembic and the validation suites run in this interpreter: without it, or without the packages the migrations and the suites import, ' +
      'they stop at their first import. Each line names what is missing and the command that installs it into this interpreter; ' +
      'or choose the interpreter of the project\u2019s virtual environment, which usually has them.',
    action: null,
  },
  'VALIDATION-FAILED': {
    severity: 'error',
    title: 'Validation tests failed',
    explanation:
      'The schema gates passed but some pytest tests failed. Read each failure in R5\u2019s results, mend the schema or the code it points at, then run the validation tests again.',
    action: null,
  },
  'GRAPH-INVALID': {
    severity: 'error',
    title: 'The migration graph has errors',
    explanation: 'Alembic would stumble on these too. Fix the files named in the evidence.',
    action: null,
  },
  'GRAPH-HAZARD': {
    severity: 'warning',
    title: 'A single-step upgrade of this graph would fail',
    explanation: 'A revision references a table created on another branch that Alembic would run later. The planned upgrade avoids it.',
    action: null,
  },
  'R5-PASSWORD-MISMATCH': {
    severity: 'error',
    title: 'The code under test sends a different password than DATABASE_URL\u2019s',
    explanation:
      'The tool logged in as this role with DATABASE_URL\u2019s password during this run, yet the tests\u2019 login was refused (28P01). ' +
      'The backend builds another connection string itself (a broker or result-backend URL from another variable, or one derived with ' +
      'str(make_url(...)), which SQLAlchemy 2 writes with the password as ***). Set the variables CI sets for this suite (named in the evidence).',
    action: null,
  },
  'R5-REMOTE-DATABASE': {
    severity: 'error',
    title: 'A suite points its tests at another database server',
    explanation:
      'Its code sets a connection string for a host other than this machine whatever the environment says, so its tests would reach that server. ' +
      'R5 held the suite back. Run it only if you mean to (allow its tests to reach that server for the run), or make the assignment a fallback (os.environ.setdefault).',
    action: null,
  },
  'R5-REMOTE-FALLBACK': {
    severity: 'info',
    title: 'Test code falls back to another database server when DATABASE_URL is unset',
    explanation: 'R5 sets the variable itself, so this fallback is not used here; it would be by a test run without it.',
    action: null,
  },
} as const satisfies Record<string, CatalogueEntry>;

export type FindingId = keyof typeof FINDING_CATALOGUE;

export function remediationFor(id: FindingId): Remediation | null {
  const action = FINDING_CATALOGUE[id].action;
  return action ? { action, label: REMEDIATION_ACTIONS[action] } : null;
}

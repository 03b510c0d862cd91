import type { CommandName } from './parse-args';

/**
 * The CLI's help pages: the global page (`skeldir-rebuild help`) and one page per
 * command (`skeldir-rebuild COMMAND --help`) with its own flags and an example. Kept
 * apart from parsing so `--help` and `--version` load nothing else.
 */
interface CommandPage {
  usage: string;
  summary: string;
  /** Flag names (without --) this command reads, besides the shared output flags. */
  flags: readonly string[];
  example: string;
}

const CONNECTION = ['host', 'port', 'superuser', 'embedded', 'embedded-dir', 'allow-remote'] as const;
const PROJECT = ['repo', 'python', 'profile'] as const;

export const FLAG_HELP: Record<string, string> = {
  host: '--host HOST              server host (else PGHOST, else localhost)',
  port: '--port PORT              server port (else PGPORT, else 5432)',
  superuser: '--superuser NAME         superuser role (else PGUSER, else postgres)',
  embedded: '--embedded               use the bundled PostgreSQL 15 (started for the command, data kept)',
  'embedded-dir': '--embedded-dir DIR       where the bundled PostgreSQL keeps its data (else SKELDIR_EMBEDDED_DIR)',
  'allow-remote': '--allow-remote           allow destructive commands on a non-local server',
  'allow-remote-tests': '--allow-remote-tests     also run suites whose code points at another database server',
  repo: '--repo DIR               the backend repository (folder with alembic.ini)',
  python: '--python PATH            interpreter with Alembic and pytest (else SKELDIR_PYTHON, the repo\u2019s venv, py -3, python3)',
  profile: '--profile FILE           a profile JSON file (default: the built-in Skeldir profile)',
  target: '--target T               migration target (default: the profile\u2019s)',
  'from-graph': '--from-graph             plan from the migration graph, ignoring the profile\u2019s explicit plan',
  preview: '--preview                print the SQL of the planned upgrades, run nothing',
  'drop-existing': '--drop-existing          drop the database first (asks; --yes when not interactive)',
  'drop-unmarked': '--drop-unmarked          second confirmation to drop a database this tool did not create',
  yes: '--yes, -y                answer yes to the confirmation (needed when not interactive)',
  'skip-validation': '--skip-validation        skip R5 (the pytest suites)',
  'no-cache': '--no-cache               do not use or create the caches (database template; for graph, the parse cache)',
  keep: '--keep N                 how many snapshots to keep',
  out: '--out FILE               write to FILE instead of stdout',
  format: '--format json|html       bundle format (default: from the extension of --out, else json)',
  json: '--json                   print one JSON document on stdout; progress still goes to stderr',
  'no-progress': '--no-progress            plain progress lines even on a terminal (also NO_COLOR)',
};

const PAGES: Record<Exclude<CommandName, 'help'>, CommandPage> = {
  diagnose: {
    usage: 'diagnose [flags]',
    summary: 'E1: read-only diagnosis of server, roles, database, tables, settings and alembic_version.',
    flags: [...CONNECTION, ...PROJECT],
    example: 'skeldir-rebuild diagnose --embedded',
  },
  bootstrap: {
    usage: 'bootstrap [flags]',
    summary: 'E1\u2013E3: create roles, database, grants and settings (idempotent).',
    flags: [...CONNECTION, ...PROJECT, 'drop-existing', 'drop-unmarked', 'yes'],
    example: 'skeldir-rebuild bootstrap --host localhost --superuser postgres',
  },
  graph: {
    usage: 'graph --repo DIR [flags]',
    summary: 'Print the Alembic migration graph of the repository (no database needed).',
    flags: ['repo', 'no-cache'],
    example: 'skeldir-rebuild graph --repo ../skeldir-backend --json',
  },
  plan: {
    usage: 'plan --repo DIR [flags]',
    summary: 'Print the upgrade plan for --target (with a connection: from the database\u2019s alembic_version).',
    flags: [...CONNECTION, ...PROJECT, 'target', 'from-graph'],
    example: 'skeldir-rebuild plan --repo ../skeldir-backend --target heads',
  },
  migrate: {
    usage: 'migrate --repo DIR [flags]',
    summary: 'R4: run the planned Alembic upgrades (--preview: print their SQL only).',
    flags: [...CONNECTION, ...PROJECT, 'target', 'from-graph', 'preview', 'no-progress'],
    example: 'skeldir-rebuild migrate --embedded --repo ../skeldir-backend',
  },
  verify: {
    usage: 'verify [flags]',
    summary: 'VERIFY: the profile\u2019s schema checks, and with --repo the grants and row-level security the revisions set.',
    flags: [...CONNECTION, ...PROJECT],
    example: 'skeldir-rebuild verify --embedded --repo ../skeldir-backend',
  },
  validate: {
    usage: 'validate --repo DIR [flags]',
    summary: 'R5: run the profile\u2019s pytest suites against the database.',
    flags: [...CONNECTION, ...PROJECT, 'allow-remote-tests', 'no-progress'],
    example: 'skeldir-rebuild validate --embedded --repo ../skeldir-backend',
  },
  rebuild: {
    usage: 'rebuild --repo DIR [flags]',
    summary: 'E1 \u2192 E2 \u2192 E3 \u2192 R4 \u2192 VERIFY \u2192 R5: the whole guide, one command.',
    flags: [
      ...CONNECTION,
      ...PROJECT,
      'target',
      'from-graph',
      'drop-existing',
      'drop-unmarked',
      'yes',
      'skip-validation',
      'allow-remote-tests',
      'no-cache',
      'no-progress',
    ],
    example: 'skeldir-rebuild rebuild --embedded --repo ../skeldir-backend --drop-existing --yes',
  },
  fix: {
    usage: 'fix FINDING [flags]',
    summary: 'Run the remediation of a finding (asks first; --yes when not interactive); exit 1 if the finding remains.',
    flags: [...CONNECTION, ...PROJECT, 'yes'],
    example: 'skeldir-rebuild fix ROLES-MISSING --embedded --yes',
  },
  snapshots: {
    usage: 'snapshots [flags]',
    summary: 'List the safety snapshots of dropped databases and the cache templates.',
    flags: [...CONNECTION, 'profile'],
    example: 'skeldir-rebuild snapshots --embedded',
  },
  restore: {
    usage: 'restore NAME [flags]',
    summary: 'Restore a safety snapshot as the database (asks; --yes when not interactive).',
    flags: [...CONNECTION, ...PROJECT, 'yes'],
    example: 'skeldir-rebuild restore skeldir_validation__snap_20260101T120000 --embedded --yes',
  },
  prune: {
    usage: 'prune --keep N [flags]',
    summary: 'Delete all but the N newest safety snapshots (asks; --yes when not interactive).',
    flags: [...CONNECTION, 'profile', 'keep', 'yes'],
    example: 'skeldir-rebuild prune --keep 2 --embedded --yes',
  },
  report: {
    usage: 'report [--out FILE] [--format json|html] [flags]',
    summary: 'Save a redacted diagnostic bundle for support (read-only).',
    flags: [...CONNECTION, ...PROJECT, 'out', 'format'],
    example: 'skeldir-rebuild report --embedded --out diagnosis.html',
  },
  compare: {
    usage: 'compare A.json B.json',
    summary: 'List the differences between two diagnostic bundles (exit 1 when they differ).',
    flags: [],
    example: 'skeldir-rebuild compare mine.json colleague.json',
  },
};

const ENVIRONMENT = `Environment
  SKELDIR_SUPERUSER_PASSWORD, PGPASSWORD   the superuser password (never an argument)
  PGPASSFILE                               the password file (default ~/.pgpass, %APPDATA%\\postgresql\\pgpass.conf)
  PGHOST, PGPORT, PGUSER                   defaults for --host, --port, --superuser
  SKELDIR_PYTHON                           default for --python
  SKELDIR_EMBEDDED_DIR                     default for --embedded-dir (the app reads it too)
  NO_COLOR                                 plain progress lines
`;

export function commandHelp(command: Exclude<CommandName, 'help'>): string {
  const page = PAGES[command];
  const flags = [...page.flags, 'json'].map((flag) => `  ${FLAG_HELP[flag] ?? `--${flag}`}`);
  return `skeldir-rebuild ${page.usage}

${page.summary}

Flags
${flags.join('\n')}

Example
  ${page.example}

${page.flags.includes('superuser') ? ENVIRONMENT : ''}Exit codes: 0 success, 1 a gate failed, 2 bad usage or input, 130 cancelled (Ctrl-C; 143 SIGTERM, 129 SIGHUP).
`;
}

export const HELP_TEXT = `skeldir-rebuild \u2014 rebuild and diagnose the local Skeldir PostgreSQL database

Usage: skeldir-rebuild <command> [flags]      skeldir-rebuild <command> --help for its flags and an example

Commands
${(Object.keys(PAGES) as Exclude<CommandName, 'help'>[]).map((name) => `  ${PAGES[name].usage.padEnd(48)} ${PAGES[name].summary}`).join('\n')}

Connection
  ${FLAG_HELP.host}
  ${FLAG_HELP.port}
  ${FLAG_HELP.superuser}
  ${FLAG_HELP.embedded}
  ${FLAG_HELP['embedded-dir']}
  ${FLAG_HELP['allow-remote']}
  The superuser password comes from SKELDIR_SUPERUSER_PASSWORD, then PGPASSWORD, then the
  password file (PGPASSFILE, ~/.pgpass), then a prompt \u2014 never from an argument.

Project
  ${FLAG_HELP.repo}
  ${FLAG_HELP.python}
  ${FLAG_HELP.profile}
  ${FLAG_HELP.target}
  ${FLAG_HELP['allow-remote-tests']}

Output
  ${FLAG_HELP.json}
  ${FLAG_HELP['no-progress']}
  --version, -V            print the version

${ENVIRONMENT}
Exit codes: 0 every requested gate passed, 1 a gate failed, 2 bad usage or input, 130 cancelled (Ctrl-C; 143 SIGTERM, 129 SIGHUP).
`;

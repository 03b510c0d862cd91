import { parseArgs } from 'node:util';
import { appError, err, ok, type Result } from '../../shared/errors/app-error';

/**
 * The CLI's flags, parsed strictly: an unknown flag or a bad value is a usage error
 * (exit 2) that names the flag. Passwords are deliberately not flags: argv is visible
 * to every process on the machine.
 */
export const COMMANDS = [
  'diagnose',
  'bootstrap',
  'graph',
  'plan',
  'migrate',
  'verify',
  'validate',
  'rebuild',
  'fix',
  'snapshots',
  'restore',
  'prune',
  'report',
  'compare',
  'help',
] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface CliOptions {
  command: CommandName;
  positionals: string[];
  host: string;
  port: number;
  superuser: string;
  embedded: boolean;
  embeddedDir?: string;
  python?: string;
  profile?: string;
  repo?: string;
  json: boolean;
  dropExisting: boolean;
  yes: boolean;
  dropUnmarked: boolean;
  allowRemote: boolean;
  allowRemoteTests: boolean;
  target?: string;
  fromGraph: boolean;
  skipValidation: boolean;
  noCache: boolean;
  preview: boolean;
  keep?: number;
  out?: string;
  format?: string;
}

const FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  superuser: { type: 'string' },
  embedded: { type: 'boolean' },
  'embedded-dir': { type: 'string' },
  python: { type: 'string' },
  profile: { type: 'string' },
  repo: { type: 'string' },
  json: { type: 'boolean' },
  'drop-existing': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  'drop-unmarked': { type: 'boolean' },
  'allow-remote': { type: 'boolean' },
  'allow-remote-tests': { type: 'boolean' },
  target: { type: 'string' },
  'from-graph': { type: 'boolean' },
  'skip-validation': { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  preview: { type: 'boolean' },
  keep: { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  password: { type: 'string' },
} as const;

export function parseCli(argv: string[]): Result<CliOptions> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof FLAGS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    return usage(error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, '.') : String(error));
  }
  const { values, positionals } = parsed;
  if (values.password !== undefined) {
    return usage('--password is not accepted: a password on the command line is visible to every process. Set SKELDIR_SUPERUSER_PASSWORD (or PGPASSWORD), or answer the prompt.');
  }
  const [first, ...rest] = positionals;
  const command = (values.help || !first ? 'help' : first) as CommandName;
  if (!COMMANDS.includes(command)) {
    return usage(`Unknown command "${first}". Commands: ${COMMANDS.filter((c) => c !== 'help').join(', ')}.`);
  }
  const port = values.port === undefined ? 5432 : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return usage(`--port must be a number from 1 to 65535, not "${values.port}".`);
  const keep = values.keep === undefined ? undefined : Number(values.keep);
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 0)) return usage(`--keep must be a whole number, not "${values.keep}".`);
  if (values['drop-existing'] && command !== 'bootstrap' && command !== 'rebuild') {
    return usage('--drop-existing applies to bootstrap and rebuild only.');
  }
  if (values.host !== undefined && values.embedded) return usage('--host and --embedded exclude each other: --embedded uses the bundled PostgreSQL.');
  return ok({
    command,
    positionals: rest,
    host: values.host ?? 'localhost',
    port,
    superuser: values.superuser ?? 'postgres',
    embedded: values.embedded ?? false,
    embeddedDir: values['embedded-dir'],
    python: values.python,
    profile: values.profile,
    repo: values.repo,
    json: values.json ?? false,
    dropExisting: values['drop-existing'] ?? false,
    yes: values.yes ?? false,
    dropUnmarked: values['drop-unmarked'] ?? false,
    allowRemote: values['allow-remote'] ?? false,
    allowRemoteTests: values['allow-remote-tests'] ?? false,
    target: values.target,
    fromGraph: values['from-graph'] ?? false,
    skipValidation: values['skip-validation'] ?? false,
    noCache: values['no-cache'] ?? false,
    preview: values.preview ?? false,
    keep,
    out: values.out,
    format: values.format,
  });
}

function usage(message: string): Result<CliOptions> {
  return err(appError('usage', message, { remediation: 'Run "skeldir-rebuild help" for the commands and flags.' }));
}

export const HELP_TEXT = `skeldir-rebuild — rebuild and diagnose the local Skeldir PostgreSQL database

Usage: skeldir-rebuild <command> [flags]

Commands
  diagnose                 E1: read-only diagnosis of server, roles, database, tables, settings, alembic_version
  bootstrap                E2–E3: create roles, database, grants and settings (idempotent)
      --drop-existing        drop the database first (asks; --yes when not interactive)
      --drop-unmarked        second confirmation to drop a database this tool did not create
  graph                    print the Alembic migration graph of --repo
  plan                     print the upgrade plan for --target (default: the profile's)
      --from-graph           ignore the profile's explicit plan
  migrate                  R4: run the planned Alembic upgrades   (--preview: print the SQL only)
  verify                   VERIFY: schema checks
  validate                 R5: run the profile's pytest suites
      --allow-remote-tests   also run suites whose code points at another database server
  rebuild                  E1 → E2 → E3 → R4 → VERIFY → R5   (--drop-existing --yes, --skip-validation, --no-cache)
  fix FMn                  run the remediation of a finding (asks; --yes when not interactive)
  snapshots | restore NAME | prune --keep N     safety snapshots of dropped databases (restore, prune: asks; --yes)
  report [--out FILE] [--format json|html]
                           save a diagnostic bundle (format from the extension when not given)
  compare A.json B.json    list the differences between two bundles

Connection
  --host HOST              default localhost
  --port PORT              default 5432
  --superuser NAME         default postgres
  --embedded               use the bundled PostgreSQL 15 (started for the command, data kept)
  --embedded-dir DIR       where the bundled PostgreSQL keeps its data
  --allow-remote           allow destructive commands on a non-local server
  The superuser password comes from SKELDIR_SUPERUSER_PASSWORD, then PGPASSWORD, then a prompt —
  never from an argument.

Project
  --repo DIR               the backend repository (folder with alembic.ini)
  --python PATH            interpreter with Alembic and pytest (else SKELDIR_PYTHON, the repo's venv, py -3, python3)
  --profile FILE           a profile JSON file (default: the built-in Skeldir profile)
  --target T               migration target (default: the profile's)

Output
  --json                   print one JSON report on stdout; progress still goes to stderr

Exit codes: 0 every requested gate passed, 1 a gate failed, 2 bad usage or input.
`;

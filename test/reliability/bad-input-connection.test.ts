import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../shared/report/report';
import { freePort } from '../../electron/engine/embedded/free-port';
import { startProtocolStub, type StubServer } from '../support/protocol-stub-server';
import { runCli, type CliRun } from '../support/run-cli';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { adminQuery } from './reliability-helpers';

/**
 * Bad input: connection settings. Each mistake, driven through the CLI as a user makes
 * it, gets its own message and suggested fix on stderr, the same in the --json report,
 * exit code 1 (a gate failed) — and never a stack trace. The engine-level mapping by
 * SQLSTATE / Node code is covered in test/integration/engine/db/connection-errors.test.ts.
 */
let pg: ThrowawayPostgres;
let startingUp: StubServer;
let silent: StubServer;
beforeAll(async () => {
  [pg, startingUp, silent] = await Promise.all([
    startThrowawayPostgres(),
    startProtocolStub({ sqlState: '57P03', message: 'the database system is starting up' }),
    startProtocolStub('silent'),
  ]);
  await adminQuery(pg.settings, ["CREATE ROLE plain_user LOGIN PASSWORD 'plain-pass'"]);
});
afterAll(async () => {
  await Promise.all([startingUp?.close(), silent?.close()]);
  await pg?.stop();
});

function diagnose(host: string, port: number, password: string, extra: string[] = []): Promise<CliRun> {
  return runCli(['diagnose', '--host', host, '--port', String(port), '--json', ...extra], { SKELDIR_SUPERUSER_PASSWORD: password });
}

/** The E1 connection step as the terminal shows it, and the report's error, checked against each other. */
function expectConnectionFailure(run: CliRun, code: string, message: string, fix: RegExp): void {
  expect(run.code).toBe(1);
  expect(run.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
  const report = JSON.parse(run.stdout) as RunReport;
  const e1 = report.gates.find((g) => g.id === 'E1');
  expect(e1?.status).toBe('failed');
  expect(e1?.error?.code).toBe(code);
  expect(e1?.error?.message).toBe(message);
  expect(e1?.error?.remediation).toMatch(fix);
  expect(run.stderr).toContain(`\u2717 Connect to `);
  expect(run.stderr).toContain(message);
  expect(report.findings.map((f) => f.id)).toEqual([code === 'connection-auth-failed' ? 'SERVER-LOGIN-FAILED' : 'SERVER-UNREACHABLE']);
  console.log(`[reliability] connection ${code} -> exit ${run.code}: ${message} ${e1?.error?.remediation}`);
}

describe('connection mistakes through the CLI', () => {
  it('wrong superuser password', async () => {
    const run = await diagnose('127.0.0.1', pg.settings.port, 'wrong-password-123');
    expectConnectionFailure(
      run,
      'connection-auth-failed',
      `PostgreSQL on 127.0.0.1:${pg.settings.port} rejected the password for role "postgres".`,
      /^Enter the superuser password you chose when installing PostgreSQL\. If "postgres" is not your superuser, name the superuser instead\.$/,
    );
    // The engine's words name no front; the terminal adds the CLI's own way to give the password.
    expect(run.stderr).toContain('(set SKELDIR_SUPERUSER_PASSWORD or PGPASSWORD, or answer the prompt; --superuser (else PGUSER) names the superuser)');
    expect(run.stdout + run.stderr).not.toContain('wrong-password-123');
  });

  it('wrong port (nothing listens there)', async () => {
    const port = await freePort();
    expectConnectionFailure(
      await diagnose('127.0.0.1', port, 'x'),
      'connection-refused',
      `PostgreSQL is not running on 127.0.0.1:${port} (connection refused).`,
      /Start the PostgreSQL service/,
    );
  });

  it('unknown host', async () => {
    expectConnectionFailure(
      await diagnose('no-such-host.invalid', pg.settings.port, 'x'),
      'connection-unknown-host',
      'The host name "no-such-host.invalid" could not be resolved.',
      /for a local server use 127\.0\.0\.1/,
    );
  });

  it('server not accepting connections yet (starting up, 57P03)', async () => {
    expectConnectionFailure(
      await diagnose('127.0.0.1', startingUp.port, 'x'),
      'connection-starting-up',
      `PostgreSQL on 127.0.0.1:${startingUp.port} is starting up or shutting down and does not accept connections yet.`,
      /Wait a few seconds/,
    );
  });

  it('a server that accepts but never answers', async () => {
    expectConnectionFailure(
      await diagnose('127.0.0.1', silent.port, 'x'),
      'connection-timeout',
      `No answer from 127.0.0.1:${silent.port} within the time limit.`,
      /firewall/,
    );
  }, 60_000);

  it('a non-superuser account: E1 warns; bootstrap stops at the first role with its own message', async () => {
    const env = { SKELDIR_SUPERUSER_PASSWORD: 'plain-pass' };
    const flags = ['--host', '127.0.0.1', '--port', String(pg.settings.port), '--superuser', 'plain_user', '--json'];
    const diag = await runCli(['diagnose', ...flags], env);
    expect(diag.code).toBe(0);
    const step = (JSON.parse(diag.stdout) as RunReport).gates[0].steps.find((s) => s.id === 'superuser');
    expect(step?.status).toBe('warning');
    expect(step?.detail).toBe('"plain_user" is not a superuser and cannot create roles/databases: bootstrap will fail. Connect as "postgres".');

    const boot = await runCli(['bootstrap', ...flags], env);
    expect(boot.code).toBe(1);
    expect(boot.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    const report = JSON.parse(boot.stdout) as RunReport;
    const e2 = report.gates.find((g) => g.id === 'E2');
    expect(e2?.status).toBe('failed');
    const failed = e2?.steps.find((s) => s.status === 'failed');
    expect(failed?.detail).toMatch(
      /^Permission denied while creating role "app_user"\. .*Connect as a superuser \(the "postgres" role\) for bootstrap and rebuild\.$/,
    );
    expect(report.gates.find((g) => g.id === 'E3')?.status).toBe('blocked');
    console.log(`[reliability] non-superuser -> E1 warning: ${step?.detail} / bootstrap exit ${boot.code}: ${failed?.detail}`);
    // Nothing was created with the half-privileged account.
    expect(await adminQuery(pg.settings, "SELECT rolname FROM pg_roles WHERE rolname LIKE 'app\\_%'")).toEqual([]);
  });

  it('no password at all and no terminal: exit 2 naming where the password comes from', async () => {
    const run = await runCli(['diagnose', '--host', '127.0.0.1', '--port', String(pg.settings.port)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: No password for the PostgreSQL superuser "postgres".');
    expect(run.stderr).toMatch(/what to do: Set SKELDIR_SUPERUSER_PASSWORD \(or PGPASSWORD\)/);
  });

  it('a password on the command line is refused (argv is visible to every process)', async () => {
    const run = await runCli(['diagnose', '--password', 'argv-secret']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--password is not accepted/);
  });
});

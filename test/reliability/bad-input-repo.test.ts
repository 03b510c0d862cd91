import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memorySecretStore, SettingsStore } from '../../electron/app-service/settings-store';
import { createAppService } from '../../electron/app-service/app-service';
import { runCli, type CliRun } from '../support/run-cli';
import { copyFixture, SKELDIR_FOUNDATION } from '../support/sample-project';
import { makeTempDir } from '../support/temp-dir';

/**
 * Bad input: the repository. A missing alembic.ini, a wrong script_location, a revision
 * file the parser cannot read, duplicate revision ids, a down_revision that does not
 * exist, a cycle: `skeldir-rebuild graph` exits non-zero and names the file and line; the
 * app's graph view (the engine service's loadGraph) gets the same errors; nothing crashes.
 * Random and mutated input for the revision parser and the ini reader is the property
 * test test/unit/engine/alembic/parser-property.test.ts (fast-check): they return errors, never throw.
 */
const made: string[] = [];
afterAll(() => {
  for (const repo of made) fs.rmSync(path.dirname(repo), { recursive: true, force: true });
});

const CORE = path.join('alembic', 'versions', '001_core_schema');
const CELERY = path.join('alembic', 'versions', '006_celery_foundation');

function brokenRepo(change: (repo: string) => void): string {
  const repo = copyFixture(SKELDIR_FOUNDATION);
  made.push(repo);
  change(repo);
  return repo;
}

function edit(repo: string, file: string, from: string | RegExp, to: string): void {
  const full = path.join(repo, file);
  const text = fs.readFileSync(full, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`test setup: ${String(from)} not found in ${file}`);
  fs.writeFileSync(full, next);
}

/** Line (1-based) of the first line matching `pattern` in a file of the repo. */
function lineOf(repo: string, file: string, pattern: RegExp): number {
  return (
    fs
      .readFileSync(path.join(repo, file), 'utf8')
      .split('\n')
      .findIndex((line) => pattern.test(line)) + 1
  );
}

function noCrash(run: CliRun): void {
  expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
  expect(run.stderr).not.toMatch(/unexpected error/i);
}

interface GraphJson {
  errors: { file?: string; line?: number; message: string }[];
}

async function graphErrors(repo: string): Promise<{ text: CliRun; json: GraphJson }> {
  const text = await runCli(['graph', '--repo', repo]);
  const json = await runCli(['graph', '--repo', repo, '--json']);
  noCrash(text);
  noCrash(json);
  expect(text.code).toBe(1);
  expect(json.code).toBe(1);
  return { text, json: JSON.parse(json.stdout) as GraphJson };
}

/** The app's graph view is fed by the engine service's loadGraph. */
async function appGraphErrors(repo: string): Promise<GraphJson['errors']> {
  const dir = makeTempDir('skeldir-app-graph-');
  try {
    const store = new SettingsStore(path.join(dir, 'settings.json'), memorySecretStore());
    store.write({ connection: { mode: 'server', host: '127.0.0.1', port: 5432, superuser: 'postgres' }, repoDir: repo, python: '', profilePath: '' });
    const service = createAppService({ store });
    const view = await service.handlers.loadGraph({ withState: false });
    await service.dispose();
    if (!view.ok) throw new Error(view.error.message);
    return view.value.graph.errors;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('a broken repository: graph shows file and line, exits non-zero, never crashes', () => {
  it('missing alembic.ini: exit 2 saying where it looked', async () => {
    const repo = brokenRepo((r) => fs.rmSync(path.join(r, 'alembic.ini')));
    const run = await runCli(['graph', '--repo', repo]);
    noCrash(run);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `error: No alembic.ini found in ${repo} (looked for alembic.ini and backend/alembic.ini, and for a pyproject.toml with [tool.alembic]).`,
    );
    expect(run.stderr).toMatch(/what to do: Choose the Skeldir backend checkout: .* \(pass --repo DIR\)\./);
    console.log(`[reliability] repo without alembic.ini -> exit ${run.code}: ${run.stderr.split('\n')[0]}`);
  });

  it('wrong script_location: exit 2 naming the setting and the folder it points to', async () => {
    const repo = brokenRepo((r) => edit(r, 'alembic.ini', 'script_location = alembic', 'script_location = migrations'));
    const run = await runCli(['graph', '--repo', repo]);
    noCrash(run);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `error: script_location in ${path.join(repo, 'alembic.ini')} points to ${path.join(repo, 'migrations')}, which is not a folder.`,
    );
    expect(run.stderr).toContain('script_location = migrations');
    console.log(`[reliability] wrong script_location -> exit ${run.code}: ${run.stderr.split('\n')[0]}`);
  });

  it('a revision file whose revision is not a literal the parser knows: that file and line', async () => {
    const file = path.join(CELERY, '202512131200_worker_dlq.py');
    const repo = brokenRepo((r) => edit(r, file, /^down_revision(: [^=]+)? = "202512120900"/m, 'down_revision = compute_parent("202512120900")'));
    const line = lineOf(repo, file, /^down_revision = compute_parent/);
    const { text, json } = await graphErrors(repo);
    const error = json.errors.find((e) => e.file === file.split(path.sep).join('/'));
    expect(error?.line).toBe(line);
    expect(text.stdout).toMatch(new RegExp(`error: ${escape(file.split(path.sep).join('/'))}:${line}: `));
    console.log(`[reliability] unparsable down_revision -> exit ${text.code}: ${text.stdout.split('\n').find((l) => l.startsWith('error:'))}`);
    expect((await appGraphErrors(repo)).some((e) => e.line === line)).toBe(true);
  });

  it('a revision file with a Python syntax error: that file and line', async () => {
    const file = path.join(CORE, '202511131119_add_materialized_views.py');
    const repo = brokenRepo((r) => edit(r, file, "revision = '202511131119'", "revision = '202511131119"));
    const { text, json } = await graphErrors(repo);
    const posix = file.split(path.sep).join('/');
    const error = json.errors.find((e) => e.file === posix);
    expect(error?.line).toBe(lineOf(repo, file, /^revision = '202511131119$/));
    expect(text.stdout).toContain(`error: ${posix}:${error?.line}: `);
    console.log(`[reliability] revision file with a syntax error -> exit ${text.code}: ${text.stdout.split('\n').find((l) => l.startsWith('error:'))}`);
  });

  it('duplicate revision ids: both files named', async () => {
    const repo = brokenRepo((r) =>
      fs.copyFileSync(path.join(r, CELERY, '202512131530_kombu_sequences.py'), path.join(r, CELERY, '202512131531_kombu_sequences_copy.py')),
    );
    const { text, json } = await graphErrors(repo);
    const error = json.errors.find((e) => /defined twice/.test(e.message));
    expect(error?.message).toContain(
      'Revision 202512131530 is defined twice, in alembic/versions/006_celery_foundation/202512131530_kombu_sequences.py and alembic/versions/006_celery_foundation/202512131531_kombu_sequences_copy.py',
    );
    expect(error?.line).toBeGreaterThan(0);
    expect(text.stdout).toMatch(
      /error: alembic\/versions\/006_celery_foundation\/202512131531_kombu_sequences_copy\.py:\d+: Revision 202512131530 is defined twice/,
    );
    console.log(`[reliability] duplicate revision id -> exit ${text.code}: ${error?.message.split(';')[0]}`);
  });

  it('a down_revision that does not exist: the file, the line and the missing id', async () => {
    const file = path.join(CORE, '202511131120_add_rls_policies.py');
    const repo = brokenRepo((r) => edit(r, file, /^down_revision(: [^=]+)? = "202511131119"/m, 'down_revision = "202511131118"'));
    const { text, json } = await graphErrors(repo);
    const posix = file.split(path.sep).join('/');
    const error = json.errors.find((e) => /no revision 202511131118 exists/.test(e.message));
    expect(error?.file).toBe(posix);
    // The line of the file's `revision =` (the line below it names the missing parent).
    expect(error?.line).toBe(lineOf(repo, file, /^revision = "202511131120"/));
    expect(text.stdout).toContain(
      `error: ${posix}:${error?.line}: Revision 202511131120 (${posix}) names 202511131118 as its down_revision, but no revision 202511131118 exists.`,
    );
    console.log(`[reliability] missing down_revision -> exit ${text.code}: ${error?.message}`);
    expect((await appGraphErrors(repo)).map((e) => e.message)).toContain(error?.message);
  });

  it('a cycle: the revisions in it, with file and line', async () => {
    const file = path.join(CORE, '202511131100_baseline.py');
    const repo = brokenRepo((r) => edit(r, file, /^down_revision(: [^=]+)? = None/m, 'down_revision = "202511131121"'));
    const { text, json } = await graphErrors(repo);
    const error = json.errors.find((e) => /cycle/i.test(e.message));
    expect(error?.message).toMatch(/baseline/);
    expect(error?.message).toMatch(/202511131121/);
    expect(error?.file).toMatch(/^alembic\/versions\/001_core_schema\//);
    expect(error?.line).toBeGreaterThan(0);
    expect(text.stdout).toMatch(/error: alembic\/versions\/001_core_schema\/\S+\.py:\d+: .*cycle/i);
    console.log(`[reliability] cycle -> exit ${text.code}: ${error?.message}`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

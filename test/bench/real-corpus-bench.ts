import * as path from 'node:path';
import type { EmbeddedServer } from '../../electron/engine/embedded/embedded-server';
import { runPipeline, type PipelineRequest } from '../../electron/engine/pipeline/run-pipeline';
import type { RunReport } from '../../shared/report/report';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import { backendPython, REAL_CORPUS_DIR, realCorpusUnavailable } from '../support/real-corpus';

/**
 * The benchmark's figures on the real Skeldir backend (the product's acceptance target):
 * cold rebuild, warm rebuild and the guide's manual procedure, taking turns round by round
 * like the sample project's figures, plus E1 against the guide's manual look. Every warm
 * rebuild must have come from the template cache; a rebuild that does not pass is the
 * section's error (reported, and the bench exits non-zero), not a figure.
 */

/** One side of a comparison, as run-bench's sideBySide takes it. */
export interface BenchSide {
  label: string;
  run: () => Promise<unknown>;
  warmup?: number;
  perRound?: number;
  after?: () => Promise<void>;
}

/** What run-bench lends this section: its server, run count and measuring helpers. */
export interface BenchTools {
  server: EmbeddedServer;
  runs: number;
  sideBySide: (sides: BenchSide[], rounds?: number) => Promise<number[]>;
  median: (values: number[]) => number;
  timed: (run: () => Promise<unknown>) => Promise<number>;
  psql: (server: EmbeddedServer, database: string, sql: string) => Promise<void>;
  command: (cmd: string, args: string[], options?: { cwd?: string; env?: Record<string, string> }) => Promise<void>;
}

/** Same shape as run-bench's figures, so they go in one table. */
export interface RealCorpusFigure {
  name: string;
  ours: number;
  theirs: number | null;
  unit: 'ms' | 'MB';
  versus: string;
  target: number;
  ratio: number;
  met: boolean;
}

export interface RealCorpusBench {
  figures: RealCorpusFigure[];
  /** What the section measured besides the figures, or why it measured nothing. */
  informational: { corpus: string; python?: string; warmFromTemplate?: number; housekeepingAfterWarmMs?: number; skipped?: string; error?: string };
}

export async function benchRealCorpus(tools: BenchTools): Promise<RealCorpusBench> {
  const corpus = path.basename(REAL_CORPUS_DIR);
  const unavailable = realCorpusUnavailable();
  if (unavailable) {
    process.stderr.write(`Real corpus: skipped (${unavailable})\n`);
    return { figures: [], informational: { corpus, skipped: unavailable } };
  }
  const python = backendPython() as string;
  const alembic = path.join(path.dirname(python), process.platform === 'win32' ? 'alembic.exe' : 'alembic');
  const { server } = tools;
  const base: PipelineRequest = {
    command: 'rebuild',
    gates: ['E1', 'E2', 'E3', 'R4', 'VERIFY'],
    settings: server.settings,
    profile: SKELDIR_PROFILE,
    repoDir: REAL_CORPUS_DIR,
    pythonFlag: python,
    // The manual procedure's database carries no ownership marker: the bench confirms dropping it.
    bootstrap: { dropExisting: true, confirmed: true, confirmedUnmarked: true, allowRemote: false },
  };
  const deferred: (() => Promise<void>)[] = [];
  const housekeeping: number[] = [];
  const settle = async () => {
    for (const task of deferred.splice(0)) await task();
  };
  const settleTimed = async () => {
    for (const task of deferred.splice(0)) housekeeping.push(await tools.timed(task));
  };
  const mustPass = async (request: PipelineRequest): Promise<RunReport> => {
    const report = await runPipeline({ ...request, defer: (task) => deferred.push(task) }, () => undefined);
    const failed = report.gates.filter((gate) => gate.status !== 'passed');
    if (failed.length) {
      const why = failed.map(
        (gate) =>
          `${gate.id} ${gate.status}: ${
            gate.steps
              .filter((step) => step.status === 'failed')
              .map((step) => `${step.title}${step.detail ? ` (${step.detail.slice(0, 300)})` : ''}`)
              .join(', ') ||
            gate.error?.message ||
            ''
          }`,
      );
      throw new Error(`the rebuild of the real corpus did not pass (${why.join('; ')})`);
    }
    return report;
  };
  let warmFromTemplate = 0;
  const warmRebuild = async () => {
    const report = await mustPass({ ...base, cache: { enabled: true } });
    const r4 = report.gates.find((gate) => gate.id === 'R4');
    // The figure is only the cache's if the cache answered: a warm run that migrated would measure a cold one.
    if (!r4?.steps.some((step) => step.id === 'restored-from-template'))
      throw new Error('a warm rebuild of the real corpus did not restore from the template cache');
    warmFromTemplate++;
  };

  process.stderr.write(`Real corpus (${corpus}, ${python}):\n`);
  try {
    await mustPass({ ...base, cache: { enabled: true } }); // stores the template
    await settle();
    const [manual, cold, warm] = await tools.sideBySide([
      { label: 'real corpus: manual procedure (8 psql + 2 alembic upgrade)', run: () => manualRebuild(tools, alembic) },
      { label: 'real corpus: cold rebuild', run: () => mustPass({ ...base, cache: { enabled: false } }), after: settle },
      { label: 'real corpus: warm rebuild (template clone + verify)', run: warmRebuild, after: settleTimed },
    ]);
    process.stderr.write(
      `  real corpus: ${warmFromTemplate} of ${warmFromTemplate} warm rebuilds restored from the template cache; housekeeping after each (untimed above): median ${tools.median(housekeeping).toFixed(0)} ms\n`,
    );
    const [diagnosisManual, diagnosis] = await tools.sideBySide([
      { label: 'real corpus: alembic current + psql \\dt + psql \\du', run: () => manualDiagnosis(tools, alembic) },
      { label: 'real corpus: E1 diagnosis', run: () => runPipeline({ ...base, command: 'diagnose', gates: ['E1'] }, () => undefined) },
    ]);
    const figures: RealCorpusFigure[] = [
      {
        name: 'real corpus: cold rebuild vs manual procedure',
        ours: cold,
        theirs: manual,
        unit: 'ms',
        versus: 'manual',
        target: 0.9,
        ratio: cold / manual,
        met: cold / manual <= 0.9,
      },
      {
        name: 'real corpus: warm rebuild vs cold rebuild',
        ours: warm,
        theirs: cold,
        unit: 'ms',
        versus: 'cold',
        target: 0.1,
        ratio: warm / cold,
        met: warm / cold <= 0.1,
      },
      {
        name: 'real corpus: E1 diagnosis vs alembic current + psql \\dt + \\du',
        ours: diagnosis,
        theirs: diagnosisManual,
        unit: 'ms',
        versus: 'manual',
        target: 0.2,
        ratio: diagnosis / diagnosisManual,
        met: diagnosis / diagnosisManual <= 0.2,
      },
    ];
    return { figures, informational: { corpus, python, warmFromTemplate, housekeepingAfterWarmMs: tools.median(housekeeping) } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`  real corpus: FAILED: ${message}\n`);
    await settle().catch(() => undefined);
    return { figures: [], informational: { corpus, python, error: message } };
  }
}

/** The guide's procedure on the real corpus: one psql per bootstrap step, then the profile's upgrade steps with alembic. */
async function manualRebuild(tools: BenchTools, alembic: string): Promise<void> {
  const { server, psql, command } = tools;
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
  for (const step of SKELDIR_PROFILE.migrations.plan ?? [SKELDIR_PROFILE.migrations.target])
    await command(alembic, ['upgrade', step], { cwd: REAL_CORPUS_DIR, env });
}

async function manualDiagnosis(tools: BenchTools, alembic: string): Promise<void> {
  const { server, command } = tools;
  const s = server.settings;
  await command(alembic, ['current'], { cwd: REAL_CORPUS_DIR, env: { DATABASE_URL: `postgresql://app_user:app_user@127.0.0.1:${s.port}/skeldir_validation` } });
  await command('psql', ['-X', '-h', s.host, '-p', String(s.port), '-U', 'app_user', '-d', 'skeldir_validation', '-c', '\\dt'], {
    env: { PGPASSWORD: 'app_user' },
  });
  await command('psql', ['-X', '-h', s.host, '-p', String(s.port), '-U', s.superuser, '-d', 'postgres', '-c', '\\du'], { env: { PGPASSWORD: s.password } });
}

import { afterAll, beforeAll } from 'vitest';
import { runPipeline, type PipelineRequest } from '../../electron/engine/pipeline/run-pipeline';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import type { RunReport } from '../../shared/report/report';
import type { EmitEvent } from '../../shared/contract/events';
import { ensureTestPython } from './python-env';
import { copyFixture, SKELDIR_FOUNDATION } from './sample-project';
import { startThrowawayPostgres, type ThrowawayOptions, type ThrowawayPostgres } from './throwaway-postgres';

/** What a test file that runs the pipeline against the sample project needs: a server, an interpreter and its own copy of the project. */
export interface FixtureCluster {
  readonly pg: ThrowawayPostgres;
  readonly python: string;
  readonly repo: string;
}

/**
 * Registers, for the calling test file, a throwaway PostgreSQL, the test Python and a copy
 * of the sample project that `prepare` may change (extra revisions, suites), all gone after
 * the file's tests. The returned object is read in tests and later hooks, once beforeAll filled it.
 */
export function useFixtureCluster(
  prepare: (cluster: FixtureCluster) => void | Promise<void> = () => undefined,
  options: { timeoutMs?: number; server?: ThrowawayOptions } = {},
): FixtureCluster {
  let started: FixtureCluster | null = null;
  let pg: ThrowawayPostgres | null = null;
  beforeAll(async () => {
    let python: string;
    [pg, python] = await Promise.all([startThrowawayPostgres(options.server), ensureTestPython()]);
    started = { pg, python, repo: copyFixture(SKELDIR_FOUNDATION) };
    await prepare(started);
  }, options.timeoutMs ?? 180_000);
  // The project copy is a temp folder of the file's own (copyFixture), removed after the file's tests.
  afterAll(async () => {
    await pg?.stop();
  });
  const ready = () => {
    if (!started) throw new Error('The fixture cluster is read before its beforeAll has run.');
    return started;
  };
  return {
    get pg() {
      return ready().pg;
    },
    get python() {
      return ready().python;
    },
    get repo() {
      return ready().repo;
    },
  };
}

/** Rebuild's every gate on the cluster, dropping the database (confirmed) with the template cache on; `overrides` state what a test changes. */
export function runRebuild(cluster: FixtureCluster, overrides: Partial<PipelineRequest> = {}, emit: EmitEvent = () => undefined): Promise<RunReport> {
  return runPipeline(
    {
      command: 'rebuild',
      gates: ['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5'],
      settings: cluster.pg.settings,
      profile: SKELDIR_PROFILE,
      repoDir: cluster.repo,
      pythonFlag: cluster.python,
      bootstrap: { dropExisting: true, confirmed: true, allowRemote: false },
      cache: { enabled: true },
      ...overrides,
    },
    emit,
  );
}

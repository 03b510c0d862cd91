import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline, type PipelineRequest } from '../../../../electron/engine/pipeline/run-pipeline';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
import { ensureTestPython } from '../../../support/python-env';
import { copyFixture, SKELDIR_FOUNDATION } from '../../../support/sample-project';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../support/throwaway-postgres';

/**
 * A project configured in pyproject.toml alone ([tool.alembic], Alembic 1.16+), no
 * alembic.ini: `graph` read it, but a rebuild stopped on ENOENT for alembic.ini (the cache
 * key), the prerequisites said "no alembic.ini", and the driver gave Alembic a missing
 * ini. The sample project is turned into one: the same settings, moved to the TOML table.
 */
let pg: ThrowawayPostgres;
let python: string;
let repo: string;

beforeAll(async () => {
  [pg, python] = await Promise.all([startThrowawayPostgres(), ensureTestPython()]);
  repo = copyFixture(SKELDIR_FOUNDATION, 'pyproject only');
  const ini = fs.readFileSync(path.join(repo, 'alembic.ini'), 'utf8');
  const locations = /^version_locations\s*=\s*(.+)$/m.exec(ini)?.[1].split(';') ?? [];
  fs.rmSync(path.join(repo, 'alembic.ini'));
  fs.writeFileSync(
    path.join(repo, 'pyproject.toml'),
    [
      '[project]',
      'name = "sample"',
      '',
      '[tool.alembic]',
      'script_location = "%(here)s/alembic"',
      'prepend_sys_path = ["."]',
      `version_locations = [${locations.map((location) => `"%(here)s/${location.trim()}"`).join(', ')}]`,
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await pg?.stop();
  if (repo) fs.rmSync(path.dirname(repo), { recursive: true, force: true });
});

describe('a project configured in pyproject.toml only', () => {
  it('rebuilds: the prerequisites read [tool.alembic], R4 runs and names its revisions, and the next rebuild comes from the template', async () => {
    const request: PipelineRequest = {
      command: 'rebuild',
      gates: ['E1', 'E2', 'E3', 'R4', 'VERIFY'],
      settings: pg.settings,
      profile: SKELDIR_PROFILE,
      repoDir: repo,
      pythonFlag: python,
      bootstrap: { dropExisting: true, confirmed: true, allowRemote: false },
      cache: { enabled: true },
    };
    const cold = await runPipeline(request, () => undefined);
    const statuses = cold.gates.map((g) => `${g.id}:${g.status}`);
    const failed = cold.gates.flatMap((g) => g.steps.filter((s) => s.status === 'failed').map((s) => `${g.id} ${s.title}: ${s.detail}`));
    expect(statuses, failed.join('\n')).toEqual(['E1:passed', 'E2:passed', 'E3:passed', 'R4:passed', 'VERIFY:passed']);
    const config = cold.gates[0].steps.find((s) => s.id === 'prerequisite-alembic-ini');
    expect(config?.title).toBe('pyproject.toml [tool.alembic] reads DATABASE_URL');
    expect(config?.status).toBe('passed');
    // Each step names what it ran: the driver reports revisions even with no logging configured.
    const r4 = cold.gates.find((g) => g.id === 'R4');
    const ran = r4?.steps.map((s) => s.detail) ?? [];
    expect(ran[0]).toMatch(/^5 revisions: baseline, 202511131115, 202511131119, 202511131120, 202511131121$/);
    expect(ran.length).toBe(2);

    const warm = await runPipeline(request, () => undefined);
    expect(warm.gates.map((g) => `${g.id}:${g.status}`)).toEqual(statuses);
    expect(warm.gates.find((g) => g.id === 'R4')?.steps.map((s) => s.id)).toEqual(['restored-from-template']);
  }, 300_000);
});

import { describe, expect, it } from 'vitest';
import { planRun, type PlanInput } from '../../../../electron/engine/pipeline/plan-run';

/** planRun decides what a run will do from the request, E1's answer and the cache lookup: no server needed. */
const REBUILD: PlanInput = {
  gates: ['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5'],
  dropExisting: true,
  fullColdRebuild: true,
  stoppedBy: null,
  cache: null,
  migrationsCannotFollow: null,
  skipValidation: false,
};

describe('planRun', () => {
  it('a rebuild without the cache drops and bootstraps empty, stores no template and needs no cache housekeeping', () => {
    expect(planRun(REBUILD)).toEqual({
      bootstrap: { run: true, drop: true, fromTemplate: null },
      cacheHit: false,
      storeTemplate: false,
      skipValidation: false,
      housekeeping: false,
    });
  });

  it('a cold cache (key, no template): bootstraps empty and stores the template once VERIFY passes', () => {
    const plan = planRun({ ...REBUILD, cache: { key: 'k'.repeat(64), template: null, spare: null } });
    expect(plan.bootstrap).toEqual({ run: true, drop: true, fromTemplate: null });
    expect(plan).toMatchObject({ cacheHit: false, storeTemplate: true, housekeeping: true });
  });

  it('a warm cache: bootstraps from the template and its spare copy, stores nothing', () => {
    const plan = planRun({ ...REBUILD, cache: { key: 'k'.repeat(64), template: 'db__tpl_kkk', spare: 'db__spare_kkk' } });
    expect(plan.bootstrap).toEqual({ run: true, drop: true, fromTemplate: { name: 'db__tpl_kkk', key: 'k'.repeat(64), spare: 'db__spare_kkk' } });
    expect(plan).toMatchObject({ cacheHit: true, storeTemplate: false, housekeeping: true });
  });

  it('a rebuild to another target looks the key up but never stores a template', () => {
    const plan = planRun({ ...REBUILD, fullColdRebuild: false, cache: { key: 'k'.repeat(64), template: null, spare: null } });
    expect(plan.storeTemplate).toBe(false);
  });

  it('nothing is dropped when the migrations could not follow, and it says why', () => {
    const plan = planRun({ ...REBUILD, migrationsCannotFollow: 'Python cannot run Alembic: alembic is missing' });
    expect(plan.bootstrap).toEqual({ run: false, reason: 'nothing dropped: R4 could not run afterwards (Python cannot run Alembic: alembic is missing)' });
  });

  it('a template stands in for Alembic: a warm cache drops even when Python could not run it', () => {
    const plan = planRun({ ...REBUILD, migrationsCannotFollow: 'Python cannot run Alembic', cache: { key: 'k', template: 'db__tpl_k', spare: null } });
    expect(plan.bootstrap).toMatchObject({ run: true });
  });

  it('without a drop or without R4, the migrations do not hold the bootstrap back', () => {
    expect(planRun({ ...REBUILD, dropExisting: false, migrationsCannotFollow: 'no repository' }).bootstrap).toEqual({
      run: true,
      drop: false,
      fromTemplate: null,
    });
    expect(planRun({ ...REBUILD, gates: ['E1', 'E2', 'E3'], migrationsCannotFollow: 'no repository' }).bootstrap).toMatchObject({ run: true });
  });

  it('E1 that could not reach the server blocks the bootstrap with its reason; R5 is then blocked, not skipped', () => {
    const plan = planRun({ ...REBUILD, stoppedBy: 'E1 could not reach the server', skipValidation: true });
    expect(plan.bootstrap).toEqual({ run: false, reason: 'E1 could not reach the server' });
    expect(plan.skipValidation).toBe(false);
  });

  it('a run without E2 and E3 plans no bootstrap; a skipped R5 only when R5 was asked for', () => {
    expect(planRun({ ...REBUILD, gates: ['E1', 'VERIFY'] }).bootstrap).toBeNull();
    expect(planRun({ ...REBUILD, skipValidation: true }).skipValidation).toBe(true);
    expect(planRun({ ...REBUILD, gates: ['E1', 'R4'], skipValidation: true }).skipValidation).toBe(false);
  });
});

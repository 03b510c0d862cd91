import { describe, expect, it } from 'vitest';
import * as engine from '../../../electron/engine/bundle/compare-bundles';
import { AREA_TITLES, compareBundles, differencesTable } from '../../../shared/bundle/compare-bundles';
import { sampleBundle } from '../renderer/sample-bundle';

/** The comparison lives in shared/ for the app; the CLI keeps importing it through the engine path. */
describe('shared compareBundles', () => {
  it('is the very function the engine path exports', () => {
    expect(engine.compareBundles).toBe(compareBundles);
    expect(engine.differencesTable).toBe(differencesTable);
    expect(engine.AREA_TITLES).toBe(AREA_TITLES);
  });

  it('compares two bundles without Node (roles and alembic_version here)', () => {
    const a = sampleBundle();
    const b = sampleBundle((x) => {
      x.environment.roles = [{ name: 'app_rw', login: true, superuser: false, memberOf: [] }];
      x.environment.alembicVersion = ['b'];
    });
    expect(compareBundles(a, b)).toEqual([
      { area: 'roles', item: 'app_rw', a: null, b: 'login' },
      { area: 'alembic-version', item: 'rows', a: 'a', b: 'b' },
    ]);
  });
});

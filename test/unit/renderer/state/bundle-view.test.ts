import { describe, expect, it } from 'vitest';
import { bundleFromText } from '../../../../shared/bundle/bundle';
import { bundleGraphView, bundleLogs, bundleOrigin, bundleViewing } from '../../../../renderer/state/bundle-view';
import { sampleBundle } from '../sample-bundle';

describe('bundleViewing', () => {
  it('shows the last run\u2019s gates, the diagnosis\u2019s findings, and the bundle\u2019s parity', () => {
    const bundle = sampleBundle();
    const viewing = bundleViewing(bundle, 'broken.json');
    expect(viewing.name).toBe('broken.json');
    expect(viewing.report.command).toBe('rebuild');
    expect(viewing.gates.R4).toMatchObject({ status: 'failed', inRun: true, stepIndex: 1, totalSteps: 1 });
    expect(viewing.gates.E2).toMatchObject({ status: 'pending', inRun: false });
    expect(viewing.findings.map((f) => f.id)).toEqual(['ROLES-MISSING']);
    // R5 that ran (failed) is what the Test results view shows.
    expect(viewing.lastValidation?.status).toBe('failed');
    expect(viewing.parity).toEqual({ ci: bundle.ci, rows: bundle.parity });
  });

  it('falls back to the bundle\u2019s own diagnosis when the app had made no run', () => {
    const viewing = bundleViewing(
      sampleBundle((b) => (b.lastRun = null)),
      'fresh.json',
    );
    expect(viewing.report.command).toBe('report');
    expect(viewing.gates.E1.status).toBe('passed');
    expect(viewing.gates.R4.inRun).toBe(false);
    expect(viewing.lastValidation).toBeNull();
  });

  it('survives the JSON round trip a saved file makes', () => {
    const text = JSON.stringify(sampleBundle());
    const parsed = bundleFromText(text, 'saved.json');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(bundleViewing(parsed.value, 'saved.json').graph?.graph.heads).toEqual(['b']);
  });
});

describe('bundleLogs', () => {
  it('turns R4\u2019s Alembic tail and R5\u2019s output tails into log lines', () => {
    const logs = bundleLogs(sampleBundle().lastRun ?? sampleBundle().report);
    expect(logs.R4?.map((l) => l.text)).toEqual(['Running upgrade a -> b', 'psycopg2.errors.UndefinedObject: role "app_rw" does not exist']);
    expect(logs.R5?.map((l) => l.text)).toEqual(['── tests/test_x.py (output tail)', 'E   ImportError: no module named x', '1 error']);
    expect(logs.R5?.[0].stream).toBe('info');
    expect(logs.E1).toBeUndefined();
  });

  it('ignores details that are not lists of strings', () => {
    const report = {
      ...sampleBundle().report,
      gates: [{ id: 'R4' as const, status: 'failed' as const, durationMs: 1, steps: [], details: { log: 'not a list' } }],
    };
    expect(bundleLogs(report)).toEqual({});
  });
});

describe('bundleGraphView', () => {
  it('rebuilds the graph with buildGraph and keeps the bundle\u2019s overlay, plan and errors', () => {
    const view = bundleGraphView(sampleBundle());
    expect(view).not.toBeNull();
    if (!view) return;
    expect(view.graph.order).toEqual(['base', 'a', 'b']);
    expect(view.graph.children.a).toEqual(['b']);
    expect(view.graph.inheritedLabels.b).toEqual(['core']);
    expect(view.graph.errors).toEqual([{ kind: 'parse', message: 'alembic/versions/broken.py could not be read', file: 'alembic/versions/broken.py' }]);
    expect(view.overlay?.states.a).toBe('current');
    expect(view.plan).toMatchObject({ target: 'core@head', source: 'profile', steps: [{ target: 'b', revisions: ['b'] }], revisions: ['b'], differs: false });
    expect(view.hazards).toEqual([]);
    expect(view.repoDir).toBe('');
  });

  it('says so when the bundle has a graph but no plan, and is null without a graph', () => {
    expect(bundleGraphView(sampleBundle((b) => (b.plan = null)))?.plan.error?.message).toBe('The bundle holds no migration plan.');
    expect(bundleGraphView(sampleBundle((b) => (b.graph = null)))).toBeNull();
  });
});

describe('bundleOrigin', () => {
  it('names the server and the time the bundle was made', () => {
    expect(bundleOrigin(sampleBundle())).toMatch(/^10\.0\.0\.7:5432 · .*\d/);
    expect(bundleOrigin(sampleBundle((b) => (b.createdAt = 'yesterday')))).toBe('10.0.0.7:5432 · yesterday');
  });
});

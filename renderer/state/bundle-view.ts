import type { DiagnosticBundle } from '../../shared/bundle/bundle';
import { appError } from '../../shared/errors/app-error';
import { buildGraph } from '../../shared/graph/build-graph';
import type { GraphView } from '../../shared/graph/graph-view';
import type { RevisionInfo } from '../../shared/graph/model';
import type { PlanView } from '../../shared/graph/plan-view';
import type { GateId } from '../../shared/report/gates';
import type { RunReport } from '../../shared/report/report';
import { applyReport, initialRunState, type LogLine } from './run-state';
import type { BundleViewing } from './types';

/**
 * A diagnostic bundle turned into what the live views read (gates, logs, findings,
 * graph, parity), so every view can show someone else's machine with the same code it
 * uses for this one. Pure, so it is unit-tested with a literal bundle.
 */
export function bundleViewing(bundle: DiagnosticBundle, name: string): BundleViewing {
  // The gates of the last run the app made before saving (a rebuild tells more than
  // the bundle's own read-only diagnosis); the findings are the diagnosis's, made last.
  const report = bundle.lastRun ?? bundle.report;
  const run = applyReport(initialRunState(), report);
  return {
    name,
    bundle,
    gates: run.gates,
    logs: { ...run.logs, ...bundleLogs(report) },
    report,
    findings: bundle.report.findings,
    lastValidation: run.lastValidation,
    lastValidationRun: run.lastValidationRun,
    graph: bundleGraphView(bundle),
    parity: { ci: bundle.ci, rows: bundle.parity },
  };
}

/** The log tails a report keeps: R4's Alembic output, R5's pytest output for suites without JUnit. */
export function bundleLogs(report: RunReport): Partial<Record<GateId, LogLine[]>> {
  const out: Partial<Record<GateId, LogLine[]>> = {};
  let seq = 0;
  const lines = (texts: string[], stream: LogLine['stream'] = 'stdout'): LogLine[] => texts.map((text) => ({ seq: ++seq, stream, text }));
  const r4 = report.gates.find((g) => g.id === 'R4');
  const r4Log = stringsOf(r4?.details?.log);
  if (r4Log.length) out.R4 = lines(r4Log);
  const r5 = report.gates.find((g) => g.id === 'R5');
  const suites = Array.isArray(r5?.details?.suites) ? (r5?.details?.suites as unknown[]) : [];
  const r5Lines: LogLine[] = [];
  for (const suite of suites) {
    if (typeof suite !== 'object' || suite === null) continue;
    const { suite: suiteName, outputTail } = suite as { suite?: unknown; outputTail?: unknown };
    const tail = stringsOf(outputTail);
    if (tail.length === 0) continue;
    r5Lines.push(...lines([`── ${typeof suiteName === 'string' ? suiteName : 'suite'} (output tail)`], 'info'), ...lines(tail));
  }
  if (r5Lines.length) out.R5 = r5Lines;
  return out;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The graph view of a bundle. A bundle keeps each revision's ids, parents, labels and
 * message (not the table scan), so the graph is rebuilt with the same buildGraph the
 * engine uses; its errors are the bundle's own, found with the files in hand.
 */
export function bundleGraphView(bundle: DiagnosticBundle): GraphView | null {
  if (!bundle.graph) return null;
  const infos: RevisionInfo[] = bundle.graph.revisions.map((r) => ({
    id: r.id,
    downRevisions: [...r.downRevisions],
    dependsOn: [...r.dependsOn],
    branchLabels: [...r.branchLabels],
    message: r.message,
    createDate: null,
    file: r.file,
    creates: [],
    references: [],
  }));
  const graph = { ...buildGraph(infos), errors: bundle.graph.errors.map((e) => ({ ...e })) };
  const steps = (bundle.plan?.steps ?? []).map((s) => ({ target: s.target, revisions: [...s.revisions] }));
  const plan: PlanView = bundle.plan
    ? { target: bundle.plan.target, source: bundle.plan.source, steps, graphSteps: steps, differs: false, revisions: steps.flatMap((s) => s.revisions) }
    : {
        target: '—',
        source: 'graph',
        steps: [],
        graphSteps: [],
        differs: false,
        revisions: [],
        error: appError('usage', 'The bundle holds no migration plan.', { detail: bundle.notes.join('\n') || undefined }),
      };
  return { repoDir: '', iniPath: '', graph, overlay: bundle.overlay, plan, hazards: [] };
}

/** Where a bundle came from, for the banner: "127.0.0.1:5432 · 15.12.2025, 14:00:00". */
export function bundleOrigin(bundle: DiagnosticBundle): string {
  const when = new Date(bundle.createdAt);
  const time = Number.isNaN(when.getTime()) ? bundle.createdAt : when.toLocaleString();
  return `${bundle.server.host}:${bundle.server.port} · ${time}`;
}

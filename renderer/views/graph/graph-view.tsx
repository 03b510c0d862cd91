import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useMemo, useState } from 'react';
import type { GraphView as GraphViewModel } from '../../../shared/graph/graph-view';
import { EmptyState, ErrorBox, Loading } from '../../components/feedback';
import { shownGate, shownGraph, shownReport } from '../../state/shown';
import { useApp } from '../../state/store-context';
import { downloadBlob } from '../../components/download';
import { svgBlob, svgToPng } from './export-image';
import { failedRevision } from './failed-revision';
import { GraphCanvas } from './graph-canvas';
import { graphSvg } from './graph-svg';
import { GraphToolbar } from './graph-toolbar';
import { layoutGraph } from './layout-graph';
import { nodeState } from './node-states';
import { PlanPanel } from './plan-panel';
import { ProblemsPanel } from './problems-panel';
import { RevisionPanel } from './revision-panel';
import { searchRevisions } from './search-revisions';

/** The Alembic graph with the database's state over it, the plan, and the problems. */
export function GraphScreen() {
  const view = useApp(shownGraph);
  const load = useApp((s) => s.graphLoad);
  const viewing = useApp((s) => s.viewing !== null);
  const repoDir = useApp((s) => s.settings?.repoDir ?? '');
  const count = useApp((s) => {
    const shown = shownGraph(s);
    return shown ? Object.keys(shown.graph.revisions).length : 0;
  });
  const loadGraph = useApp((s) => s.loadGraph);
  const setView = useApp((s) => s.setView);

  let body;
  if (viewing && !view) {
    body = <EmptyState title="The diagnosis holds no migration graph">It was saved without a backend repository, so there were no revision files to read.</EmptyState>;
  } else if (!view && !repoDir) {
    body = (
      <EmptyState
        title="No repository folder set"
        action={
          <button type="button" className="primary" onClick={() => setView('setup')}>
            Open Setup
          </button>
        }
      >
        The graph is read from the Alembic revision files of the backend repository.
      </EmptyState>
    );
  } else if (!view && load.status === 'error' && load.error) {
    body = (
      <div className="view-pad">
        <ErrorBox error={load.error} title="The migration graph could not be read" />
        <button type="button" onClick={() => void loadGraph()}>
          Try again
        </button>
      </div>
    );
  } else if (!view) {
    body = <Loading label="Reading the migration files…" />;
  } else {
    body = (
      <ReactFlowProvider>
        <GraphWorkspace view={view} />
      </ReactFlowProvider>
    );
  }
  return (
    <div className="view graph-view">
      <div className="view-head">
        <h1>Migration graph</h1>
        <p className="muted">
          {count ? `${count} revisions. ` : ''}Bases at the top, heads at the bottom; solid arrows are down_revision, dashed ones depends_on.
        </p>
      </div>
      {body}
    </div>
  );
}

type Tab = 'plan' | 'revision' | 'problems';

function GraphWorkspace({ view }: { view: GraphViewModel }) {
  const selected = useApp((s) => s.selectedRevision);
  const select = useApp((s) => s.selectRevision);
  const loadGraph = useApp((s) => s.loadGraph);
  const reloading = useApp((s) => s.graphLoad.status === 'loading');
  const viewing = useApp((s) => s.viewing !== null);
  const previewing = useApp((s) => s.sqlPreview !== null);
  const failed = useApp((s) => failedRevision(shownGate('R4')(s).report ?? shownReport(s)?.gates.find((g) => g.id === 'R4')));
  const [tab, setTab] = useState<Tab>('plan');
  const [query, setQuery] = useState('');
  const [matchIndex, setMatchIndex] = useState(0);
  const [focus, setFocus] = useState<{ id: string; seq: number } | null>(null);

  const layout = useMemo(() => layoutGraph(view.graph), [view.graph]);
  const ghostSet = useMemo(() => new Set(layout.ghosts), [layout]);
  const matches = useMemo(() => searchRevisions(view.graph, query), [view.graph, query]);
  const matchSet = useMemo(() => new Set(matches), [matches]);
  const problems = view.graph.errors.length + view.graph.warnings.length;

  const choose = useCallback(
    (id: string | null) => {
      select(id);
      if (id) setTab('revision');
    },
    [select],
  );

  const goTo = (index: number, list: string[]) => {
    const id = list[index];
    if (!id) return;
    setMatchIndex(index);
    choose(id);
    setFocus((f) => ({ id, seq: (f?.seq ?? 0) + 1 }));
  };

  const onQuery = (q: string) => {
    setQuery(q);
    goTo(0, searchRevisions(view.graph, q));
  };

  const onExport = async (format: 'svg' | 'png') => {
    const svg = graphSvg(view, layout, (id) => nodeState(view, id, failed, ghostSet.has(id)));
    const name = `migration-graph-${new Date().toISOString().slice(0, 10)}`;
    if (format === 'svg') downloadBlob(svgBlob(svg), `${name}.svg`);
    else downloadBlob(await svgToPng(svg, layout.width, layout.height), `${name}.png`);
  };

  return (
    <div className="graph-workspace">
      <GraphToolbar
        view={view}
        query={query}
        onQuery={onQuery}
        matchCount={matches.length}
        matchIndex={matchIndex}
        onNext={(step) => goTo((matchIndex + step + matches.length) % Math.max(1, matches.length), matches)}
        onExport={onExport}
        onReload={viewing ? null : () => void loadGraph()}
        reloading={reloading}
      />
      <div className="graph-main">
        <div className="graph-canvas" data-testid="graph-canvas">
          <GraphCanvas view={view} layout={layout} failed={failed} selected={selected} matches={matchSet} focus={focus} onSelect={choose} />
        </div>
        <aside className={`graph-side${previewing ? ' wide' : ''}`} aria-label="Graph details">
          <div className="tabs" role="tablist">
            {(['plan', 'revision', 'problems'] as const).map((t) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} className={`tab${tab === t ? ' active' : ''}`} onClick={() => setTab(t)}>
                {t === 'plan' ? 'Plan' : t === 'revision' ? 'Revision' : `Problems${problems ? ` (${problems})` : ''}`}
              </button>
            ))}
          </div>
          <div className="tab-panel" role="tabpanel">
            {tab === 'plan' ? <PlanPanel view={view} /> : null}
            {tab === 'revision' ? (
              selected ? (
                <RevisionPanel view={view} id={selected} state={nodeState(view, selected, failed, ghostSet.has(selected))} />
              ) : (
                <div className="panel-body muted">Click a revision (or find one) to see its file, parents, children, branch labels and hazards.</div>
              )
            ) : null}
            {tab === 'problems' ? <ProblemsPanel view={view} onSelect={choose} /> : null}
          </div>
        </aside>
      </div>
    </div>
  );
}

import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { GraphView as GraphViewModel } from '../../../shared/graph/graph-view';
import type { MigrationGraph } from '../../../shared/graph/model';
import { EmptyState, ErrorBox, Loading } from '../../components/feedback';
import { shownGate, shownGraph, shownReport } from '../../state/shown';
import { useApp } from '../../state/store-context';
import { downloadBlob } from '../../components/download';
import { svgBlob, svgToPng } from './export-image';
import { failedRevision } from './failed-revision';
import { GraphCanvas } from './graph-canvas';
import { graphSvg } from './graph-svg';
import { GraphToolbar } from './graph-toolbar';
import { graphPins } from './graph-pins';
import './graph.css';
import { HeadsList } from './heads-list';
import { cachedLayout, layoutMode, requestLayout } from './layout-client';
import type { GraphLayout } from './layout-protocol';
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
    body = (
      <EmptyState title="The diagnosis holds no migration graph">
        It was saved without a backend repository, so there were no revision files to read.
      </EmptyState>
    );
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
        <p className="muted">{count ? `${count} revisions. ` : ''}One lane per branch, heads at the bottom; click a folded run to expand it.</p>
      </div>
      {body}
    </div>
  );
}

type Tab = 'plan' | 'revision' | 'problems';
const graphKeys = new WeakMap<object, number>();
let lastGraphKey = 0;
/**
 * A new canvas, with its own React Flow store (so its viewport is fitted afresh once ready),
 * for every graph object: first open, another repository, or a reload.
 */
function graphKey(graph: object): number {
  const known = graphKeys.get(graph);
  if (known !== undefined) return known;
  lastGraphKey += 1;
  graphKeys.set(graph, lastGraphKey);
  return lastGraphKey;
}
/** With more heads than this, they are listed beside the canvas (one click each) instead of all fitted. */
const HEADS_LIST_MIN = 5;
const NO_RUNS: string[] = [];

function GraphWorkspace({ view }: { view: GraphViewModel }) {
  const selected = useApp((s) => s.selectedRevision);
  const select = useApp((s) => s.selectRevision);
  const loadGraph = useApp((s) => s.loadGraph);
  const reloading = useApp((s) => s.graphLoad.status === 'loading');
  const viewing = useApp((s) => s.viewing !== null);
  const previewing = useApp((s) => s.sqlPreview !== null);
  const expanded = useApp((s) => s.graphExpanded);
  const setRunExpanded = useApp((s) => s.setRunExpanded);
  const showDepends = useApp((s) => s.graphShowDepends);
  const showMinimap = useApp((s) => s.graphMinimap);
  const setOption = useApp((s) => s.setGraphOption);
  const failed = useApp((s) => failedRevision(shownGate('R4')(s).report ?? shownReport(s)?.gates.find((g) => g.id === 'R4')));
  const [tab, setTab] = useState<Tab>('plan');
  const [query, setQuery] = useState('');
  const [matchIndex, setMatchIndex] = useState(0);
  const [focus, setFocus] = useState<{ id: string; seq: number } | null>(null);
  const search = useRef<HTMLInputElement>(null);

  const pins = useMemo(() => graphPins(view, failed), [view, failed]);
  const runs = expanded.length > 0 ? expanded : NO_RUNS;
  const [result, setResult] = useState<{ graph: MigrationGraph; layout: GraphLayout } | null>(() => {
    const known = cachedLayout(view.graph, pins.pinned, runs);
    return known ? { graph: view.graph, layout: known } : null;
  });
  const [layoutError, setLayoutError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    const graph = view.graph;
    const known = cachedLayout(graph, pins.pinned, runs);
    if (known) setResult({ graph, layout: known });
    else
      requestLayout(graph, pins.pinned, runs).then(
        (computed) => {
          if (current) setResult({ graph, layout: computed });
        },
        (error: unknown) => {
          if (current) setLayoutError(error instanceof Error ? error.message : String(error));
        },
      );
    return () => {
      current = false;
    };
  }, [view.graph, pins, runs]);
  // Only a layout of this very graph object is drawn: a reloaded graph has the same ids, but the
  // previous layout (its runs expanded, its current rows pinned) would fit the new canvas wrongly.
  const shown = result && result.graph === view.graph ? result.layout : null;

  // The box shows each key at once; the canvas's highlighting follows in a background render that the next key interrupts.
  const searched = useDeferredValue(query);
  const matches = useMemo(() => searchRevisions(view.graph, searched), [view.graph, searched]);
  const matchSet = useMemo(() => new Set(matches), [matches]);
  const problems = view.graph.errors.length + view.graph.warnings.length;
  const headsListed = view.graph.heads.length >= HEADS_LIST_MIN;

  const choose = useCallback(
    (id: string | null, open: boolean) => {
      select(id);
      if (id && open) setTab('revision');
    },
    [select],
  );
  // The canvas keeps the opened run in view: its first revision is centred.
  const expand = useCallback(
    (run: string) => {
      setRunExpanded(run, true);
      const first = run.replace(/^run:/, '');
      setFocus((f) => ({ id: first, seq: (f?.seq ?? 0) + 1 }));
    },
    [setRunExpanded],
  );
  const fold = useCallback((run: string) => setRunExpanded(run, false), [setRunExpanded]);

  // A revision found by search or picked from the heads list is shown on its own: its run opens.
  const reveal = (id: string) => {
    const segment = shown?.folded.nodes.find((n) => n.kind === 'segment' && n.revisions.includes(id));
    if (segment?.run) setRunExpanded(segment.run, true);
    choose(id, true);
    setFocus((f) => ({ id, seq: (f?.seq ?? 0) + 1 }));
  };

  const goTo = (index: number, list: string[]) => {
    const id = list[index];
    if (!id) return;
    setMatchIndex(index);
    reveal(id);
  };

  const onQuery = (q: string) => {
    setQuery(q);
    setMatchIndex(0);
  };
  // Matches light up at once; the first one is revealed (its run opened, the canvas moved)
  // once typing pauses, so a burst of keys costs one layout, not one per key. A reloaded
  // graph keeps the query but is fitted afresh: only a new query moves the canvas.
  const revealRef = useRef(reveal);
  revealRef.current = reveal;
  const revealedFor = useRef(searched);
  useEffect(() => {
    const first = matches[0];
    if (!first) revealedFor.current = searched;
    if (!first || revealedFor.current === searched) return;
    const timer = setTimeout(() => {
      revealedFor.current = searched;
      revealRef.current(first);
    }, 250);
    return () => clearTimeout(timer);
  }, [matches, searched]);

  // "/" anywhere in the view (outside a text field) jumps to the search box.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.closest('input, textarea, select') || target.isContentEditable)) return;
      event.preventDefault();
      search.current?.focus();
      search.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // The picture is what the canvas shows: the same lanes, folded runs and positions.
  const onExport = async (format: 'svg' | 'png') => {
    if (!shown) throw new Error('The graph is still being laid out: try again in a moment.');
    const svg = graphSvg(view, shown, { pins, failed, showDepends });
    const name = `migration-graph-${new Date().toISOString().slice(0, 10)}`;
    if (format === 'svg') downloadBlob(svgBlob(svg), `${name}.svg`);
    else downloadBlob(await svgToPng(svg, shown.layout.width, shown.layout.height), `${name}.png`);
  };

  const ghost = selected ? !view.graph.revisions[selected] : false;
  // The toolbar and side panel paint first; the canvas (React Flow, its nodes and their
  // measuring) mounts in a background render right after, so opening the view is two short tasks, not one long one.
  const canvasMounted = useDeferredValue(true, false);
  const drawn = canvasMounted ? shown : null;
  return (
    <div className="graph-workspace">
      <GraphToolbar
        view={view}
        query={query}
        onQuery={onQuery}
        searchRef={search}
        matchCount={matches.length}
        matchIndex={matchIndex}
        onNext={(step) => goTo((matchIndex + step + matches.length) % Math.max(1, matches.length), matches)}
        onExport={onExport}
        onReload={viewing ? null : () => void loadGraph()}
        reloading={reloading}
        showDepends={showDepends}
        onShowDepends={(on) => setOption('graphShowDepends', on)}
        showMinimap={showMinimap}
        onShowMinimap={(on) => setOption('graphMinimap', on)}
        expandedRuns={expanded.length}
        onFoldAll={() => {
          for (const run of expanded) setRunExpanded(run, false);
        }}
      />
      <div className="graph-main">
        {headsListed ? <HeadsList view={view} pins={pins} selected={selected} onPick={reveal} /> : null}
        <div className="graph-canvas" data-testid="graph-canvas" data-ready={drawn ? 'true' : 'false'} data-layout={drawn ? layoutMode() : undefined}>
          {drawn ? (
            <ReactFlowProvider key={graphKey(view.graph)}>
              <GraphCanvas
                view={view}
                result={drawn}
                pins={pins}
                failed={failed}
                selected={selected}
                matches={matchSet}
                focus={focus}
                showDepends={showDepends}
                showMinimap={showMinimap}
                headsListed={headsListed}
                onSelect={choose}
                onExpand={expand}
                onFold={fold}
              />
            </ReactFlowProvider>
          ) : layoutError ? (
            <div className="view-pad tone-bad">The graph could not be laid out: {layoutError}</div>
          ) : (
            <Loading label="Laying out the graph…" />
          )}
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
                <RevisionPanel view={view} id={selected} state={nodeState(view, selected, failed, ghost)} />
              ) : (
                <div className="panel-body muted">Click a revision (or find one) to see its file, parents, children, branch labels and hazards.</div>
              )
            ) : null}
            {tab === 'problems' ? <ProblemsPanel view={view} onSelect={(id) => reveal(id)} /> : null}
          </div>
        </aside>
      </div>
    </div>
  );
}

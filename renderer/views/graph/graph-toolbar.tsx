import { useState, type RefObject } from 'react';
import type { GraphView } from '../../../shared/graph/graph-view';
import { plural } from '../../components/format';

/** Search, the heads count, the legend and the export buttons above the canvas. */
export interface GraphToolbarProps {
  view: GraphView;
  query: string;
  onQuery: (query: string) => void;
  matchCount: number;
  matchIndex: number;
  onNext: (step: 1 | -1) => void;
  onExport: (format: 'svg' | 'png') => Promise<void>;
  /** Null while a diagnosis file is viewed: there is nothing live to reload. */
  onReload: (() => void) | null;
  reloading: boolean;
  /** The search box, so "/" can focus it. */
  searchRef: RefObject<HTMLInputElement | null>;
  showDepends: boolean;
  onShowDepends: (on: boolean) => void;
  showMinimap: boolean;
  onShowMinimap: (on: boolean) => void;
  /** How many folded runs are expanded, for "Fold all". */
  expandedRuns: number;
  onFoldAll: () => void;
}

export function GraphToolbar(props: GraphToolbarProps) {
  const { view, query, onQuery, matchCount, matchIndex, onNext, onExport, onReload, reloading, searchRef } = props;
  const [exporting, setExporting] = useState<'svg' | 'png' | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const heads = view.graph.heads.length;
  const run = (format: 'svg' | 'png') => {
    setExporting(format);
    setExportError(null);
    onExport(format)
      .catch((error: unknown) => setExportError(error instanceof Error ? error.message : String(error)))
      .finally(() => setExporting(null));
  };
  return (
    <div className="graph-toolbar">
      <form
        className="graph-search"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          onNext(1);
        }}
      >
        <label htmlFor="graph-search" className="sr-only">
          Find a revision by id or message
        </label>
        <input
          id="graph-search"
          ref={searchRef}
          type="search"
          placeholder="Find revision… ( / )"
          aria-keyshortcuts="/"
          value={query}
          onChange={(e) => onQuery(e.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
        {query ? (
          <>
            <span className="muted match-count" aria-live="polite">
              {matchCount === 0 ? 'no match' : `${matchIndex + 1} of ${matchCount}`}
            </span>
            <button type="button" className="ghost small" onClick={() => onNext(-1)} disabled={matchCount < 2} aria-label="Previous match">
              ↑
            </button>
            <button type="button" className="ghost small" onClick={() => onNext(1)} disabled={matchCount < 2} aria-label="Next match">
              ↓
            </button>
          </>
        ) : null}
      </form>
      <span className={`chip ${heads > 1 ? 'warn' : 'muted'}`} data-testid="heads-count" title={view.graph.heads.join(', ')}>
        {plural(heads, 'head')}
      </span>
      <Legend />
      <label className="toggle small-text" title="Draw the depends_on edges (dashed); hide them when they tangle the picture">
        <input type="checkbox" checked={props.showDepends} onChange={(e) => props.onShowDepends(e.target.checked)} /> depends_on
      </label>
      <label className="toggle small-text" title="Show the overview map in a corner of the canvas">
        <input type="checkbox" checked={props.showMinimap} onChange={(e) => props.onShowMinimap(e.target.checked)} /> minimap
      </label>
      {props.expandedRuns > 0 ? (
        <button type="button" className="small" onClick={props.onFoldAll} title="Fold every expanded run back into one segment">
          Fold all ({props.expandedRuns})
        </button>
      ) : null}
      <span className="toolbar-spacer" />
      {exportError ? <span className="tone-bad small-text">{exportError}</span> : null}
      {onReload ? (
        <button
          type="button"
          className="small"
          onClick={onReload}
          disabled={reloading}
          aria-label="Reload the graph"
          title="Read the revision files and the database state again"
        >
          {reloading ? '…' : '↻'}
        </button>
      ) : null}
      <span className="export-group" role="group" aria-label="Export the picture">
        <span className="muted small-text">Export</span>
        <button type="button" className="small" onClick={() => run('svg')} disabled={exporting !== null} aria-label="Export SVG">
          SVG
        </button>
        <button type="button" className="small" onClick={() => run('png')} disabled={exporting !== null} aria-label="Export PNG">
          {exporting === 'png' ? '…' : 'PNG'}
        </button>
      </span>
    </div>
  );
}

export function Legend() {
  return (
    <span className="legend" aria-label="Legend">
      <span className="legend-item">
        <span className="swatch state-applied" /> applied
      </span>
      <span className="legend-item">
        <span className="swatch state-current" /> current
      </span>
      <span className="legend-item">
        <span className="swatch state-pending" /> pending
      </span>
      <span className="legend-item">
        <span className="swatch state-failed" /> failed
      </span>
      <span className="legend-item">
        <span className="legend-dash" /> depends_on
      </span>
      <span className="legend-item">
        <span className="legend-hazard" /> missing table
      </span>
    </span>
  );
}

import type { ViewId } from '../../state/types';

/** Line icons for the navigation, drawn inline (the CSP allows no icon font). */
const PATHS: Record<ViewId, string> = {
  setup:
    'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zm8.5 4-2.1-.7-.5-1.3 1-2-1.4-1.4-2 1-1.3-.5L13.5 3.5h-3l-.7 2.1-1.3.5-2-1L5.1 6.5l1 2-.5 1.3-2.1.7v3l2.1.7.5 1.3-1 2 1.4 1.4 2-1 1.3.5.7 2.1h3l.7-2.1 1.3-.5 2 1 1.4-1.4-1-2 .5-1.3 2.1-.7z',
  gates: 'M4 12h3m4 0h2m4 0h3M7 9h4v6H7zM13 9h4v6h-4z',
  graph: 'M6 4v6m0 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm0 4v6m12-16v4a4 4 0 0 1-4 4H8m10-8a2 2 0 1 0 0 .01',
  findings: 'M5 21V4h11l-2 4 2 4H5',
  parity: 'M4 8h13l-3-3m6 11H7l3 3',
  results: 'M9 3h6M10 3v6l-5 9a2 2 0 0 0 1.7 3h10.6a2 2 0 0 0 1.7-3l-5-9V3',
  snapshots: 'M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zm0 0v6c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12v6c0 1.7 3.6 3 8 3s8-1.3 8-3v-6',
  compare: 'M4 4h6v16H4zM14 4h6v16h-6M7 8v0m0 4v0m10-4v0m0 4v0',
};

export function NavIcon({ view }: { view: ViewId }) {
  return (
    <svg className="nav-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path d={PATHS[view]} fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

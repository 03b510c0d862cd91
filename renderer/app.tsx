import { ErrorBox } from './components/feedback';
import { Header } from './components/shell/header';
import { Nav } from './components/shell/nav';
import { useApp } from './state/store-context';
import type { ViewId } from './state/types';
import { FindingsView } from './views/findings/findings-view';
import { GatesView } from './views/gates/gates-view';
import { RebuildDialog } from './views/gates/rebuild-dialog';
import { GraphScreen } from './views/graph/graph-view';
import { ParityView } from './views/parity/parity-view';
import { CompareView } from './views/compare/compare-view';
import { SaveDiagnosisDialog } from './views/diagnosis/save-diagnosis-dialog';
import { ViewingBanner } from './views/diagnosis/viewing-banner';
import { ResultsView } from './views/results/results-view';
import { SetupView } from './views/setup/setup-view';
import { SnapshotsView } from './views/snapshots/snapshots-view';

const VIEWS: Record<ViewId, () => React.JSX.Element> = {
  setup: SetupView,
  gates: GatesView,
  graph: GraphScreen,
  findings: FindingsView,
  parity: ParityView,
  results: ResultsView,
  snapshots: SnapshotsView,
  compare: CompareView,
};

/** The shell: navigation on the left, header with the actions on top, the chosen view below. */
export function App() {
  const view = useApp((s) => s.view);
  const jobError = useApp((s) => s.jobError);
  const dismiss = useApp((s) => s.dismissJobError);
  const Current = VIEWS[view];
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Nav />
      <div className="main-column">
        <Header />
        <ViewingBanner />
        {jobError ? (
          <div className="banner">
            <ErrorBox error={jobError} onDismiss={dismiss} />
          </div>
        ) : null}
        <main className="main" id="main" tabIndex={0}>
          <Current />
        </main>
      </div>
      <RebuildDialog />
      <SaveDiagnosisDialog />
    </div>
  );
}

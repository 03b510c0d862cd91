import type { RunProvenance } from '../../../shared/report/report';
import { commandLabel } from '../../components/command-label';
import { formatDateTime } from '../../components/format';
import { belonging, notThisTitle, provenanceParts, serverLabel, type Belonging } from '../../state/provenance';
import { shownRepoDir } from '../../state/shown';
import { useApp } from '../../state/store-context';

/**
 * Whether the run `provenance` describes belongs to the repository on screen (Setup's, or
 * the bundle's) and to the server Setup connects to. An opened diagnosis is another
 * machine's: its runs are compared with its own repository only.
 */
export function useBelonging(provenance: RunProvenance | null | undefined): Belonging {
  const repoDir = useApp(shownRepoDir);
  const server = useApp((s) => (s.viewing ? null : (s.serverStatus?.info ?? null)));
  return belonging(provenance, repoDir, server);
}

/**
 * One line above Test results, Parity and Findings: the repository (commit, branch) and
 * run the content comes from, or "not run for this repository" once Setup names another,
 * or "not run against this server" once Setup's server is another cluster.
 */
export function ProvenanceLine({ what, provenance }: { what: string; provenance: RunProvenance | null | undefined }) {
  const belongs = useBelonging(provenance);
  if (belongs.kind === 'unknown') return null;
  const parts = provenanceParts(belongs.provenance, formatDateTime, commandLabel);
  // A run with no repository set names none: not a folder called "no repository" that is not a checkout.
  const source =
    parts.repoDir === null ? (
      <>
        a run with no repository set{' · '}
        {parts.run}
      </>
    ) : (
      <>
        <span className="mono" title={parts.repoDir}>
          {parts.repository}
        </span>
        {parts.commit ? null : <span className="muted"> (not a git checkout)</span>}
        {' · '}
        {parts.run}
      </>
    );
  return belongs.kind === 'this' ? (
    <p className="provenance muted small-text" data-testid="provenance" data-belongs="this">
      {what} from {source}
    </p>
  ) : (
    <p className="provenance provenance-other small-text" data-testid="provenance" data-belongs="other" data-why={belongs.why} role="status">
      <strong>{notThisTitle(belongs.why)}.</strong> The last {what.toLowerCase()} are from {source}
      {belongs.why === 'server' && belongs.provenance.server ? (
        <>, against {serverLabel(belongs.provenance.server)}: another PostgreSQL cluster than the one Setup connects to now</>
      ) : null}
      .
    </p>
  );
}

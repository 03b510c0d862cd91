import { useMemo } from 'react';
import type { DiagnosticBundle } from '../../../shared/bundle/bundle';
import { compareBundles } from '../../../shared/bundle/compare-bundles';
import { EmptyState, ErrorBox, Spinner } from '../../components/feedback';
import { BUNDLE_ACCEPT, FilePickButton } from '../../components/file-pick-button';
import { commandLabel } from '../../components/command-label';
import { formatDateTime, formatTime, plural } from '../../components/format';
import { actionsLocked, shownFindings, shownReport } from '../../state/shown';
import { useApp } from '../../state/store-context';
import type { CompareSide, CompareSideId } from '../../state/types';
import { comparedAreas } from '../../../shared/bundle/compare-bundles';
import { compareSideLabel, compareSideTimeTerm, liveFindingsNote } from './compare-side-label';
import { groupDifferences } from './group-differences';

/**
 * Two machines side by side (issue 8): a developer's broken machine against a
 * colleague's working one, or against CI. Each side is a diagnosis bundle; the list is
 * compareBundles from shared/, the same comparison `skeldir-rebuild compare` prints.
 */
export function CompareView() {
  const a = useApp((s) => s.compare.a);
  const b = useApp((s) => s.compare.b);
  return (
    <div className="view compare-view">
      <div className="view-head">
        <h1>Compare</h1>
        <p className="muted">
          Two diagnosis files — or this machine right now against one — side by side: PostgreSQL version, extensions, roles and memberships, grants, database
          settings, tables, alembic_version and the migration files.
        </p>
      </div>
      <div className="compare-sides">
        <SidePicker id="a" side={a} />
        <SidePicker id="b" side={b} />
      </div>
      {a.bundle && b.bundle ? (
        <Differences a={a.bundle} b={b.bundle} labelA={compareSideLabel(a, formatTime)} labelB={compareSideLabel(b, formatTime)} />
      ) : (
        <EmptyState title="Choose both sides">
          Typically this machine (live) against a colleague’s working machine or CI, each saved with “Save diagnosis…”. The differences are listed area by area:{' '}
          {comparedAreas()}.
        </EmptyState>
      )}
    </div>
  );
}

function SidePicker({ id, side }: { id: CompareSideId; side: CompareSide }) {
  const withFile = useApp((s) => s.compareWithFile);
  const withLive = useApp((s) => s.compareWithLive);
  const withViewing = useApp((s) => s.compareWithViewing);
  const clear = useApp((s) => s.clearCompareSide);
  const viewingName = useApp((s) => s.viewing?.name ?? null);
  const busy = side.status === 'loading';
  const letter = id.toUpperCase();
  return (
    <section className="card compare-side" aria-labelledby={`side-${id}-title`} data-testid={`compare-side-${id}`} data-status={side.status}>
      <div className="card-title-row">
        <h2 id={`side-${id}-title`}>
          <span className="side-letter">{letter}</span> {compareSideLabel(side, formatTime)}
        </h2>
        <span className="toolbar-spacer" />
        {side.status !== 'idle' && !busy ? (
          <button type="button" className="ghost small" onClick={() => clear(id)} aria-label={`Clear side ${letter}`}>
            ✕
          </button>
        ) : null}
      </div>
      {side.bundle ? <BundleFacts bundle={side.bundle} timeTerm={compareSideTimeTerm(side)} /> : null}
      {side.bundle && side.source === 'live' ? <LiveFindingsNote bundle={side.bundle} side={id} /> : null}
      {busy ? <Spinner label={side.source === 'live' ? 'Diagnosing this machine…' : 'Reading the file…'} /> : null}
      {side.status === 'error' && side.error ? <ErrorBox error={side.error} /> : null}
      <div className="button-row wrap">
        <button type="button" onClick={() => void withLive(id)} disabled={busy}>
          This machine (live)
        </button>
        <FilePickButton
          label="Open file…"
          accept={BUNDLE_ACCEPT}
          onFile={(name, text) => void withFile(id, name, text)}
          disabled={busy}
          testId={`compare-file-${id}`}
        />
        {viewingName ? (
          <button type="button" onClick={() => withViewing(id)} disabled={busy} title={viewingName}>
            The open diagnosis
          </button>
        ) : null}
      </div>
    </section>
  );
}

/**
 * Whether the findings of this machine's read are the ones Findings lists. The read is a fresh
 * read-only diagnosis, but only Diagnose replaces Findings' list and the navigation's count, so
 * this note says when the two differ and offers Diagnose, which then opens Findings.
 */
function LiveFindingsNote({ bundle, side }: { bundle: DiagnosticBundle; side: CompareSideId }) {
  const findings = useApp(shownFindings);
  const report = useApp(shownReport);
  const viewingName = useApp((s) => s.viewing?.name ?? null);
  const locked = useApp(actionsLocked);
  const ready = useApp((s) => s.settings !== null);
  const startJob = useApp((s) => s.startJob);
  const setView = useApp((s) => s.setView);
  const note = liveFindingsNote(bundle.report.findings, { findings, report, viewingName }, formatTime, commandLabel);
  const diagnose = () => {
    setView('findings');
    void startJob({ kind: 'diagnose' });
  };
  return (
    <div className={`compare-live-findings${note.differs ? ' differs' : ''}`} data-testid={`compare-live-findings-${side}`} data-differs={note.differs}>
      <p className="small-text">{note.text}</p>
      {note.differs && !viewingName ? (
        <button type="button" className="small" onClick={diagnose} disabled={locked || !ready}>
          Diagnose and open Findings
        </button>
      ) : null}
    </div>
  );
}

function BundleFacts({ bundle, timeTerm }: { bundle: DiagnosticBundle; timeTerm: 'Read' | 'Saved' }) {
  const env = bundle.environment;
  return (
    <dl className="facts compact">
      <dt>{timeTerm}</dt>
      <dd>{formatDateTime(bundle.createdAt)}</dd>
      <dt>Server</dt>
      <dd>
        {bundle.server.host}:{bundle.server.port} · PostgreSQL {env.postgresVersion ?? 'not reachable'}
        {bundle.server.embedded ? ' (bundled)' : ''}
      </dd>
      <dt>Profile</dt>
      <dd>
        {bundle.profile.name} · database <code>{bundle.profile.database}</code>
      </dd>
      <dt>alembic_version</dt>
      <dd className="mono-soft">{env.alembicVersion === null ? 'no table' : env.alembicVersion.join(', ') || 'empty'}</dd>
    </dl>
  );
}

function Differences({ a, b, labelA, labelB }: { a: DiagnosticBundle; b: DiagnosticBundle; labelA: string; labelB: string }) {
  const differences = useMemo(() => compareBundles(a, b), [a, b]);
  const groups = useMemo(() => groupDifferences(differences), [differences]);
  if (differences.length === 0) {
    return (
      <div className="success-box" role="status" data-testid="compare-none">
        ✓ No differences in {comparedAreas()}.
      </div>
    );
  }
  return (
    <section aria-label="Differences" data-testid="compare-differences">
      <h2 className="compare-count">
        {plural(differences.length, 'difference')} in {plural(groups.length, 'area')}
      </h2>
      {groups.map((group) => (
        <table key={group.area} className="data-table compare-table" data-testid={`compare-area-${group.area}`}>
          <caption>{group.title}</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">
                <span className="side-letter">A</span> {labelA}
              </th>
              <th scope="col">
                <span className="side-letter">B</span> {labelB}
              </th>
            </tr>
          </thead>
          <tbody>
            {group.rows.map((row) => (
              <tr key={row.item}>
                <th scope="row" className="mono-soft">
                  {row.item}
                </th>
                <td className="mono-soft">{row.a ?? <span className="muted">(absent)</span>}</td>
                <td className="mono-soft">{row.b ?? <span className="muted">(absent)</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}

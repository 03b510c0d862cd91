import { useState } from 'react';
import type { GraphView } from '../../../shared/graph/graph-view';
import { CodeBlock } from '../../components/code-block';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useServerTarget } from '../../components/confirm-fields';
import { actionsLocked } from '../../state/shown';
import { useApp } from '../../state/store-context';
import { STATE_LABEL, type NodeState } from './node-states';
import { SqlPreviewButton, SqlPreviewPanel } from './sql-preview';
import { upgradeConfirmation } from './upgrade-confirmation';
import { UpgradeStatus } from './upgrade-status';

/** Everything about one revision, its predicted hazards and "Upgrade to here". */
export function RevisionPanel({ view, id, state }: { view: GraphView; id: string; state: NodeState }) {
  const select = useApp((s) => s.selectRevision);
  const upgradeTo = useApp((s) => s.upgradeTo);
  const busy = useApp(actionsLocked);
  const [confirming, setConfirming] = useState(false);
  const { graph } = view;
  const revision = graph.revisions[id];
  const hazards = view.hazards.filter((h) => h.revision === id);

  if (!revision) {
    const namedBy = graph.order.filter((r) => graph.revisions[r]?.downRevisions.includes(id));
    return (
      <div className="panel-body">
        <h3 className="mono">{id}</h3>
        <p className="tone-bad">No revision file defines {id}.</p>
        <p>
          Named as <code>down_revision</code> by: <RevisionLinks ids={namedBy} onSelect={select} />
        </p>
        <p className="muted">Alembic refuses to run with a missing parent. Restore the file, or fix the down_revision of the revisions above.</p>
      </div>
    );
  }

  const inherited = graph.inheritedLabels[id] ?? [];
  return (
    <div className="panel-body" data-testid="revision-panel">
      <h3 className="mono">{id}</h3>
      <p className="rev-panel-message">{revision.message || '(no message)'}</p>
      <dl className="facts">
        <dt>State</dt>
        <dd className={`state-text state-${state}`}>{STATE_LABEL[state]}</dd>
        <dt>File</dt>
        <dd className="mono break">
          {revision.file}
          {revision.line ? `:${revision.line}` : ''}
        </dd>
        <dt>Created</dt>
        <dd>{revision.createDate ?? '—'}</dd>
        <dt>Parents</dt>
        <dd>
          <RevisionLinks ids={revision.downRevisions} onSelect={select} empty="none (a base)" />
        </dd>
        <dt>Children</dt>
        <dd>
          <RevisionLinks ids={graph.children[id] ?? []} onSelect={select} empty="none (a head)" />
        </dd>
        {revision.dependsOn.length > 0 ? (
          <>
            <dt>Depends on</dt>
            <dd>
              <RevisionLinks ids={graph.dependencies[id] ?? revision.dependsOn} onSelect={select} />
            </dd>
          </>
        ) : null}
        <dt>Branch labels</dt>
        <dd>
          {inherited.length === 0
            ? '—'
            : inherited.map((label) => (
                <span key={label} className={`badge label${revision.branchLabels.includes(label) ? ' declared' : ''}`}>
                  {label}
                </span>
              ))}
        </dd>
        {revision.readByAlembic ? (
          <>
            <dt>Read by</dt>
            <dd className="read-by-alembic">{revision.readByAlembic}</dd>
          </>
        ) : null}
        {revision.unknownAttributes && revision.unknownAttributes.length > 0 ? (
          <>
            <dt>Unknown</dt>
            <dd className="unknown-attributes">
              {revision.unknownAttributes.join(', ')}: neither the file&apos;s text nor Alembic could tell their value (see Problems); the graph may miss edges
              here.
            </dd>
          </>
        ) : null}
      </dl>
      {hazards.length > 0 ? (
        <div className="hazards">
          <h4>Predicted hazards</h4>
          {hazards.map((h) => (
            <div key={`${h.table}-${h.line}`} className="hazard">
              <p>
                <strong className="tone-warn">⚠ {h.message}</strong>
              </p>
              <p className="muted">
                Needs <code>{h.table}</code> (line {h.line}, {h.kind}), created by <code>{h.createdBy}</code> on {h.createdByBranch}. {h.fix.why}
              </p>
              <p>Permanent fix in {h.fix.file}:</p>
              <CodeBlock code={h.fix.dependsOnLine} label="depends_on line" />
            </div>
          ))}
        </div>
      ) : null}
      <div className="panel-actions">
        <button
          type="button"
          className="primary"
          onClick={() => setConfirming(true)}
          disabled={busy || state === 'applied' || state === 'current'}
          title={state === 'applied' || state === 'current' ? 'Already applied' : `alembic upgrade ${id}`}
        >
          Upgrade to here…
        </button>
        <SqlPreviewButton target={id} />
      </div>
      <UpgradeDialog view={view} id={id} open={confirming} onClose={() => setConfirming(false)} onConfirm={() => void upgradeTo(id)} />
      <UpgradeStatus id={id} />
      <SqlPreviewPanel target={id} />
    </div>
  );
}

function RevisionLinks({ ids, onSelect, empty = '—' }: { ids: string[]; onSelect: (id: string) => void; empty?: string }) {
  if (ids.length === 0) return <span className="muted">{empty}</span>;
  return (
    <span className="rev-links">
      {ids.map((id) => (
        <button key={id} type="button" className="link mono" onClick={() => onSelect(id)}>
          {id}
        </button>
      ))}
    </span>
  );
}

/** "Upgrade to here" asks first: it changes the database in place, and a target off the profile's may clash with it. */
function UpgradeDialog({ view, id, open, onClose, onConfirm }: { view: GraphView; id: string; open: boolean; onClose: () => void; onConfirm: () => void }) {
  const databaseName = useApp((s) => s.settings?.databaseName ?? '');
  const server = useServerTarget();
  if (!open) return null;
  const { revisions, refusal, outsideTarget } = upgradeConfirmation(view, id);
  const count = revisions ? `${revisions.length} revision${revisions.length === 1 ? '' : 's'}` : null;
  return (
    <ConfirmDialog open title={`Upgrade to ${id}?`} confirmLabel="Upgrade" onConfirm={onConfirm} onClose={onClose}>
      <p>
        Alembic upgrades the database <code>{databaseName}</code> on {server.host}
        {server.port ? `:${server.port}` : ''} to <code>{id}</code>
        {revisions && count
          ? revisions.length > 1
            ? `, running ${count}: ${revisions[0]} to ${revisions[revisions.length - 1]}.`
            : `, running ${count}: ${revisions[0]}.`
          : '.'}
      </p>
      {refusal ? <p className="tone-bad">Alembic will refuse: {refusal}</p> : null}
      {!revisions && !refusal ? <p className="muted">The database&apos;s state was not read: Alembic decides what to run.</p> : null}
      {outsideTarget.length > 0 ? (
        <p className="tone-warn" data-testid="upgrade-outside-target">
          ⚠ {outsideWords(outsideTarget.length, revisions?.length ?? outsideTarget.length)} outside the profile&apos;s target <code>{view.plan.target}</code>:
          CI does not build that branch, and its revisions may clash with the target&apos;s (see Problems).
        </p>
      ) : null}
      <p className="muted">The schema changes in place; Preview SQL shows what would run.</p>
    </ConfirmDialog>
  );
}

/** "It is" / "All of them are" / "2 of them are": how many of the revisions to run lie outside the target. */
function outsideWords(outside: number, total: number): string {
  if (outside === total) return total === 1 ? 'It is' : 'All of them are';
  return `${outside} of them ${outside === 1 ? 'is' : 'are'}`;
}

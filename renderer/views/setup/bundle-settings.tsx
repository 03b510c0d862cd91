import type { BundleViewing } from '../../state/types';

/**
 * Setup while an opened diagnosis is shown: that machine's settings as the bundle
 * recorded them, read-only. This machine's own settings stay out of sight so nobody
 * saves or tests them believing they belong to the bundle.
 */
export function BundleSettings({ viewing }: { viewing: BundleViewing }) {
  const { bundle } = viewing;
  const python = bundle.prerequisites?.python ?? null;
  const server = bundle.server;
  return (
    <div className="view setup-view" data-testid="bundle-settings">
      <div className="view-head">
        <h1>Setup</h1>
        <p className="muted">
          Settings recorded in the opened diagnosis <strong>{viewing.name}</strong> (made {new Date(bundle.createdAt).toLocaleString()}), read-only. Close the
          diagnosis to see and change this computer’s settings.
        </p>
      </div>
      <section className="card" aria-labelledby="bundle-conn-title">
        <h2 id="bundle-conn-title">PostgreSQL</h2>
        <dl className="facts">
          <dt>Server</dt>
          <dd className="mono">
            {server.host}:{server.port}
          </dd>
          <dt>Version</dt>
          <dd>
            {server.version ? `PostgreSQL ${server.version}` : 'not reached'}
            {server.embedded ? ' · bundled' : ''}
          </dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="bundle-profile-title">
        <h2 id="bundle-profile-title">Profile</h2>
        <dl className="facts">
          <dt>Profile</dt>
          <dd>{bundle.profile.name}</dd>
          <dt>Database</dt>
          <dd className="mono">{bundle.profile.database}</dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="bundle-python-title">
        <h2 id="bundle-python-title">Python interpreter</h2>
        {python ? (
          <dl className="facts">
            <dt>Interpreter</dt>
            <dd className="mono">{[python.command, ...python.launcherArgs].join(' ')}</dd>
            <dt>Version</dt>
            <dd>{python.version ?? 'unknown'}</dd>
          </dl>
        ) : (
          <p className="muted">The diagnosis recorded no interpreter.</p>
        )}
      </section>
      <div className="form-actions">
        <button type="button" disabled aria-describedby="bundle-readonly-reason">
          Save
        </button>
        <button type="button" disabled aria-describedby="bundle-readonly-reason">
          Test connection
        </button>
        <span className="disabled-reason" id="bundle-readonly-reason">
          Read-only: these are the opened diagnosis’s settings.
        </span>
      </div>
    </div>
  );
}

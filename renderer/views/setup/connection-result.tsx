import { errorCause } from '../../../shared/errors/app-error';
import { ErrorBox, Spinner } from '../../components/feedback';
import { useApp } from '../../state/store-context';

/** "Test connection": the server's version, or the specific error and what to do. */
export function ConnectionResult() {
  const test = useApp((s) => s.connectionTest);
  if (test.status === 'loading') return <Spinner label="Connecting… (the bundled server takes a few seconds on first start)" />;
  if (test.status === 'error' && test.error) {
    // An error in the settings themselves (an invalid profile) stopped the test before it connected.
    const title = errorCause(test.error.code) === 'input' ? 'Not tested: the settings cannot be used yet' : 'Could not connect';
    return <ErrorBox error={test.error} title={title} />;
  }
  if (test.status === 'ready' && test.server) {
    const s = test.server;
    return (
      <div className="success-box" role="status" data-testid="connection-ok">
        ✓ Connected: PostgreSQL {s.version}
        {s.embedded ? ' (bundled)' : ''} on {s.host}:{s.port}
      </div>
    );
  }
  return null;
}

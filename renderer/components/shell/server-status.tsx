import { messageWithRemedy } from '../../../shared/errors/app-error';
import { useApp } from '../../state/store-context';

/** The header's word on the server: version, bundled or not, where; or why it is not there. */
export function ServerStatusChip() {
  const status = useApp((s) => s.serverStatus);
  const testing = useApp((s) => s.connectionTest.status === 'loading');
  if (testing && !status) {
    return (
      <span className="chip muted" data-testid="server-status">
        <span className="dot" aria-hidden="true" /> checking server…
      </span>
    );
  }
  if (!status) {
    return (
      <span className="chip muted" data-testid="server-status">
        <span className="dot" aria-hidden="true" /> server not checked
      </span>
    );
  }
  if (!status.info) {
    return (
      <span className="chip bad" title={status.error ? messageWithRemedy(status.error) : undefined} data-testid="server-status">
        <span className="dot" aria-hidden="true" /> {status.error?.code === 'usage' ? 'server: password needed' : 'server unreachable'}
      </span>
    );
  }
  const { info } = status;
  return (
    <span className="chip ok" data-testid="server-status" title={`${info.host}:${info.port}`}>
      <span className="dot" aria-hidden="true" /> PostgreSQL {info.version}
      {info.embedded ? ' · bundled' : ''} · {info.host}:{info.port}
    </span>
  );
}

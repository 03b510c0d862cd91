import { APP_VIEWS } from '../../../shared/contract/app-views';
import { shownFindings } from '../../state/shown';
import { useApp } from '../../state/store-context';
import { DiagnosisFiles } from './diagnosis-files';
import { NavIcon } from './nav-icons';

export function Nav() {
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  return (
    <nav className="nav" aria-label="Views">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span>Skeldir Rebuild</span>
      </div>
      <ul>
        {APP_VIEWS.map((item) => (
          <li key={item.id}>
            <button
              type="button"
              className={`nav-item${view === item.id ? ' active' : ''}`}
              aria-current={view === item.id ? 'page' : undefined}
              onClick={() => setView(item.id)}
              data-view={item.id}
            >
              <NavIcon view={item.id} />
              <span className="nav-label">{item.label}</span>
              {item.id === 'findings' ? <FindingsBadge /> : null}
              {item.id === 'gates' ? <RunningDot /> : null}
            </button>
          </li>
        ))}
      </ul>
      <DiagnosisFiles />
    </nav>
  );
}

function FindingsBadge() {
  const count = useApp((s) => shownFindings(s).length);
  const errors = useApp((s) => shownFindings(s).filter((f) => f.severity === 'error').length);
  if (count === 0) return null;
  return (
    <span className={`count-badge${errors > 0 ? ' bad' : ''}`} aria-label={`${count} findings`} data-testid="findings-count">
      {count}
    </span>
  );
}

function RunningDot() {
  const running = useApp((s) => s.job !== null);
  return running ? <span className="running-dot" aria-label="a job is running" /> : null;
}

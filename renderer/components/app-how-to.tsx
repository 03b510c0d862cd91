import type { UserAction } from '../../shared/errors/user-action';
import { APP_HOW_TO } from './app-how-to-words';

/** The app's own how-to line under an engine message that asks for an action (nothing when it asks for none). */
export function AppHowTo({ action }: { action: UserAction | undefined }) {
  return action ? (
    <p className="app-how-to" data-testid="app-how-to">
      {APP_HOW_TO[action]}
    </p>
  ) : null;
}

import type { UserAction } from '../../shared/errors/user-action';
import { USER_ACTION_HOW_TO } from '../../shared/errors/user-action-how-to';

/** The app's own how-to line under an engine message that asks for an action (nothing when it asks for none). */
export function AppHowTo({ action }: { action: UserAction | undefined }) {
  return action ? (
    <p className="app-how-to" data-testid="app-how-to">
      {USER_ACTION_HOW_TO[action].app}
    </p>
  ) : null;
}

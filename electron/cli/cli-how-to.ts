import type { UserAction } from '../../shared/errors/user-action';
import { cliHowTo } from '../../shared/errors/user-action-how-to';

/**
 * `text` with the flag or command that does what it asks, in parentheses before its closing
 * full stop, when it asks for an action; `target` (a snapshot's name) fills in NAME, so the
 * command can be pasted as it is.
 */
export function withCliHowTo(text: string, action: UserAction | undefined, target?: string): string {
  if (!action) return text;
  const trimmed = text.trimEnd();
  const sentence = trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
  return `${sentence} (${cliHowTo(action, target)})${trimmed.endsWith('.') ? '.' : ''}`;
}

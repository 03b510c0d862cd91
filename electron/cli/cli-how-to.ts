import type { UserAction } from '../../shared/errors/user-action';

/** How a terminal user takes each action the engine's messages name: the CLI's own flags. */
const CLI_HOW_TO: Record<UserAction, string> = {
  'choose-repository': 'pass --repo DIR',
  'choose-python': 'pass --python PATH',
  'use-bundled-server': 'pass --embedded',
  'allow-remote-tests': 'pass --allow-remote-tests',
};

/** `text` with the flag that does what it asks, in parentheses before its closing full stop, when it asks for an action. */
export function withCliHowTo(text: string, action: UserAction | undefined): string {
  if (!action) return text;
  const trimmed = text.trimEnd();
  const sentence = trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
  return `${sentence} (${CLI_HOW_TO[action]})${trimmed.endsWith('.') ? '.' : ''}`;
}

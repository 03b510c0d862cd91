import type { UserAction } from '../../shared/errors/user-action';

/** How a terminal user takes each action the engine's messages name: the CLI's own flags and commands (NAME: the action's target). */
const CLI_HOW_TO: Record<UserAction, string> = {
  'choose-repository': 'pass --repo DIR',
  'choose-python': 'pass --python PATH',
  'choose-profile': 'pass --profile FILE, or leave it out for the default Skeldir profile',
  'use-bundled-server': 'pass --embedded',
  'choose-bundled-server-folder': 'pass --embedded-dir DIR',
  'enter-superuser-password': 'set SKELDIR_SUPERUSER_PASSWORD or PGPASSWORD, or answer the prompt',
  'allow-remote-tests': 'pass --allow-remote-tests',
  'confirm-drop': 'answer the prompt, or pass --yes when not interactive',
  'confirm-drop-unmarked': 'pass --drop-unmarked',
  'allow-remote-server': 'pass --allow-remote',
  'run-diagnosis': 'skeldir-rebuild diagnose',
  'run-bootstrap': 'skeldir-rebuild bootstrap',
  'restore-snapshot': 'skeldir-rebuild restore NAME; skeldir-rebuild snapshots lists them',
  'remove-snapshots': 'skeldir-rebuild prune --keep N; skeldir-rebuild snapshots lists them',
  'save-diagnosis': 'skeldir-rebuild report --out FILE.json',
};

/**
 * `text` with the flag or command that does what it asks, in parentheses before its closing
 * full stop, when it asks for an action; `target` (a snapshot's name) fills in NAME, so the
 * command can be pasted as it is.
 */
export function withCliHowTo(text: string, action: UserAction | undefined, target?: string): string {
  if (!action) return text;
  const trimmed = text.trimEnd();
  const sentence = trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
  const howTo = target ? CLI_HOW_TO[action].replace('NAME', target) : CLI_HOW_TO[action];
  return `${sentence} (${howTo})${trimmed.endsWith('.') ? '.' : ''}`;
}

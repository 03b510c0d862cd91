/**
 * What a message asks the user to do, named without any front's words. The engine writes
 * its messages in neutral prose and attaches the action; each front adds its own how-to
 * from user-action-how-to.ts: the CLI its flag or command, the app its control. So no CLI
 * flag reaches the app, and no app button reaches the terminal
 * (test/unit/architecture/front-neutral-words.test.ts).
 */
export type UserAction =
  | 'choose-repository'
  | 'choose-python'
  | 'choose-profile'
  | 'use-bundled-server'
  | 'choose-bundled-server-folder'
  | 'enter-superuser-password'
  | 'allow-remote-tests'
  | 'confirm-drop'
  | 'confirm-drop-unmarked'
  | 'allow-remote-server'
  | 'run-diagnosis'
  | 'show-migration-graph'
  | 'choose-target'
  | 'run-bootstrap'
  | 'rebuild-from-scratch'
  | 'restore-snapshot'
  | 'remove-snapshots'
  | 'save-diagnosis';

import type { UserAction } from '../../shared/errors/user-action';

/** How an app user takes each action the engine's messages name: the view and control that do it (the CLI names its flag instead). */
export const APP_HOW_TO: Record<UserAction, string> = {
  'choose-repository': 'In Setup, choose the backend repository folder (the one that holds alembic.ini).',
  'choose-python': 'In Setup, choose the Python interpreter.',
  'choose-profile': 'In Setup, correct the profile file, or clear it to use the default Skeldir profile.',
  'use-bundled-server': 'In Setup, switch on “Use bundled PostgreSQL 15”.',
  'choose-bundled-server-folder': 'In Setup, choose another folder for the bundled PostgreSQL.',
  'enter-superuser-password': 'In Setup, enter the superuser’s password and save.',
  'allow-remote-tests': 'In Parity, confirm that this suite may reach that server.',
  'confirm-drop': 'In the Rebuild dialog, type the database name to confirm.',
  'confirm-drop-unmarked': 'In the Rebuild dialog, tick “Also drop it if this app did not create it”.',
  'allow-remote-server': 'In the confirmation dialog, type the server’s host name as well.',
  'run-diagnosis': 'In the header, click Diagnose.',
  'run-bootstrap': 'In the header, click Rebuild…: it creates the roles and the database first.',
  'restore-snapshot': 'In Snapshots, click Restore… beside it.',
  'remove-snapshots': 'In Snapshots, enter how many to keep and click Prune….',
  'save-diagnosis': 'In the side bar, click Save diagnosis….',
};

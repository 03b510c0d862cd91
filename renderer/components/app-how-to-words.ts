import type { UserAction } from '../../shared/errors/user-action';

/** How an app user takes each action the engine's messages name: the Setup field that does it (the CLI names its flag instead). */
export const APP_HOW_TO: Record<UserAction, string> = {
  'choose-repository': 'In Setup, choose the backend repository folder (the one that holds alembic.ini).',
  'choose-python': 'In Setup, choose the Python interpreter.',
  'use-bundled-server': 'In Setup, switch on “Use bundled PostgreSQL 15”.',
  'allow-remote-tests': 'In Parity, confirm that this suite may reach that server.',
};

import type { UserAction } from './user-action';

/**
 * How each front lets its user take each action the engine's messages name, side by side:
 * the app's view and control, and the CLI's own flag or command (NAME stands for the
 * action's target, e.g. a snapshot). Kept in one table so a new action gets both fronts'
 * words at once, and so the saved HTML report can show support staff both ways. Only the
 * fronts and that report read it; the engine's own prose stays neutral.
 */
export const USER_ACTION_HOW_TO: Record<UserAction, { app: string; cli: string }> = {
  'choose-repository': { app: 'In Setup, choose the backend repository folder (the one that holds alembic.ini).', cli: 'pass --repo DIR' },
  'choose-python': { app: 'In Setup, choose the Python interpreter.', cli: 'pass --python PATH' },
  'choose-profile': {
    app: 'In Setup, correct the profile file, or clear it to use the default Skeldir profile.',
    cli: 'pass --profile FILE, or leave it out for the default Skeldir profile',
  },
  'use-bundled-server': { app: 'In Setup, switch on \u201cUse bundled PostgreSQL 15\u201d.', cli: 'pass --embedded' },
  'choose-bundled-server-folder': { app: 'In Setup, choose another folder for the bundled PostgreSQL.', cli: 'pass --embedded-dir DIR' },
  'enter-superuser-password': {
    app: 'In Setup, check the superuser\u2019s name, enter its password and save.',
    cli: 'set SKELDIR_SUPERUSER_PASSWORD or PGPASSWORD, or answer the prompt; --superuser (else PGUSER) names the superuser',
  },
  'allow-remote-tests': { app: 'In Parity, confirm that this suite may reach that server.', cli: 'pass --allow-remote-tests' },
  'confirm-drop': { app: 'In the Rebuild dialog, type the database name to confirm.', cli: 'answer the prompt, or pass --yes when not interactive' },
  'confirm-drop-unmarked': { app: 'In the Rebuild dialog, tick \u201cAlso drop it if this app did not create it\u201d.', cli: 'pass --drop-unmarked' },
  'allow-remote-server': { app: 'In the confirmation dialog, type the server\u2019s host name as well.', cli: 'pass --allow-remote' },
  'run-diagnosis': { app: 'In the header, click Diagnose.', cli: 'skeldir-rebuild diagnose' },
  'show-migration-graph': { app: 'In Migration graph, search by revision id or branch label.', cli: 'skeldir-rebuild graph --repo DIR' },
  'choose-target': {
    app: 'In Migration graph, select the revision to reach, click \u201cUpgrade to here\u2026\u201d and confirm; or choose a profile written for this repository in Setup.',
    cli: 'pass --target heads (or one of its branch labels) with --from-graph, or --profile FILE',
  },
  'run-bootstrap': { app: 'In the header, click Rebuild\u2026: it creates the roles and the database first.', cli: 'skeldir-rebuild bootstrap' },
  'rebuild-from-scratch': {
    app: 'In the header, click Rebuild\u2026 and tick \u201cDrop the existing database first\u201d (a safety snapshot keeps any rows).',
    cli: 'skeldir-rebuild rebuild --drop-existing',
  },
  'restore-snapshot': { app: 'In Snapshots, click Restore\u2026 beside it.', cli: 'skeldir-rebuild restore NAME; skeldir-rebuild snapshots lists them' },
  'remove-snapshots': {
    app: 'In Snapshots, enter how many to keep and click Prune\u2026.',
    cli: 'skeldir-rebuild prune --keep N; skeldir-rebuild snapshots lists them',
  },
  'save-diagnosis': { app: 'In the side bar, click Save diagnosis\u2026.', cli: 'skeldir-rebuild report --out FILE.json' },
};

/** The CLI's flag or command for an action, with its target (a snapshot's name) filled in so it can be pasted as it is. */
export function cliHowTo(action: UserAction, target?: string): string {
  const words = USER_ACTION_HOW_TO[action].cli;
  return target ? words.replace('NAME', target) : words;
}

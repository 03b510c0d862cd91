import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withCliHowTo } from '../../../../electron/cli/cli-how-to';
import { openProject } from '../../../../electron/engine/project/open-project';
import { notFoundRemediation } from '../../../../electron/engine/python/find-python';
import type { UserAction } from '../../../../shared/errors/user-action';
import { USER_ACTION_HOW_TO } from '../../../../shared/errors/user-action-how-to';

/**
 * The engine's messages name what to do in no front's words and carry the action; the CLI
 * adds its flag, the app its Setup field. So the app never shows a CLI flag.
 */
const CLI_FLAG = /(^|\s|\()--[a-z]/;

describe('engine messages are neutral; each front adds its own how-to', () => {
  it('an unset or missing repository: neutral remediation, typed action', async () => {
    for (const dir of ['', path.join(os.tmpdir(), 'no such repository folder')]) {
      const opened = await openProject(dir);
      expect(opened.ok).toBe(false);
      if (opened.ok) continue;
      expect(opened.error.action).toBe('choose-repository');
      expect(`${opened.error.message} ${opened.error.remediation ?? ''}`).not.toMatch(CLI_FLAG);
    }
  });

  it('no interpreter found: neutral on Windows and elsewhere', () => {
    for (const platform of ['win32', 'linux', 'darwin'] as const) expect(notFoundRemediation(platform)).not.toMatch(CLI_FLAG);
  });

  it('the CLI names its flag before the full stop; the app names its own control (Setup, Parity), never a flag', () => {
    expect(withCliHowTo('Choose the folder that holds alembic.ini.', 'choose-repository')).toBe('Choose the folder that holds alembic.ini (pass --repo DIR).');
    expect(withCliHowTo('choose that interpreter', 'choose-python')).toBe('choose that interpreter (pass --python PATH)');
    expect(withCliHowTo('Nothing to do here.', undefined)).toBe('Nothing to do here.');
    // A target fills in the command, so it can be pasted as it is.
    expect(withCliHowTo('It can be restored.', 'restore-snapshot', 'skeldir_validation__snap_20261207093000')).toBe(
      'It can be restored (skeldir-rebuild restore skeldir_validation__snap_20261207093000; skeldir-rebuild snapshots lists them).',
    );
    expect(withCliHowTo('Restore one of its snapshots.', 'restore-snapshot')).toBe(
      'Restore one of its snapshots (skeldir-rebuild restore NAME; skeldir-rebuild snapshots lists them).',
    );
    for (const action of Object.keys(USER_ACTION_HOW_TO) as UserAction[]) {
      expect(USER_ACTION_HOW_TO[action].app).toMatch(
        /^In (Setup|Parity|Snapshots|Migration graph|the header|the side bar|the Rebuild dialog|the confirmation dialog), /,
      );
      expect(USER_ACTION_HOW_TO[action].app).not.toMatch(CLI_FLAG);
    }
  });
});

import { useEffect } from 'react';
import type { RepoFolderCheck } from '../../../shared/contract/folders';
import { cleanTypedPath } from '../../../shared/contract/typed-path';
import type { PrerequisiteCheck } from '../../../shared/prerequisites/prerequisites';
import { ErrorBox, Spinner } from '../../components/feedback';
import { useApp } from '../../state/store-context';
import { PrerequisiteLines } from './prerequisite-lines';
import { TextField } from './text-field';
import { useFolderDialog } from './use-folder-dialog';

/**
 * The repository folder: a field checked as the user types (a pause of CHECK_DELAY_MS,
 * then the engine opens the folder the way a rebuild would) and, in the desktop app, a
 * "Choose folder…" button with the native dialog. The check is announced politely, so a
 * screen reader hears the verdict without losing its place in the field.
 */
export const CHECK_DELAY_MS = 300;
const CHECK_ID = 'repo-check';

export function RepoFolderField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const dialog = useFolderDialog('repository');
  const checkRepoFolder = useApp((s) => s.checkRepoFolder);

  useEffect(() => {
    const timer = setTimeout(() => void checkRepoFolder(cleanTypedPath(value)), CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [value, checkRepoFolder]);

  return (
    <>
      <TextField
        id="repo"
        label="Repository folder"
        value={value}
        onChange={onChange}
        placeholder="C:\Users\you\II SKELDIR II"
        mono
        wide
        hint="The folder that holds alembic.ini (or backend\alembic.ini). A path copied from Explorer, quotes included, works."
        describedBy={CHECK_ID}
        action={
          dialog.available ? (
            <button type="button" onClick={() => void dialog.choose(cleanTypedPath(value), onChange)} data-testid="choose-repo-folder">
              Choose folder…
            </button>
          ) : null
        }
      />
      <div id={CHECK_ID} className="repo-check" role="status" aria-live="polite">
        <RepoFolderVerdict typed={cleanTypedPath(value)} />
      </div>
      {dialog.error ? <ErrorBox error={dialog.error} title="The folder dialog did not open" /> : null}
    </>
  );
}

/** The check's answer for what is in the field now; while the user types, nothing stale. */
function RepoFolderVerdict({ typed }: { typed: string }) {
  const state = useApp((s) => s.repoFolderCheck);
  if (typed === '' || state.typed !== typed || state.status === 'idle') return null;
  if (state.status === 'checking') return <Spinner label="Looking for alembic.ini…" />;
  if (state.status === 'error' && state.error) return <ErrorBox error={state.error} title="The folder could not be checked" />;
  if (!state.check) return null;
  return <PrerequisiteLines checks={[asCheckLine(state.check)]} />;
}

/** The verdict as a ✓/✗ line like the other Setup checks. */
export function asCheckLine(check: RepoFolderCheck): PrerequisiteCheck {
  if (check.verdict === 'alembic-project') {
    const revisions = `${check.revisions} revision${check.revisions === 1 ? '' : 's'}`;
    const heads = `${check.heads} head${check.heads === 1 ? '' : 's'}`;
    return { id: 'repo-folder', title: `Alembic project found (${check.configFile})`, ok: true, detail: `${revisions}, ${heads}.` };
  }
  return { id: 'repo-folder', title: 'Not a backend repository', ok: false, detail: check.message, fix: check.remediation };
}

import { existsSync } from 'node:fs';
import type { MigrationGraph } from '../../../shared/graph/model';
import { appError, err, ok, type Result } from '../../../shared/errors/app-error';
import { loadAlembicProject, type LoadProjectOptions } from '../alembic/load-project';
import { RevisionParseMemo } from '../alembic/parse-memo';

/**
 * The backend repository as the pipeline needs it: where alembic.ini is and the parsed
 * migration graph. (VERIFY reads row-level security from the planned revisions' offline
 * SQL, not from a scan of every file.)
 */
export interface OpenProject {
  repoDir: string;
  iniPath: string;
  graph: MigrationGraph;
  /** Absolute version folders (the template cache hashes every file in them). */
  versionLocations: string[];
  /** The absolute script folder: env.py and its helpers, which every upgrade runs (hashed by the template cache too). */
  scriptLocation: string;
}

/** Every run opens the project again: files unchanged since the last time are not parsed again. */
const parseMemo = new RevisionParseMemo();

/**
 * `python`: the project's interpreter, asked for only when a revision's attributes are
 * expressions the static reader cannot work out (Alembic then reads them).
 */
export async function openProject(repoDir: string, python?: LoadProjectOptions['python']): Promise<Result<OpenProject>> {
  if (!repoDir) {
    return err(
      appError('repo-not-found', 'No backend repository chosen.', {
        remediation: 'Choose the folder that holds alembic.ini.',
        action: 'choose-repository',
      }),
    );
  }
  if (!existsSync(repoDir)) {
    return err(
      appError('repo-not-found', `The repository folder ${repoDir} does not exist.`, {
        remediation: 'Check the repository folder you chose: it must be the one that holds alembic.ini.',
        action: 'choose-repository',
      }),
    );
  }
  const loaded = await loadAlembicProject(repoDir, { memo: parseMemo, python });
  if (!loaded.ok) return loaded;
  const { graph } = loaded.value;
  const iniPath = loaded.value.ini.path;
  return ok({ repoDir, iniPath, graph, versionLocations: loaded.value.versionLocations, scriptLocation: loaded.value.scriptLocation });
}

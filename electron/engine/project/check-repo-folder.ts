import * as path from 'node:path';
import type { RepoFolderCheck } from '../../../shared/contract/folders';
import { cleanTypedPath } from '../../../shared/contract/typed-path';
import { isDirectory, isFile } from '../platform/fs-probe';
import { openProject } from './open-project';

/**
 * Setup's answer, as the user types, to "is this my backend checkout?": the folder is opened
 * exactly as a rebuild opens it (openProject: alembic.ini here or in backend/, or a
 * pyproject.toml with [tool.alembic]; every revision read, no Python run), so the field
 * never says yes to a folder the rebuild would refuse.
 */
export interface FolderProbe {
  /** path.win32 in unit tests of Windows paths; the machine's path module otherwise. */
  pathApi: Pick<typeof path, 'isAbsolute' | 'relative' | 'dirname' | 'join' | 'basename'>;
  isFile(file: string): boolean;
  isDirectory(dir: string): boolean;
}

const MACHINE: FolderProbe = { pathApi: path, isFile, isDirectory };

export async function checkRepoFolder(typed: string, probe: FolderProbe = MACHINE): Promise<RepoFolderCheck> {
  const folder = cleanTypedPath(typed);
  const early = checkBeforeOpening(folder, probe);
  if (early) return early;
  const project = await openProject(folder);
  if (!project.ok) {
    return {
      verdict: 'not-a-project',
      path: folder,
      message: project.error.message,
      remediation: project.error.remediation ?? 'Choose the folder of your Skeldir backend checkout: the one that holds alembic.ini.',
    };
  }
  const { graph, iniPath } = project.value;
  return {
    verdict: 'alembic-project',
    path: folder,
    configFile: configFileLabel(folder, iniPath, probe),
    revisions: Object.keys(graph.revisions).length,
    heads: graph.heads.length,
  };
}

/**
 * What can be said before opening: nothing typed, a relative path (the app has no working
 * folder a user could mean), a missing folder, or a file (often alembic.ini itself).
 * The wording is the app's: openProject's own speaks to the command line.
 */
export function checkBeforeOpening(folder: string, probe: FolderProbe): RepoFolderCheck | null {
  const { pathApi } = probe;
  const notAProject = (message: string, remediation: string): RepoFolderCheck => ({ verdict: 'not-a-project', path: folder, message, remediation });
  if (folder === '') return notAProject('No folder entered.', 'Enter the folder of your Skeldir backend checkout: the one that holds alembic.ini.');
  if (!pathApi.isAbsolute(folder)) {
    return notAProject(`${folder} is not a full path.`, 'Enter the whole path, from the drive on, e.g. C:\\Users\\you\\II SKELDIR II.');
  }
  if (probe.isFile(folder)) {
    return notAProject(`${folder} is a file, not a folder.`, `Use the folder that holds it: ${pathApi.dirname(folder)}`);
  }
  if (!probe.isDirectory(folder)) {
    return notAProject(`The folder ${folder} does not exist.`, 'Check the spelling, or copy the path from the address bar of Explorer.');
  }
  return null;
}

/** alembic.ini, backend\alembic.ini, or pyproject.toml [tool.alembic]: where the configuration was found, relative to the folder. */
export function configFileLabel(folder: string, iniPath: string, probe: FolderProbe): string {
  const { pathApi } = probe;
  if (probe.isFile(iniPath)) return pathApi.relative(folder, iniPath);
  return `${pathApi.relative(folder, pathApi.join(pathApi.dirname(iniPath), 'pyproject.toml'))} [tool.alembic]`;
}

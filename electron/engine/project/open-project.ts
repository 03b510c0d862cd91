import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MigrationGraph } from '../../../shared/graph/model';
import { appError, err, ok, type Result } from '../../../shared/errors/app-error';
import { loadAlembicProject } from '../alembic/load-project';
import { RevisionParseMemo } from '../alembic/parse-memo';

/**
 * The backend repository as the pipeline needs it: where alembic.ini is, the parsed
 * migration graph, and the tables the migrations put under row-level security
 * (VERIFY checks those).
 */
export interface OpenProject {
  repoDir: string;
  iniPath: string;
  graph: MigrationGraph;
  rlsTables: string[];
  /** Absolute version folders (the template cache hashes every file in them). */
  versionLocations: string[];
}

const ENABLE_RLS = /ALTER\s+TABLE\s+(?:ONLY\s+)?(?:"?public"?\.)?"?([A-Za-z_][\w$]*)"?\s+ENABLE\s+ROW\s+LEVEL\s+SECURITY/gi;

/** Every run opens the project again: files unchanged since the last time are not parsed again. */
const parseMemo = new RevisionParseMemo();

export async function openProject(repoDir: string): Promise<Result<OpenProject>> {
  if (!repoDir) {
    return err(appError('repo-not-found', 'No backend repository chosen.', { remediation: 'Choose the folder that holds alembic.ini (--repo DIR, or Setup in the app).' }));
  }
  if (!fs.existsSync(repoDir)) {
    return err(appError('repo-not-found', `The repository folder ${repoDir} does not exist.`, { remediation: 'Check the path given to --repo (or in Setup).' }));
  }
  const loaded = await loadAlembicProject(repoDir, { memo: parseMemo });
  if (!loaded.ok) return loaded;
  const { graph } = loaded.value;
  const iniPath = loaded.value.ini.path;
  const rlsTables = new Set<string>();
  for (const revision of Object.values(graph.revisions)) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(repoDir, revision.file), 'utf8');
    } catch {
      continue;
    }
    for (const match of text.matchAll(ENABLE_RLS)) rlsTables.add(match[1].toLowerCase());
  }
  return ok({ repoDir, iniPath, graph, rlsTables: [...rlsTables].sort(), versionLocations: loaded.value.versionLocations });
}

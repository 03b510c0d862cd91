import { changesTheDatabase, type RunMoment } from '../../shared/report/recent-runs';
import type { RunProvenance, ServerInfo } from '../../shared/report/report';

/**
 * Results belong to a repository, a server and a run. Test results, Parity and Findings
 * say which repository, commit and run they come from, and "not run for this repository"
 * once Setup names another one, or "not run against this server" once Setup's server is
 * another cluster (a new bundled data folder, a re-initialised server). Pure, so it is
 * unit-tested without React.
 */
export type Belonging =
  /** The run was made for the repository Setup names now, on its server as far as is known. */
  | { kind: 'this'; provenance: RunProvenance }
  /** The run was made for another repository, or against another server (Setup changed since). */
  | { kind: 'other'; why: 'repository' | 'server'; provenance: RunProvenance }
  /** Nothing says (no run yet, or a report from a version that did not record it). */
  | { kind: 'unknown' };

/** A folder as compared: separators unified, no trailing separator; case-folded where paths are (Windows drive paths). */
export function normalizeRepoDir(dir: string | null | undefined): string {
  let out = (dir ?? '').trim().replace(/\\/g, '/');
  while (out.length > 1 && out.endsWith('/') && !/^[A-Za-z]:\/$/.test(out)) out = out.slice(0, -1);
  return /^[A-Za-z]:\//.test(out) ? out.toLowerCase() : out;
}

export function sameRepository(a: string | null | undefined, b: string | null | undefined): boolean {
  return normalizeRepoDir(a) === normalizeRepoDir(b);
}

/**
 * Whether results from the run `provenance` describes belong to the repository Setup names
 * (`currentRepoDir`) and to the server it connects to (`currentServer`, as last reached).
 * Two servers differ only when both clusters are known and are not the same: host and
 * port alone say nothing, since the bundled server's port changes at every start.
 */
export function belonging(
  provenance: RunProvenance | null | undefined,
  currentRepoDir: string | null | undefined,
  currentServer: ServerInfo | null = null,
): Belonging {
  if (!provenance) return { kind: 'unknown' };
  if (!sameRepository(provenance.repoDir, currentRepoDir)) return { kind: 'other', why: 'repository', provenance };
  const ran = provenance.server?.systemId;
  const now = currentServer?.systemId;
  if (ran && now && ran !== now) return { kind: 'other', why: 'server', provenance };
  return { kind: 'this', provenance };
}

/**
 * The run that changed the database after the tests of `tested` ran (a rebuild, a restore,
 * a fix …), or null: their results then describe a database that is no longer there.
 */
export function changedAfter(tested: RunProvenance | null | undefined, later: RunMoment | null | undefined) {
  if (!tested || !later || Date.parse(later.startedAt) <= Date.parse(tested.startedAt)) return null;
  return changesTheDatabase(later.command) ? later : null;
}

/** The heading a view shows over results that are not this Setup's. */
export function notThisTitle(why: 'repository' | 'server'): string {
  return why === 'repository' ? 'Not run for this repository' : 'Not run against this server';
}

/** "the bundled server at 127.0.0.1:54329" / "127.0.0.1:5432": how a line names the server a run talked to. */
export function serverLabel(server: ServerInfo): string {
  return server.embedded ? `the bundled server at ${server.host}:${server.port}` : `${server.host}:${server.port}`;
}

/** "skeldir-2.0 @ 1a2b3c4 (main)": the repository's folder name, the short commit and branch when known. */
export function repositoryLabel(provenance: RunProvenance): string {
  if (!provenance.repoDir) return 'no repository';
  const name = normalizeRepoDir(provenance.repoDir).split('/').filter(Boolean).at(-1) ?? provenance.repoDir;
  const commit = provenance.commit ? ` @ ${provenance.commit.slice(0, 7)}` : '';
  const branch = provenance.branch ? ` (${provenance.branch})` : '';
  return `${name}${commit}${branch}`;
}

/** The parts a header shows: repository (full path as a title), commit, run. */
export interface ProvenanceParts {
  repository: string;
  repoDir: string | null;
  commit: string | null;
  run: string;
}

export function provenanceParts(provenance: RunProvenance, formatTime: (iso: string) => string, commandLabel: (command: string) => string): ProvenanceParts {
  return {
    repository: repositoryLabel(provenance),
    repoDir: provenance.repoDir,
    commit: provenance.commit,
    run: `${commandLabel(provenance.command)} at ${formatTime(provenance.startedAt)}`,
  };
}

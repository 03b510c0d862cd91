import type { RunProvenance } from '../../shared/report/report';

/**
 * Results belong to a repository and a run. Test results, Parity and Findings say which
 * repository, commit and run they come from, and "not run for this repository" once
 * Setup names another one. Pure, so it is unit-tested without React.
 */
export type Belonging =
  /** The run was made for the repository Setup names now. */
  | { kind: 'this'; provenance: RunProvenance }
  /** The run was made for another repository (Setup changed since). */
  | { kind: 'other'; provenance: RunProvenance }
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

/** Whether results from the run `provenance` describes belong to the repository Setup names (`currentRepoDir`). */
export function belonging(provenance: RunProvenance | null | undefined, currentRepoDir: string | null | undefined): Belonging {
  if (!provenance) return { kind: 'unknown' };
  return sameRepository(provenance.repoDir, currentRepoDir) ? { kind: 'this', provenance } : { kind: 'other', provenance };
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

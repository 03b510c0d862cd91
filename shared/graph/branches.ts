/**
 * Names for the branches of a migration graph, for sentences a person reads
 * ("at 202512151200 on the celery_foundation branch only").
 *
 * A branch here is a segment: a maximal run of revisions linked one-to-one through
 * `down_revision`. A segment starts at a base, at a merge point, or at a child of a
 * branch point. Its name is, in order of preference: a branch label declared inside it,
 * the version sub-folder holding most of its files, if no other branch has files there (numbering prefix dropped: "001_core_schema"
 * → "core_schema"), or its first revision's id.
 */
import type { MigrationGraph } from './model';

export interface BranchSegment {
  /** Human name (label, folder, or root id). */
  name: string;
  /** First revision of the segment (nearest the base). */
  root: string;
  /** Last revision of the segment (nearest the head). */
  tip: string;
  /** Members from root to tip. */
  revisions: string[];
}

export function branchSegments(graph: MigrationGraph): BranchSegment[] {
  const segmentOf = new Map<string, string[]>();
  const segments: string[][] = [];
  for (const id of graph.order) {
    const rev = graph.revisions[id];
    const parent = rev.downRevisions.length === 1 ? rev.downRevisions[0] : undefined;
    const continues = parent !== undefined && graph.revisions[parent] !== undefined && (graph.children[parent] ?? []).length === 1;
    const seg = continues ? segmentOf.get(parent as string) : undefined;
    if (seg && seg[seg.length - 1] === parent) {
      seg.push(id);
      segmentOf.set(id, seg);
    } else {
      const fresh = [id];
      segments.push(fresh);
      segmentOf.set(id, fresh);
    }
  }
  const folders = folderOwners(graph, segments);
  return segments.map((members) => ({
    name: segmentName(graph, members, folders),
    root: members[0],
    tip: members[members.length - 1],
    revisions: members,
  }));
}

/** The segment a revision belongs to, or undefined when the id is not in the graph. */
export function branchOf(graph: MigrationGraph, id: string): BranchSegment | undefined {
  return branchSegments(graph).find((s) => s.revisions.includes(id));
}

/** The name of the branch a revision is on (see the module comment); the id itself when unknown. */
export function branchName(graph: MigrationGraph, id: string): string {
  return branchOf(graph, id)?.name ?? id;
}

/** "core_schema (baseline … 202511131121)", or "baseline … 202511131121" when the name is just the root id. */
export function describeSegment(segment: BranchSegment): string {
  const range = segment.root === segment.tip ? segment.root : `${segment.root} … ${segment.tip}`;
  return segment.name === segment.root ? range : `${segment.name} (${range})`;
}

function segmentName(graph: MigrationGraph, members: string[], folderSegments: Map<string, number>): string {
  for (const id of members) {
    const label = graph.revisions[id].branchLabels.find((l) => graph.labels[l] === id);
    if (label) return label;
  }
  const folder = dominantFolder(graph, members);
  if (folder && folderSegments.get(folder) === 1) {
    const name = folder.replace(/^[0-9]+[_\-. ]*/, '');
    if (name.length > 0 && name !== 'versions') return name;
  }
  return members[0];
}

/** How many segments have files in each folder: a folder names a branch only if it holds that branch alone. */
function folderOwners(graph: MigrationGraph, segments: string[][]): Map<string, number> {
  const count = new Map<string, number>();
  for (const members of segments) {
    const seen = new Set(members.map((id) => parentFolder(graph.revisions[id].file)));
    for (const f of seen) count.set(f, (count.get(f) ?? 0) + 1);
  }
  return count;
}

/** The folder holding most of the segment's files (ties go to the one nearer the tip). */
function dominantFolder(graph: MigrationGraph, members: string[]): string | null {
  const count = new Map<string, number>();
  let best: string | null = null;
  for (const id of members) {
    const f = parentFolder(graph.revisions[id].file);
    count.set(f, (count.get(f) ?? 0) + 1);
    if (best === null || (count.get(f) as number) >= (count.get(best) as number)) best = f;
  }
  return best || null;
}

function parentFolder(file: string): string {
  const parts = file.split('/');
  return parts.length >= 2 ? parts[parts.length - 2] : '';
}

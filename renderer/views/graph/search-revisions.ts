import type { MigrationGraph } from '../../../shared/graph/model';

/**
 * Revisions matching what the user typed: ids starting with it first (how people
 * abbreviate revision ids), then ids containing it, then messages and branch labels
 * containing it. Case-insensitive; graph order within each group.
 */
export function searchRevisions(graph: MigrationGraph, query: string, limit = 200): string[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  const prefix: string[] = [];
  const inside: string[] = [];
  const text: string[] = [];
  for (const id of graph.order) {
    const revision = graph.revisions[id];
    if (!revision) continue;
    const lower = id.toLowerCase();
    if (lower.startsWith(q)) prefix.push(id);
    else if (lower.includes(q)) inside.push(id);
    else if (revision.message.toLowerCase().includes(q) || (graph.inheritedLabels[id] ?? []).some((l) => l.toLowerCase().includes(q))) text.push(id);
  }
  return [...prefix, ...inside, ...text].slice(0, limit);
}

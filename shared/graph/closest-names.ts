/**
 * "Did you mean …": the revision ids and branch labels nearest to something a user
 * typed, so an unknown or ambiguous target error can list real candidates.
 */
import type { MigrationGraph } from './model';

/** Up to `limit` ids/labels, ranked as closestAmong ranks them; only plausible ones. */
export function closestNames(graph: MigrationGraph, input: string, limit = 5): string[] {
  return closestAmong([...graph.loadOrder, ...Object.keys(graph.labels)], input, limit);
}

/**
 * The same ranking over any list of names (the CLI's commands, flags and findings use it too):
 * by shared prefix, then whether the name holds what was typed (a user remembers a word of a
 * long id: "row-security" for MIGRATION-ROW-SECURITY-CHANGED), then edit distance.
 */
export function closestAmong(names: readonly string[], input: string, limit = 5): string[] {
  const wanted = input.toLowerCase();
  const scored = names.map((name) => {
    const lower = name.toLowerCase();
    const contains = wanted.length >= MIN_CONTAINED && lower.includes(wanted);
    const shared = commonPrefix(wanted, lower);
    // A prefix of two or three letters ("mi" of "missing" and "migration") is chance, not a match.
    const prefix = shared >= Math.min(4, wanted.length) ? shared : 0;
    return { name, prefix, contains, distance: editDistance(wanted, lower) };
  });
  const plausible = scored.filter((s) => s.prefix > 0 || s.contains || s.distance <= Math.max(2, Math.floor(wanted.length / 3)));
  plausible.sort((a, b) => b.prefix - a.prefix || Number(b.contains) - Number(a.contains) || a.distance - b.distance || a.name.localeCompare(b.name));
  return plausible.slice(0, limit).map((s) => s.name);
}

/** Shorter fragments ("id", "app") sit inside too many names to point at one. */
const MIN_CONTAINED = 4;

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}

/** Levenshtein distance, capped in cost by comparing at most 200 characters of each side. */
function editDistance(a0: string, b0: string): number {
  const a = a0.slice(0, 200);
  const b = b0.slice(0, 200);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

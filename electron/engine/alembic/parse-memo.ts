import { parseRevisionSource, type RevisionParseOutcome } from './revision-parser';

/** Reads one revision file's text; null when it cannot be read (the loader records why). */
export type RevisionTextReader = () => string | null;

/**
 * The app reads the migration graph again on every run, and between two runs the files
 * rarely change. A memo keeps each file's parse from the previous load and reuses it when
 * the file's text is exactly the same (compared in full, not by date or size), so a
 * repeated load only reads and compares. It holds one load's files: entries of files
 * that are gone are dropped at the end of the next load.
 *
 * Reused results are frozen: the graph shares them between loads, so nobody may change one.
 */
export class RevisionParseMemo {
  private previous = new Map<string, { text: string; file: string; outcome: RevisionParseOutcome }>();
  private current = new Map<string, { text: string; file: string; outcome: RevisionParseOutcome }>();

  /**
   * parseRevisionSource of the file's text, or the previous load's result for the same path
   * and text; null when the file cannot be read. The memo decides whether to read at all.
   */
  parse(realPath: string, file: string, read: RevisionTextReader): RevisionParseOutcome | null {
    const text = read();
    if (text === null) return null;
    const before = this.previous.get(realPath);
    const outcome = before && before.text === text && before.file === file ? before.outcome : freeze(parseRevisionSource(text, file));
    this.current.set(realPath, { text, file, outcome });
    return outcome;
  }

  /** Ends a load: what it read is what the next load compares with. */
  finishLoad(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}

function freeze(outcome: RevisionParseOutcome): RevisionParseOutcome {
  if (outcome.ok) {
    const revision = outcome.revision;
    for (const list of [revision.downRevisions, revision.dependsOn, revision.branchLabels, revision.creates, revision.references, revision.drops]) {
      if (list) Object.freeze(list);
    }
    for (const reference of revision.references) Object.freeze(reference);
    Object.freeze(revision);
  } else {
    Object.freeze(outcome.failure);
  }
  return Object.freeze(outcome);
}

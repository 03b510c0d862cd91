/**
 * The migration-graph model: what the app knows about an Alembic project without
 * running Python. Parsed statically from the revision files (electron/engine/alembic)
 * and built into a graph by `buildGraph`; every algorithm in shared/graph reads it.
 *
 * Vocabulary follows Alembic's own (alembic/script/revision.py) so that a reader
 * can check our semantics against its source: "down revisions" are the parents a
 * file names in `down_revision`, "dependencies" are `depends_on`, a "head" has no
 * child, a "base" has no down revision.
 */

/** A table named by a revision that must already exist when the revision runs. */
export interface TableReference {
  /** Bare table name (schema dropped, unquoted names folded to lower case as PostgreSQL does). */
  table: string;
  /** 1-based line in the revision file where the name appears. */
  line: number;
  /** 'foreign-key': a ForeignKey / REFERENCES target; 'sql': any other use (ALTER, GRANT, INSERT, index, policy…). */
  kind: 'foreign-key' | 'sql';
}

/** One revision file, as read statically. */
export interface RevisionInfo {
  /** The `revision = '…'` value. */
  id: string;
  /** `down_revision`: empty for a base, two or more for a merge. Order as written (Alembic's order). */
  downRevisions: string[];
  /** `depends_on`: revision ids or branch labels, as written. */
  dependsOn: string[];
  /** `branch_labels` declared by this file (not inherited ones: see MigrationGraph.inheritedLabels). */
  branchLabels: string[];
  /** Alembic's `doc`: the first paragraph of the module docstring, stripped. Empty when there is none. */
  message: string;
  /** `Create Date:` from the docstring, as written (e.g. '2025-11-13 11:21:00'); null when absent. */
  createDate: string | null;
  /** Path of the file relative to the project root, with forward slashes. */
  file: string;
  /** 1-based line of the `revision =` assignment. */
  line?: number;
  /** Tables (and views) this revision's upgrade creates, in order of appearance. */
  creates: string[];
  /** Tables this revision's upgrade needs to exist. */
  references: TableReference[];
  /** Tables this revision's upgrade drops or renames away. */
  drops?: string[];
  /**
   * Set when an attribute is an expression the static reader could not work out and
   * Alembic itself was asked for it: says which attribute and why.
   */
  readByAlembic?: string;
  /**
   * Attributes whose value could not be known (an expression, and no Python to ask):
   * they read as empty here, and a 'parse' error names them.
   */
  unknownAttributes?: string[];
}

/** Something wrong with the project that Alembic itself would stumble on, or that hides a revision from us. */
export interface GraphError {
  kind: 'parse' | 'duplicate-id' | 'duplicate-label' | 'missing-parent' | 'missing-dependency' | 'cycle' | 'ini';
  /** What is wrong and what it means, in the user's words. */
  message: string;
  /** File (relative to the project root) the error is about, when there is one. */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** Revisions involved (the duplicated id, the members of a cycle, the revision naming a missing parent…). */
  revisionIds?: string[];
}

/** Worth telling the user, but Alembic would still work. */
export interface GraphWarning {
  /**
   * 'multiple-heads' / 'multiple-bases': the graph has several; `head` / `base` become ambiguous.
   * 'skipped-file': a .py file in a version folder that is not a revision.
   * 'hidden-from-alembic': revision files in a folder Alembic does not scan (a sub-folder of a
   * version location while `recursive_version_locations` is off, or of the versions folder but
   * not listed in `version_locations`); they are not in the graph, as Alembic does not load them.
   */
  kind: 'multiple-heads' | 'multiple-bases' | 'skipped-file' | 'hidden-from-alembic';
  message: string;
  file?: string;
  revisionIds?: string[];
}

export interface MigrationGraph {
  /** Every revision by id. With duplicate ids the file read last wins, as in Alembic. */
  revisions: Record<string, RevisionInfo>;
  /**
   * Ids in the order the files were read (Alembic's file order: version locations in
   * order, each walked depth first with names sorted). Alembic uses this order to break
   * ties when it sorts an upgrade, so the planners need it.
   */
  loadOrder: string[];
  /**
   * A deterministic topological order (parents and dependencies before children), ties
   * broken by `loadOrder`. Revisions caught in a cycle cannot be ordered and come last.
   */
  order: string[];
  /** id → revisions whose `down_revision` names it (Alembic's `nextrev`), in load order. */
  children: Record<string, string[]>;
  /** id → revisions whose `depends_on` resolves to it, in load order. */
  dependents: Record<string, string[]>;
  /** id → its `depends_on` resolved to revision ids (branch labels replaced by the revision that declares them). */
  dependencies: Record<string, string[]>;
  /**
   * id → the dependencies Alembic actually walks (`_normalized_resolved_dependencies`):
   * `dependencies` minus those already declared by one of the revision's ancestors.
   */
  normalizedDependencies: Record<string, string[]>;
  /** Revisions no `down_revision` names (what `alembic heads` prints), in load order. */
  heads: string[];
  /** Heads that no `depends_on` names either (Alembic's `_real_heads`; `upgrade heads` targets these). */
  realHeads: string[];
  /** Revisions with no `down_revision`, in load order. */
  bases: string[];
  /** Revisions named as `down_revision` by more than one revision. */
  branchPoints: string[];
  /** Revisions with more than one `down_revision`. */
  mergePoints: string[];
  /** Branch label → the revision that declares it. */
  labels: Record<string, string>;
  /**
   * id → every branch label that applies to it, sorted. Alembic (`_add_branches`) gives a
   * label to the declaring revision and all its descendants, and to the ancestors below it
   * down to the nearest branch point or merge point (exclusive) when the chain above it is
   * unbranched. `label@head` and `label@…` resolve through these.
   */
  inheritedLabels: Record<string, string[]>;
  /** Problems that make the graph, or Alembic, unreliable. */
  errors: GraphError[];
  /** Things to tell the user that do not stop Alembic. */
  warnings: GraphWarning[];
}

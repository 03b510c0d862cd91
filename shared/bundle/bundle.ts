import { z } from 'zod';
import { appError, err, ok, type Result } from '../errors/app-error';
import type { GraphError, MigrationGraph } from '../graph/model';
import type { GraphOverlay } from '../graph/overlay';
import type { CiExpectations } from '../parity/ci-expectations';
import type { CiParityRow } from '../parity/ci-vs-local';
import type { PrerequisiteReport } from '../prerequisites/prerequisites';
import type { RunReport, ServerInfo } from '../report/report';
import { runReportSchema, serverSchema } from '../report/report-schema';

/**
 * A diagnostic bundle: one self-contained file that lets support staff see someone
 * else's database as the app saw it — the E1 report and findings, the migration graph
 * with the state overlay, the CI parity matrix, the interpreter check, the last run's
 * gates and log tails, and a snapshot of the server (extensions, roles, grants,
 * settings, alembic_version, a hash of the migration files) that `compare` lines up
 * against another machine's. Every secret is redacted before it is written.
 *
 * Saved as JSON, or as a static HTML page that embeds this same JSON in a
 * `<script type="application/json">` block (data, not code), so either file opens in
 * the app and compares the same.
 */
export const BUNDLE_FORMAT = 'skeldir-rebuild-bundle';
export const BUNDLE_VERSION = 1;
/** id of the JSON data block inside an HTML bundle. */
export const BUNDLE_SCRIPT_ID = 'skeldir-bundle';

/** A revision as the bundle keeps it: enough to draw and explain the graph, no file contents. */
export interface BundleRevision {
  id: string;
  downRevisions: string[];
  /** `depends_on` as written (ids or branch labels). */
  dependsOn: string[];
  /** `depends_on` resolved to revision ids (for drawing the dashed edges). */
  dependencies: string[];
  branchLabels: string[];
  message: string;
  file: string;
}

export interface BundleGraph {
  /** In the graph's topological order. */
  revisions: BundleRevision[];
  heads: string[];
  bases: string[];
  errors: GraphError[];
}

export interface BundlePlan {
  target: string;
  source: 'profile' | 'graph';
  steps: Array<{ target: string; revisions: string[] }>;
}

export interface BundleRole {
  name: string;
  login: boolean;
  superuser: boolean;
  /** Roles this one is a member of, sorted. */
  memberOf: string[];
}

export interface BundleGrant {
  role: string;
  /** "database skeldir_validation", "schema public", "table public.tenants", "sequence public.x_id_seq". */
  object: string;
  /** Privilege names, sorted ("INSERT", "SELECT", …). */
  privileges: string[];
}

/** The machine's facts that two bundles are compared on. */
export interface BundleEnvironment {
  /** e.g. "15.18"; null when the server could not be reached. */
  postgresVersion: string | null;
  /** "name version" of each extension installed in the application database (or postgres when it is missing). */
  extensions: string[];
  /** Every role except PostgreSQL's own pg_* roles. */
  roles: BundleRole[];
  /** Privileges on the application database, its schemas and their tables, views and sequences. */
  grants: BundleGrant[];
  /** Database-level settings of the application database (ALTER DATABASE … SET). */
  databaseSettings: Record<string, string>;
  /** Rows of alembic_version; null when the table (or the database) does not exist. */
  alembicVersion: string[] | null;
  /** sha256 over every revision file's path and bytes; null without a repository. */
  migrationFilesHash: string | null;
  /** Revision file (relative path) → sha256 of its bytes, so compare can name the files that differ. */
  migrationFiles: Record<string, string>;
}

export interface DiagnosticBundle {
  format: typeof BUNDLE_FORMAT;
  version: typeof BUNDLE_VERSION;
  /** ISO time the bundle was made. */
  createdAt: string;
  app: { name: string; version: string };
  /** The profile the diagnosis was made against. */
  profile: { name: string; database: string };
  server: ServerInfo;
  /** The E1 diagnosis made for this bundle (read-only), with its findings. */
  report: RunReport;
  /** The last run the app made before the bundle (gate results, R4's log, R5's output tails); null when none. */
  lastRun: RunReport | null;
  graph: BundleGraph | null;
  overlay: GraphOverlay | null;
  plan: BundlePlan | null;
  /** CI (from the repository's workflows, or the profile) against this machine. */
  parity: CiParityRow[];
  ci: CiExpectations;
  prerequisites: PrerequisiteReport | null;
  environment: BundleEnvironment;
  /** What was redacted, what could not be read. */
  notes: string[];
}

/** The graph as a bundle keeps it. */
export function bundleGraph(graph: MigrationGraph): BundleGraph {
  return {
    revisions: graph.order.map((id) => {
      const r = graph.revisions[id];
      return {
        id: r.id,
        downRevisions: [...r.downRevisions],
        dependsOn: [...r.dependsOn],
        dependencies: [...(graph.dependencies[id] ?? [])],
        branchLabels: [...r.branchLabels],
        message: r.message,
        file: r.file,
      };
    }),
    heads: [...graph.heads],
    bases: [...graph.bases],
    errors: graph.errors.map((e) => ({ ...e })),
  };
}

// ---------------------------------------------------------------------------
// Reading a bundle back (the app's "Open diagnosis…", `compare`)

const strings = z.array(z.string());
// The reports inside are read as any report from outside is: the typed sections checked, older `extras` lifted.
const reportSchema = runReportSchema;
const revisionSchema = z.looseObject({
  id: z.string(),
  downRevisions: strings,
  dependsOn: strings,
  dependencies: strings,
  branchLabels: strings,
  message: z.string(),
  file: z.string(),
});
const parityRowSchema = z.looseObject({
  id: z.string(),
  component: z.string(),
  ci: z.string(),
  local: z.string(),
  status: z.enum(['ok', 'warn', 'error']),
  note: z.string(),
});

export const bundleSchema = z.looseObject({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  createdAt: z.string(),
  app: z.looseObject({ name: z.string(), version: z.string() }),
  profile: z.looseObject({ name: z.string(), database: z.string() }),
  server: serverSchema,
  report: reportSchema,
  lastRun: reportSchema.nullable(),
  graph: z
    .looseObject({
      revisions: z.array(revisionSchema),
      heads: strings,
      bases: strings,
      errors: z.array(z.looseObject({ kind: z.string(), message: z.string() })),
    })
    .nullable(),
  overlay: z.looseObject({ states: z.record(z.string(), z.enum(['current', 'applied', 'pending'])), summary: z.string() }).nullable(),
  plan: z.looseObject({ target: z.string(), steps: z.array(z.looseObject({ target: z.string(), revisions: strings })) }).nullable(),
  parity: z.array(parityRowSchema),
  ci: z.looseObject({ source: z.enum(['workflow', 'profile']), files: strings, roles: strings, migrationSteps: strings, notes: strings }),
  prerequisites: z
    .looseObject({ ok: z.boolean(), checks: z.array(z.looseObject({ id: z.string(), title: z.string(), ok: z.boolean(), detail: z.string() })) })
    .nullable(),
  environment: z.object({
    postgresVersion: z.string().nullable(),
    extensions: strings,
    roles: z.array(z.object({ name: z.string(), login: z.boolean(), superuser: z.boolean(), memberOf: strings })),
    grants: z.array(z.object({ role: z.string(), object: z.string(), privileges: strings })),
    databaseSettings: z.record(z.string(), z.string()),
    alembicVersion: strings.nullable(),
    migrationFilesHash: z.string().nullable(),
    migrationFiles: z.record(z.string(), z.string()),
  }),
  notes: strings,
});

/** Checks a parsed value is a bundle this version can show; `name` is how the user knows the file. */
export function parseBundle(value: unknown, name: string): Result<DiagnosticBundle> {
  if (typeof value === 'object' && value !== null && (value as { format?: unknown }).format !== BUNDLE_FORMAT) {
    return err(
      appError('usage', `${name} is not a Skeldir Rebuild diagnostic bundle.`, {
        remediation: 'Save a diagnosis on the machine in question and open that file.',
        action: 'save-diagnosis',
      }),
    );
  }
  const parsed = bundleSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    const version = (value as { version?: unknown } | null)?.version;
    const newer = typeof version === 'number' && version > BUNDLE_VERSION;
    return err(
      appError(
        'usage',
        newer
          ? `${name} was saved by a newer Skeldir Rebuild (bundle version ${version}).`
          : `${name} is not a valid diagnostic bundle${where}: ${issue?.message ?? 'unknown problem'}.`,
        {
          remediation: newer ? 'Update Skeldir Rebuild to open it.' : 'Save the bundle again; the file may have been edited or cut short.',
        },
      ),
    );
  }
  // The schema checked every field the app, the HTML page and compare read.
  return ok(parsed.data as unknown as DiagnosticBundle);
}

/** A bundle from a file's text: JSON, or an HTML bundle's embedded JSON. */
export function bundleFromText(text: string, name: string): Result<DiagnosticBundle> {
  const trimmed = text.trimStart();
  let json = trimmed;
  if (trimmed.startsWith('<')) {
    const block = new RegExp(`<script[^>]*\\bid="${BUNDLE_SCRIPT_ID}"[^>]*>([\\s\\S]*?)</script>`, 'i').exec(text);
    if (!block)
      return err(
        appError('usage', `${name} is an HTML file without an embedded diagnostic bundle.`, {
          remediation: 'Open the .json or .html file that "Save diagnosis" wrote.',
        }),
      );
    json = block[1];
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return err(
      appError('usage', `${name} is not valid JSON: ${error instanceof Error ? error.message : String(error)}.`, {
        remediation: 'Save the bundle again; the file may have been cut short.',
      }),
    );
  }
  return parseBundle(value, name);
}

/** The JSON for an HTML data block: `<` escaped so no string can close the script element. */
export function embeddableJson(bundle: DiagnosticBundle): string {
  return JSON.stringify(bundle)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

import * as crypto from 'node:crypto';
import { freshSessions } from '../db/run-sessions';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Client } from 'pg';
import {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  bundleGraph,
  type BundleEnvironment,
  type BundleGrant,
  type BundlePlan,
  type BundleRole,
  type DiagnosticBundle,
} from '../../../shared/bundle/bundle';
import type { ConnectionSettings } from '../../../shared/contract/connection';
import type { MigrationGraph } from '../../../shared/graph/model';
import { overlayState } from '../../../shared/graph/overlay';
import { buildPlanView } from '../../../shared/graph/plan-view';
import { ciExpectationsFromProfile } from '../../../shared/parity/ci-expectations';
import { compareCiWithLocal } from '../../../shared/parity/ci-vs-local';
import type { Profile } from '../../../shared/profile/schema';
import type { GateReport, RunReport } from '../../../shared/report/report';
import { readWorkflows } from '../ci/read-workflows';
import { withClient } from '../db/connect';
import { sqlText } from '../db/sql-files';
import { runPipeline } from '../pipeline/run-pipeline';
import { openProject } from '../project/open-project';
import { resourceRoot } from '../resources/resource-root';
import { redactSecrets } from './redact';

/**
 * Builds a diagnostic bundle from a connection, a profile and (optionally) the backend
 * repository. Read-only from end to end: E1 through the one pipeline, a few catalogue
 * queries for the environment snapshot, the workflow files for CI parity. Whatever
 * cannot be read becomes a note in the bundle; the bundle is redacted before it is
 * returned, so nothing downstream ever holds a secret.
 */
export interface CollectBundleRequest {
  settings: ConnectionSettings;
  profile: Profile;
  repoDir?: string;
  pythonFlag?: string;
  /** The last run the front made (the app keeps it); its gates and log tails go into the bundle. */
  lastRun?: RunReport | null;
  /** Defaults to the name and version in package.json. */
  app?: { name: string; version: string };
  /** Extra secrets to redact beyond the profile's and the connection's passwords. */
  extraSecrets?: string[];
  signal?: AbortSignal;
  now?: () => Date;
}

export async function collectBundle(request: CollectBundleRequest): Promise<DiagnosticBundle> {
  const { settings, profile, repoDir } = request;
  const notes: string[] = [];
  const createdAt = (request.now?.() ?? new Date()).toISOString();

  const [report, project] = await Promise.all([
    runPipeline({ command: 'report', gates: ['E1'], settings, profile, repoDir, pythonFlag: request.pythonFlag, signal: request.signal }, () => undefined),
    repoDir ? openProject(repoDir) : Promise.resolve(null),
  ]);
  const graph = project?.ok ? project.value.graph : null;
  if (project && !project.ok) notes.push(`The repository could not be read: ${project.error.message}`);

  const rows = report.database?.alembicVersion ?? [];
  const overlay = graph ? overlayState(graph, rows) : null;
  const planView = graph ? buildPlanView(graph, profile, rows) : null;
  const plan: BundlePlan | null = planView
    ? { target: planView.target, source: planView.source, steps: planView.steps.map((s) => ({ target: s.target, revisions: [...s.revisions] })) }
    : null;
  if (planView?.error) notes.push(`The migration plan could not be made: ${planView.error.message}`);

  const ci = repoDir ? await readWorkflows(repoDir, profile) : ciExpectationsFromProfile(profile, ['No repository was given.']);
  const prerequisites = report.prerequisites ?? null;
  const environment = await readEnvironment(settings, profile, report, graph, repoDir, notes);
  const lastRun = request.lastRun ?? null;
  const parity = compareCiWithLocal(ci, {
    report,
    plan: planView && !planView.error ? planView : null,
    python: repoDir ? (prerequisites?.python ?? null) : undefined,
    // Only when the roles were read: an empty list would make every CI role look missing.
    serverRoles: environment.roles.length ? environment.roles.map((r) => r.name) : undefined,
    platform: process.platform,
    lastValidation: lastValidationOf(lastRun),
    validationSuites: profile.validationSuites,
  });

  const bundle: DiagnosticBundle = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    createdAt,
    app: request.app ?? appIdentity(),
    profile: { name: profile.name, database: profile.database.name },
    server: report.server,
    report,
    lastRun,
    graph: graph ? bundleGraph(graph) : null,
    overlay,
    plan,
    parity,
    ci,
    prerequisites,
    environment,
    notes,
  };
  const redacted = redactSecrets(bundle, {
    secrets: [settings.password, ...profile.roles.map((r) => r.password), ...environmentSecrets(), ...(request.extraSecrets ?? [])],
    publicNames: [settings.superuser, profile.database.name, ...profile.roles.map((r) => r.name), ...environment.roles.map((r) => r.name)],
  });
  return { ...redacted.value, notes: [...redacted.value.notes, ...redacted.notes] };
}

/** R5 of the last run, which a diagnosis does not repeat. */
function lastValidationOf(run: RunReport | null): GateReport | null {
  return run?.gates.find((g) => g.id === 'R5' && g.status !== 'blocked') ?? null;
}

/** Values of password-like environment variables (PGPASSWORD, SKELDIR_SUPERUSER_PASSWORD, …). */
function environmentSecrets(): string[] {
  // Very short values ("1", "yes") are flags, not secrets: searching for them would only mangle the text.
  return Object.entries(process.env)
    .filter(([name, value]) => value !== undefined && value.length >= 6 && /PASSWORD|PASSWD|SECRET|TOKEN/i.test(name))
    .map(([, value]) => value as string);
}

function appIdentity(): { name: string; version: string } {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(resourceRoot(), 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    return { name: typeof pkg.name === 'string' ? pkg.name : 'skeldir-rebuild', version: typeof pkg.version === 'string' ? pkg.version : 'unknown' };
  } catch {
    return { name: 'skeldir-rebuild', version: 'unknown' };
  }
}

async function readEnvironment(
  settings: ConnectionSettings,
  profile: Profile,
  report: RunReport,
  graph: MigrationGraph | null,
  repoDir: string | undefined,
  notes: string[],
): Promise<BundleEnvironment> {
  const database = report.database;
  const hashes = graph && repoDir ? hashMigrationFiles(repoDir, graph, notes) : { total: null, files: {} };
  const environment: BundleEnvironment = {
    postgresVersion: report.server.version,
    extensions: [],
    roles: [],
    grants: [],
    databaseSettings: { ...(database?.guc ?? {}) },
    alembicVersion: database?.exists ? database.alembicVersion : null,
    migrationFilesHash: hashes.total,
    migrationFiles: hashes.files,
  };
  if (!database) {
    notes.push('The server could not be read: extensions, roles and grants are missing from this bundle.');
    return environment;
  }

  const sessions = freshSessions(settings);
  const admin = await withClient(sessions, { database: 'postgres' }, 'reading roles and database privileges', async (client) => {
    const roles = (
      await client.query<{ name: string; login: boolean; superuser: boolean; member_of: string[] }>(sqlText('bundle/select-role-memberships'))
    ).rows.map((r): BundleRole => ({ name: r.name, login: r.login, superuser: r.superuser, memberOf: r.member_of }));
    const grants = (await client.query<{ role: string; privileges: string[] }>(sqlText('bundle/select-database-grants'), [profile.database.name])).rows.map(
      (r): BundleGrant => ({ role: r.role, object: `database ${profile.database.name}`, privileges: r.privileges }),
    );
    const extensions = database.exists ? [] : await readExtensions(client);
    return { roles, grants, extensions };
  });
  if (!admin.ok) {
    notes.push(`Roles could not be read: ${admin.error.message}`);
    return environment;
  }
  environment.roles = admin.value.roles;
  environment.grants = admin.value.grants;
  environment.extensions = admin.value.extensions;
  if (!database.exists) return environment;

  const inside = await withClient(sessions, { database: profile.database.name }, 'reading extensions and grants', async (client) => {
    const schemaGrants = (await client.query<{ schema: string; role: string; privileges: string[] }>(sqlText('bundle/select-schema-grants'))).rows.map(
      (r): BundleGrant => ({ role: r.role, object: `schema ${r.schema}`, privileges: r.privileges }),
    );
    const tableGrants = (
      await client.query<{ schema: string; name: string; kind: string; role: string; privileges: string[] }>(sqlText('bundle/select-table-grants'))
    ).rows.map((r): BundleGrant => ({ role: r.role, object: `${r.kind} ${r.schema}.${r.name}`, privileges: r.privileges }));
    return { extensions: await readExtensions(client), grants: [...schemaGrants, ...tableGrants] };
  });
  if (!inside.ok) {
    notes.push(`The database ${profile.database.name} could not be read for extensions and grants: ${inside.error.message}`);
    return environment;
  }
  environment.extensions = inside.value.extensions;
  environment.grants.push(...inside.value.grants);
  return environment;
}

async function readExtensions(client: Client): Promise<string[]> {
  return (await client.query<{ name: string; version: string }>(sqlText('bundle/select-extensions'))).rows.map((r) => `${r.name} ${r.version}`);
}

/**
 * sha256 of each revision file and one over all of them (path and bytes, sorted by
 * path), the same idea as the template cache key: any edit to a migration changes it.
 */
export function hashMigrationFiles(repoDir: string, graph: MigrationGraph, notes: string[] = []): { total: string | null; files: Record<string, string> } {
  const files: Record<string, string> = {};
  const total = crypto.createHash('sha256');
  const paths = [...new Set(Object.values(graph.revisions).map((r) => r.file))].sort();
  for (const file of paths) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(repoDir, file));
    } catch {
      notes.push(`The migration file ${file} could not be read for the hash.`);
      continue;
    }
    files[file] = crypto.createHash('sha256').update(bytes).digest('hex');
    total.update(`${file}\0${bytes.length}\0`);
    total.update(bytes);
  }
  return { total: paths.length ? total.digest('hex') : null, files };
}

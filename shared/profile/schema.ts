import { z } from 'zod';
import { customGucProblem, identifierProblem } from './identifiers';

/**
 * A profile is the guide's expectations as data: what a correct local database
 * looks like, and how to get there. The default is the Skeldir profile
 * (`skeldir-profile.ts`); a user may load another one from a JSON file.
 */

const identifier = z.string().superRefine((value, ctx) => {
  const problem = identifierProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `"${value}" ${problem}` });
});

const DATABASE_PRIVILEGES = ['CONNECT', 'TEMPORARY', 'CREATE'] as const;
const SCHEMA_PRIVILEGES = ['USAGE', 'CREATE'] as const;
const TABLE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] as const;
const FK_ACTIONS = ['CASCADE', 'RESTRICT', 'NO ACTION', 'SET NULL', 'SET DEFAULT'] as const;

export const roleSchema = z.object({
  /** Role name, e.g. app_user. */
  name: identifier,
  /** Local-development password. Sent to the server pre-hashed (SCRAM), never in clear. */
  password: z.string().min(1, 'must not be empty'),
  /** What the role is for, shown next to it in the app. */
  purpose: z.string().default(''),
});

export const profileSchema = z
  .object({
    /** Shown in the app and reports. */
    name: z.string().min(1),
    /** Lowest PostgreSQL major version the backend supports. */
    minimumServerMajor: z.number().int().min(9),
    database: z.object({
      name: identifier,
      /** Role that owns the database; must be one of `roles`. */
      owner: identifier,
    }),
    /** Roles created by bootstrap, in creation order. */
    roles: z.array(roleSchema).min(1, 'must list at least one role'),
    /** Role the app, Alembic and pytest connect as. Must be one of `roles`. */
    applicationRole: identifier,
    databaseGrants: z.array(z.object({ role: identifier, privileges: z.array(z.enum(DATABASE_PRIVILEGES)).min(1) })),
    schemaGrants: z.array(z.object({ schema: identifier, role: identifier, privileges: z.array(z.enum(SCHEMA_PRIVILEGES)).min(1) })),
    /** Database-level settings (ALTER DATABASE … SET), e.g. the tenant GUC read by RLS policies. */
    gucs: z.array(
      z.object({
        name: z.string().superRefine((value, ctx) => {
          const problem = customGucProblem(value);
          if (problem) ctx.addIssue({ code: 'custom', message: `"${value}" ${problem}` });
        }),
        value: z.string(),
      }),
    ),
    migrations: z.object({
      /** Where `rebuild` upgrades to. */
      target: z.string().min(1),
      /** An explicit ordered plan; wins over the graph-derived plan when present. */
      plan: z.array(z.string().min(1)).optional(),
    }),
    expectedTables: z.array(identifier).min(1),
    /**
     * Table privileges the profile itself requires, on every expected table (or `tables`); VERIFY
     * checks them with the source "profile". The migrations' own grants need no entry here: VERIFY
     * reads them from the revisions.
     */
    tableGrants: z
      .array(
        z.object({
          role: identifier,
          privileges: z.array(z.enum(TABLE_PRIVILEGES)).min(1),
          tables: z.array(identifier).optional(),
        }),
      )
      .default([]),
    expectedForeignKeys: z.array(
      z.object({
        table: identifier,
        column: identifier,
        references: z.object({ table: identifier, column: identifier }),
        onDelete: z.enum(FK_ACTIONS),
        /** Expected constraint name, when the guide names one. */
        name: identifier.optional(),
      }),
    ),
    /** pytest files, relative to the repo root. */
    validationSuites: z.array(z.string().min(1)),
    /** Seconds before a hung pytest suite is ended. */
    validationTimeoutSeconds: z.number().int().positive().default(300),
    /** Seconds R4 may go without progress from PostgreSQL (a lock held by another client, a server that does not answer) before its run is ended. */
    migrationNoProgressSeconds: z.number().int().positive().default(120),
    /**
     * Template cache: how many verified templates of this profile's database to keep (the
     * newest; older ones are dropped when a new one is made). Each is a full copy of the
     * database, so more templates cost disk space and save a cold rebuild when switching
     * back and forth between branches.
     */
    templatesKept: z
      .number()
      .int()
      .min(1, 'must keep at least 1 template (to rebuild without one, run that rebuild without the template cache, or clear the cache)')
      .max(20, 'keeps at most 20 templates (each one is a full copy of the database)')
      .default(2),
    /**
     * Safety snapshots are never deleted unasked, so E1 warns (with their total size and
     * the prune command) once there are more than this many of the profile's database…
     */
    snapshotsWarnAbove: z.number().int().min(0).max(1000).default(5),
    /** …or once together they take more than this share of the free space left on the server's data disk (checked when the server runs on this machine). */
    snapshotsWarnDiskShare: z.number().gt(0).max(1).default(0.25),
    ci: z.object({
      postgresMajor: z.number().int(),
      postgresImage: z.string().optional(),
      testPlatform: z.string().default('ubuntu-latest'),
    }),
  })
  .superRefine(
    (profile, ctx) => {
      // Runs even when other fields are invalid (see `when` below), so the value may be
      // partial: every access is guarded, and a field that is itself invalid is skipped.
      const value = profile as unknown as Record<string, unknown>;
      const list = (field: unknown): Record<string, unknown>[] =>
        Array.isArray(field) ? field.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null) : [];
      const roles = list(value.roles)
        .map((role) => role.name)
        .filter((name): name is string => typeof name === 'string');
      const roleNames = new Set(roles);
      const mustBeRole = (name: unknown, path: (string | number)[]) => {
        if (typeof name !== 'string' || roleNames.size === 0 || roleNames.has(name)) return;
        ctx.addIssue({ code: 'custom', path, message: `"${name}" is not one of the profile's roles (${[...roleNames].join(', ')})` });
      };
      const database = typeof value.database === 'object' && value.database !== null ? (value.database as Record<string, unknown>) : {};
      mustBeRole(database.owner, ['database', 'owner']);
      mustBeRole(value.applicationRole, ['applicationRole']);
      list(value.databaseGrants).forEach((grant, i) => mustBeRole(grant.role, ['databaseGrants', i, 'role']));
      list(value.schemaGrants).forEach((grant, i) => mustBeRole(grant.role, ['schemaGrants', i, 'role']));
      list(value.tableGrants).forEach((grant, i) => mustBeRole(grant.role, ['tableGrants', i, 'role']));
      const seen = new Set<string>();
      (Array.isArray(value.roles) ? (value.roles as unknown[]) : []).forEach((role, i) => {
        const name = typeof role === 'object' && role !== null ? (role as Record<string, unknown>).name : undefined;
        if (typeof name !== 'string') return;
        if (seen.has(name)) ctx.addIssue({ code: 'custom', path: ['roles', i, 'name'], message: `role "${name}" is listed twice` });
        seen.add(name);
      });
    },
    // Zod skips object refinements once a field failed; run anyway, so a user fixes the file in one pass.
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );

export type Profile = z.infer<typeof profileSchema>;
export type ProfileInput = z.input<typeof profileSchema>;
export type ProfileRole = Profile['roles'][number];
export type ExpectedForeignKey = Profile['expectedForeignKeys'][number];

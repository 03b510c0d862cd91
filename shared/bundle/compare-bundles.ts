import type { BundleEnvironment, DiagnosticBundle } from './bundle';

/**
 * Two machines side by side: every difference between two bundles in what decides
 * whether the backend works — PostgreSQL version, extensions, roles and their
 * memberships, grants, database-level settings, tables, alembic_version, the
 * migration files, and what each side's diagnosis found. Typically a developer's broken machine against a colleague's
 * working one, or against CI. Pure; `a`/`b` are null where one side lacks the item.
 */
export type CompareArea =
  'postgres' | 'extensions' | 'roles' | 'memberships' | 'grants' | 'database-settings' | 'tables' | 'alembic-version' | 'migration-files' | 'findings';

export interface BundleDifference {
  area: CompareArea;
  /** What differs: an extension, a role, "app_rw on table public.tenants", a setting, a file. */
  item: string;
  /** A's value; null when A does not have the item. */
  a: string | null;
  b: string | null;
}

export const AREA_TITLES: Record<CompareArea, string> = {
  postgres: 'PostgreSQL',
  extensions: 'Extensions',
  roles: 'Roles',
  memberships: 'Role memberships',
  grants: 'Grants',
  'database-settings': 'Database settings',
  tables: 'Tables',
  'alembic-version': 'alembic_version',
  'migration-files': 'Migration files',
  findings: 'Findings',
};

/** Every area the comparison looks at, in one sentence: what "no differences" covers, and nothing more. */
export function comparedAreas(): string {
  const titles = Object.values(AREA_TITLES).map((t) => t.toLowerCase().replace('postgresql', 'PostgreSQL version'));
  return `${titles.slice(0, -1).join(', ')} and ${titles[titles.length - 1]}`;
}

export function compareBundles(a: DiagnosticBundle, b: DiagnosticBundle): BundleDifference[] {
  const ea = a.environment;
  const eb = b.environment;
  return [
    ...postgres(a, b),
    ...keyed('extensions', extensionMap(ea), extensionMap(eb)),
    ...keyed('roles', roleMap(ea), roleMap(eb)),
    ...keyed('memberships', membershipMap(ea), membershipMap(eb)),
    ...keyed('grants', grantMap(ea), grantMap(eb)),
    ...keyed('database-settings', new Map(Object.entries(ea.databaseSettings)), new Map(Object.entries(eb.databaseSettings))),
    ...keyed('tables', tableMap(a), tableMap(b)),
    ...alembicVersion(ea, eb),
    ...migrationFiles(ea, eb),
    ...keyed('findings', findingMap(a), findingMap(b)),
  ];
}

function postgres(a: DiagnosticBundle, b: DiagnosticBundle): BundleDifference[] {
  const va = a.environment.postgresVersion;
  const vb = b.environment.postgresVersion;
  if (va === vb) return [];
  return [{ area: 'postgres', item: 'version', a: va, b: vb }];
}

/** One row per key present on one side only or with different values, keys sorted. */
function keyed(area: CompareArea, a: Map<string, string>, b: Map<string, string>): BundleDifference[] {
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: BundleDifference[] = [];
  for (const key of keys) {
    const va = a.get(key) ?? null;
    const vb = b.get(key) ?? null;
    if (va !== vb) out.push({ area, item: key, a: va, b: vb });
  }
  return out;
}

function extensionMap(env: BundleEnvironment): Map<string, string> {
  return new Map(
    env.extensions.map((entry) => {
      const space = entry.indexOf(' ');
      return space < 0 ? [entry, 'installed'] : [entry.slice(0, space), entry.slice(space + 1)];
    }),
  );
}

function roleMap(env: BundleEnvironment): Map<string, string> {
  return new Map(env.roles.map((r) => [r.name, [r.login ? 'login' : 'no login', r.superuser ? 'superuser' : ''].filter(Boolean).join(', ')]));
}

function membershipMap(env: BundleEnvironment): Map<string, string> {
  const out = new Map<string, string>();
  for (const role of env.roles) for (const group of role.memberOf) out.set(`${role.name} member of ${group}`, 'yes');
  return out;
}

function grantMap(env: BundleEnvironment): Map<string, string> {
  const out = new Map<string, string>();
  for (const grant of env.grants) {
    const key = `${grant.role} on ${grant.object}`;
    const previous = out.get(key);
    const privileges = [...new Set([...(previous ? previous.split(', ') : []), ...grant.privileges])].sort();
    out.set(key, privileges.join(', '));
  }
  return out;
}

/** Tables of the application database, from the E1 report (absent when the database is). */
function tableMap(bundle: DiagnosticBundle): Map<string, string> {
  const db = bundle.report.database;
  return new Map((db?.exists ? db.tables : []).map((t) => [t, 'present']));
}

/** What each side's diagnosis found, by finding id: its severity and the first line of its evidence. */
function findingMap(bundle: DiagnosticBundle): Map<string, string> {
  const out = new Map<string, string>();
  for (const finding of bundle.report.findings) {
    const first = finding.evidence.split('\n')[0];
    const evidence = first.length > 160 ? `${first.slice(0, 159)}\u2026` : first;
    const value = `${finding.severity}: ${evidence}`;
    const previous = out.get(finding.id);
    out.set(finding.id, previous ? `${previous}; ${evidence}` : value);
  }
  return out;
}

function alembicVersion(a: BundleEnvironment, b: BundleEnvironment): BundleDifference[] {
  const show = (rows: string[] | null) => (rows === null ? 'no table' : rows.length ? [...rows].sort().join(', ') : 'empty');
  const va = show(a.alembicVersion);
  const vb = show(b.alembicVersion);
  return va === vb ? [] : [{ area: 'alembic-version', item: 'rows', a: va, b: vb }];
}

function migrationFiles(a: BundleEnvironment, b: BundleEnvironment): BundleDifference[] {
  if (a.migrationFilesHash === b.migrationFilesHash) return [];
  const short = (hash: string | null | undefined) => (hash ? hash.slice(0, 12) : null);
  const out: BundleDifference[] = [{ area: 'migration-files', item: 'hash of all migration files', a: a.migrationFilesHash, b: b.migrationFilesHash }];
  // Name the files, when both sides know them; otherwise the hash row says it all.
  if (Object.keys(a.migrationFiles).length && Object.keys(b.migrationFiles).length) {
    const files = [...new Set([...Object.keys(a.migrationFiles), ...Object.keys(b.migrationFiles)])].sort();
    for (const file of files) {
      const ha = a.migrationFiles[file];
      const hb = b.migrationFiles[file];
      if (ha !== hb) out.push({ area: 'migration-files', item: file, a: short(ha), b: short(hb) });
    }
  }
  return out;
}

/** The differences as a plain-text table for the terminal. */
export function differencesTable(differences: BundleDifference[], labelA: string, labelB: string): string {
  const header = ['AREA', 'ITEM', labelA, labelB];
  const rows = differences.map((d) => [AREA_TITLES[d.area], d.item, d.a ?? '(absent)', d.b ?? '(absent)']);
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i].length))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.length > widths[i] ? `${cell.slice(0, widths[i] - 1)}\u2026` : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

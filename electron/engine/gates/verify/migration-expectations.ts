import type { Guard, MigrationStatement, RelationName } from './migration-sql-reader';

/**
 * What the revisions of a plan leave behind, replayed in upgrade order against what the
 * database holds now: which role holds (or was refused) which privilege on which
 * relation, where row-level security is on and which policies apply, each with the revision
 * file that decided it. Pure: the catalog comes in as data.
 */
export interface ExpectationSource {
  revision: string;
  /** The revision's file, relative to the repository (forward slashes). */
  file: string;
}

export interface RevisionStatements extends ExpectationSource {
  /** null: the revision's SQL could not be known offline (why). */
  statements: MigrationStatement[] | null;
  unknownReason?: string;
}

/** What the server holds now, as far as the replay needs it. */
export interface CatalogView {
  roles: ReadonlySet<string>;
  /** Relations of the schemas the statements name, by their current names. */
  relations: { schema: string; name: string; type: 'table' | 'sequence' }[];
}

export interface PrivilegeExpectation {
  schema: string;
  /** The relation's name after every rename the revisions make. */
  relation: string;
  objectType: 'table' | 'sequence';
  role: string;
  privilege: string;
  /** true: the role must hold it; false: the revisions revoked it. */
  held: boolean;
  source: ExpectationSource;
}

export interface RowSecurityExpectation {
  schema: string;
  relation: string;
  enabled: boolean;
  /** null: the revisions never said (FORCE is not checked then). */
  forced: boolean | null;
  source: ExpectationSource;
}

/** A policy the revisions leave on a table, by the names both have after every rename. */
export interface PolicyExpectation {
  schema: string;
  relation: string;
  name: string;
  /** What follows `ON table` in its CREATE; null once an ALTER POLICY changed it (it can no longer be made again as written). */
  definition: string | null;
  source: ExpectationSource;
}

export interface NotChecked {
  what: string;
  why: string;
  source: ExpectationSource;
}

export interface MigrationExpectations {
  privileges: PrivilegeExpectation[];
  rowSecurity: RowSecurityExpectation[];
  policies: PolicyExpectation[];
  notChecked: NotChecked[];
}

const ALL_PRIVILEGES: Record<'table' | 'sequence', string[]> = {
  table: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'],
  sequence: ['USAGE', 'SELECT', 'UPDATE'],
};

const key = (r: RelationName) => `${r.schema}\u0000${r.name}`;

export function replayExpectations(revisions: RevisionStatements[], catalog: CatalogView): MigrationExpectations {
  // relation key → role → privilege → expectation (the latest statement wins).
  const privileges = new Map<string, { relation: RelationName; objectType: 'table' | 'sequence'; roles: Map<string, Map<string, PrivilegeExpectation>> }>();
  const rowSecurity = new Map<string, RowSecurityExpectation>();
  // relation key → policy name → expectation.
  const policies = new Map<string, Map<string, PolicyExpectation>>();
  const notChecked: NotChecked[] = [];
  // Relations the SQL creates, by the name they are created with: ALL … IN SCHEMA covers a
  // catalog relation only if it is not created later in the upgrade.
  const createdAt = new Map<string, number>();
  const known = new Map<string, RelationName & { type: 'table' | 'sequence' }>();
  let position = 0;
  revisions.forEach((revision) =>
    (revision.statements ?? []).forEach((s) => {
      position++;
      if (s.kind === 'create' && !createdAt.has(key(s.relation))) createdAt.set(key(s.relation), position);
      // A rename's new name appears then, too.
      if (s.kind === 'rename' && !createdAt.has(key({ schema: s.from.schema, name: s.to })))
        createdAt.set(key({ schema: s.from.schema, name: s.to }), position);
    }),
  );
  // A sequence the SQL never creates by name is a serial column's (<table>_<column>_seq): it appears with its table.
  const appearsAt = (r: RelationName): number => {
    const direct = createdAt.get(key(r));
    if (direct !== undefined) return direct;
    let best = 0;
    for (const [k, at] of createdAt) {
      const [schema, table] = k.split('\u0000');
      if (schema === r.schema && r.name.startsWith(`${table}_`) && r.name.endsWith('_seq')) best = Math.max(best, at);
    }
    return best;
  };

  const entryFor = (relation: RelationName, objectType: 'table' | 'sequence') => {
    let entry = privileges.get(key(relation));
    if (!entry) {
      entry = { relation, objectType, roles: new Map() };
      privileges.set(key(relation), entry);
    }
    return entry;
  };

  // A relation dropped, or created anew: what the revisions set on its old self no longer applies.
  const forget = (relation: RelationName) => {
    privileges.delete(key(relation));
    rowSecurity.delete(key(relation));
    policies.delete(key(relation));
  };

  // Whether a statement of a DO block ran: its role conditions held in this catalog. One under a
  // condition the reader cannot evaluate is said as not checked, never guessed.
  const ranUnder = (statement: Guard & { text: string }, source: ExpectationSource): boolean => {
    if (statement.unknownCondition !== null) {
      notChecked.push({ what: statement.text.slice(0, 160), why: `conditional: ${statement.unknownCondition.slice(0, 80)}`, source });
      return false;
    }
    return !statement.conditions || statement.conditions.every((c) => catalog.roles.has(c.role) === c.exists);
  };

  position = 0;
  for (const revision of revisions) {
    const source: ExpectationSource = { revision: revision.revision, file: revision.file };
    if (!revision.statements) {
      notChecked.push({ what: `revision ${revision.revision}`, why: revision.unknownReason ?? 'its SQL is not known offline', source });
      continue;
    }
    for (const statement of revision.statements) {
      position++;
      switch (statement.kind) {
        case 'note':
          notChecked.push({ what: statement.text.slice(0, 120), why: statement.reason, source });
          break;
        case 'create': {
          const type = statement.relationType === 'sequence' ? 'sequence' : 'table';
          known.set(key(statement.relation), { ...statement.relation, type });
          // A new relation starts with the owner's privileges only; CREATE OR REPLACE VIEW keeps them.
          if (statement.replaces) forget(statement.relation);
          break;
        }
        case 'drop':
          for (const relation of statement.relations) {
            forget(relation);
            known.delete(key(relation));
          }
          break;
        case 'rename': {
          const to: RelationName = { schema: statement.from.schema, name: statement.to };
          const moved = privileges.get(key(statement.from));
          privileges.delete(key(statement.from));
          if (moved) {
            moved.relation = to;
            for (const byPrivilege of moved.roles.values()) for (const e of byPrivilege.values()) e.relation = to.name;
            privileges.set(key(to), moved);
          }
          const rls = rowSecurity.get(key(statement.from));
          rowSecurity.delete(key(statement.from));
          if (rls) rowSecurity.set(key(to), { ...rls, relation: to.name });
          const onTable = policies.get(key(statement.from));
          policies.delete(key(statement.from));
          if (onTable) policies.set(key(to), new Map([...onTable].map(([name, e]) => [name, { ...e, relation: to.name }])));
          const was = known.get(key(statement.from));
          known.delete(key(statement.from));
          known.set(key(to), { ...to, type: was?.type ?? 'table' });
          break;
        }
        case 'policy': {
          if (!ranUnder(statement, source)) break;
          const onTable = policies.get(key(statement.relation)) ?? new Map<string, PolicyExpectation>();
          policies.set(key(statement.relation), onTable);
          const was = onTable.get(statement.name);
          if (statement.action === 'create') {
            const { schema, name: relation } = statement.relation;
            onTable.set(statement.name, { schema, relation, name: statement.name, definition: statement.definition, source });
          } else if (statement.action === 'drop') onTable.delete(statement.name);
          else if (was && statement.action === 'rename') {
            onTable.delete(statement.name);
            onTable.set(statement.to, { ...was, name: statement.to, source });
          } else if (was) onTable.set(statement.name, { ...was, definition: null, source });
          break;
        }
        case 'row-security': {
          if (!ranUnder(statement, source)) break;
          const current = rowSecurity.get(key(statement.relation)) ?? {
            schema: statement.relation.schema,
            relation: statement.relation.name,
            enabled: false,
            forced: null,
            source,
          };
          const next = { ...current, source };
          if (statement.action === 'enable') next.enabled = true;
          if (statement.action === 'disable') next.enabled = false;
          if (statement.action === 'force') next.forced = true;
          if (statement.action === 'no-force') next.forced = false;
          rowSecurity.set(key(statement.relation), next);
          break;
        }
        case 'grant':
        case 'revoke': {
          if (!ranUnder(statement, source)) break;
          const type = statement.objects.objectType;
          let relations: RelationName[];
          if (statement.objects.kind === 'relations') relations = statement.objects.relations;
          else {
            const schema = statement.objects.schema;
            const here = position;
            const fromSql = [...known.values()].filter((r) => r.schema === schema && r.type === type);
            // Tables come from the SQL alone (a table the plan did not create, e.g. the user's own, was
            // not there when the revision ran); a serial column's sequence is in the catalog only.
            const implicit =
              type === 'sequence'
                ? catalog.relations.filter(
                    (r) => r.schema === schema && r.type === type && !createdAt.has(key(r)) && !known.has(key(r)) && appearsAt(r) > 0 && appearsAt(r) <= here,
                  )
                : [];
            relations = [...fromSql, ...implicit];
          }
          const names = statement.privileges.flatMap((p) => (p === 'ALL' ? ALL_PRIVILEGES[type] : [p]));
          for (const relation of relations) {
            const entry = entryFor(relation, type);
            for (const grantee of statement.grantees) {
              let byPrivilege = entry.roles.get(grantee);
              if (!byPrivilege) {
                byPrivilege = new Map();
                entry.roles.set(grantee, byPrivilege);
              }
              for (const privilege of names) {
                byPrivilege.set(privilege, {
                  schema: relation.schema,
                  relation: relation.name,
                  objectType: type,
                  role: grantee,
                  privilege,
                  held: statement.kind === 'grant',
                  source,
                });
              }
            }
          }
          break;
        }
      }
    }
  }
  const out: PrivilegeExpectation[] = [];
  for (const entry of privileges.values()) for (const byPrivilege of entry.roles.values()) out.push(...byPrivilege.values());
  const policyList = [...policies.values()].flatMap((onTable) => [...onTable.values()]);
  return { privileges: out, rowSecurity: [...rowSecurity.values()], policies: policyList, notChecked };
}

/** The role names the statements' conditions ask about (the catalog must say which exist). */
export function rolesAskedAbout(revisions: RevisionStatements[]): string[] {
  const names = new Set<string>();
  for (const revision of revisions)
    for (const s of revision.statements ?? []) if ('conditions' in s && s.conditions) for (const c of s.conditions) names.add(c.role);
  return [...names].sort();
}

/** The schemas the statements touch (the catalog view lists their relations). */
export function schemasNamed(revisions: RevisionStatements[]): string[] {
  const names = new Set<string>(['public']);
  for (const revision of revisions) {
    for (const s of revision.statements ?? []) {
      if ((s.kind === 'grant' || s.kind === 'revoke') && s.objects.kind === 'all-in-schema') names.add(s.objects.schema);
      if ((s.kind === 'grant' || s.kind === 'revoke') && s.objects.kind === 'relations') for (const r of s.objects.relations) names.add(r.schema);
      if (s.kind === 'row-security' || s.kind === 'policy') names.add(s.relation.schema);
    }
  }
  return [...names].sort();
}

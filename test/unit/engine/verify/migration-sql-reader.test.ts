import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMigrationSql, relationName, roleCondition, splitByRevision, splitStatements } from '../../../../electron/engine/gates/verify/migration-sql-reader';
import {
  replayExpectations,
  rolesAskedAbout,
  type CatalogView,
  type RevisionStatements,
} from '../../../../electron/engine/gates/verify/migration-expectations';

const catalog = (roles: string[], relations: CatalogView['relations'] = []): CatalogView => ({ roles: new Set(roles), relations });
const revision = (id: string, sql: string): RevisionStatements => ({ revision: id, file: `alembic/versions/${id}_x.py`, statements: readMigrationSql(sql) });
const held = (e: ReturnType<typeof replayExpectations>) =>
  e.privileges
    .filter((p) => p.held)
    .map((p) => `${p.role}:${p.privilege}:${p.relation}`)
    .sort();

describe('splitByRevision', () => {
  it('splits at the markers, keeps merge sources, drops what precedes the first', () => {
    const sql = [
      'BEGIN;',
      'CREATE TABLE alembic_version (v VARCHAR(32));',
      '-- Running upgrade  -> a1',
      'CREATE TABLE t (id int);',
      '',
      '-- Running upgrade a1, b1 -> m1',
      'DELETE FROM alembic_version;',
      'COMMIT;',
    ].join('\n');
    const parts = splitByRevision(sql);
    expect(parts.map((p) => [p.from, p.to])).toEqual([
      [[], 'a1'],
      [['a1', 'b1'], 'm1'],
    ]);
    expect(parts[0].sql).toContain('CREATE TABLE t');
    expect(parts[0].sql).not.toContain('alembic_version');
  });
});

describe('splitStatements', () => {
  it('ignores semicolons in strings, quoted names, dollar quotes and comments; ;; leaves no empty statement', () => {
    const sql = `COMMENT ON TABLE t IS 'a; b';; -- x; y\nSELECT "we;ird" FROM t;\nDO $body$ BEGIN PERFORM 1; END $body$;;\n/* c; /* nested; */ d; */ SELECT $1;`;
    expect(splitStatements(sql)).toEqual([`COMMENT ON TABLE t IS 'a; b'`, `SELECT "we;ird" FROM t`, 'DO $body$ BEGIN PERFORM 1; END $body$', 'SELECT $1']);
  });

  it('property: statements joined with any number of semicolons and blank space split back into the same statements', () => {
    const word = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
    const literal = fc.string({ maxLength: 12 }).map((s) => `'${s.replace(/'/g, "''")}'`);
    const statement = fc.array(fc.oneof(word, literal), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(' '));
    const separator = fc.array(fc.constantFrom(';', ' ;', ';\n', ';;', '; \n;'), { minLength: 1, maxLength: 3 }).map((s) => s.join(''));
    fc.assert(
      fc.property(fc.array(fc.tuple(statement, separator), { minLength: 1, maxLength: 8 }), (items) => {
        const sql = items.map(([s, sep]) => `${s}${sep}`).join('\n');
        expect(splitStatements(sql)).toEqual(items.map(([s]) => s.trim()));
      }),
    );
  });
});

describe('names', () => {
  it('with or without public., quoted or not', () => {
    expect(relationName('attribution_events')).toEqual({ schema: 'public', name: 'attribution_events' });
    expect(relationName('public.Attribution_Events')).toEqual({ schema: 'public', name: 'attribution_events' });
    expect(relationName('"public"."Odd.Name"')).toEqual({ schema: 'public', name: 'Odd.Name' });
    expect(relationName('other.t')).toEqual({ schema: 'other', name: 't' });
  });

  it('property: a quoted name comes back exactly as written', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ minLength: 1, maxLength: 20 }), (schema, name) => {
        const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
        expect(relationName(`${quote(schema)}.${quote(name)}`)).toEqual({ schema, name });
      }),
    );
  });
});

describe('readMigrationSql', () => {
  it('reads GRANT / REVOKE on tables and sequences, ALL, lists of objects and grantees; ignores the rest', () => {
    const read = readMigrationSql(`
      GRANT SELECT, INSERT ON TABLE public.a, b TO app_rw, "App Ro";
      GRANT ALL PRIVILEGES ON c TO app_rw WITH GRANT OPTION;
      GRANT USAGE, SELECT ON SEQUENCE s1 TO app_user;
      REVOKE ALL ON TABLE a FROM PUBLIC;
      REVOKE GRANT OPTION FOR SELECT ON a FROM app_rw;
      GRANT app_ro TO app_rw;
      GRANT USAGE ON SCHEMA public TO app_rw;
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO app_rw;
      GRANT SELECT (id) ON a TO app_ro;`);
    expect(read.map((s) => s.kind)).toEqual(['grant', 'grant', 'grant', 'revoke', 'note']);
    const first = read[0];
    expect(first.kind === 'grant' && first).toMatchObject({
      privileges: ['SELECT', 'INSERT'],
      objects: {
        kind: 'relations',
        objectType: 'table',
        relations: [
          { schema: 'public', name: 'a' },
          { schema: 'public', name: 'b' },
        ],
      },
      grantees: ['app_rw', 'App Ro'],
      conditions: null,
    });
    expect(read[1].kind === 'grant' && read[1].privileges).toEqual(['ALL']);
    expect(read[2].kind === 'grant' && read[2].objects).toEqual({ kind: 'relations', objectType: 'sequence', relations: [{ schema: 'public', name: 's1' }] });
    expect(read[3].kind === 'revoke' && read[3].grantees).toEqual(['PUBLIC']);
  });

  it('evaluates nothing but recognises the DO $$ … IF EXISTS (SELECT … FROM pg_roles …) THEN GRANT … $$ condition', () => {
    const read = readMigrationSql(`DO $$
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_user') THEN
                GRANT SELECT ON TABLE public.kombu_queue TO app_user;
                GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO app_user;
            END IF;
        END
        $$;;`);
    expect(read).toHaveLength(2);
    expect(read[0]).toMatchObject({ kind: 'grant', conditions: [{ role: 'app_user', exists: true }], unknownCondition: null });
    expect(read[1]).toMatchObject({ kind: 'grant', objects: { kind: 'all-in-schema', objectType: 'sequence', schema: 'public' } });
  });

  it('marks grants under any other condition as not evaluable, and stops at exception handlers', () => {
    const read = readMigrationSql(`DO $$ BEGIN
      IF (SELECT count(*) FROM t) > 0 THEN GRANT SELECT ON t TO app_rw; END IF;
      GRANT SELECT ON u TO app_ro;
    EXCEPTION WHEN duplicate_object THEN GRANT SELECT ON v TO app_ro;
    END $$;`);
    expect(read).toHaveLength(2);
    expect(read[0]).toMatchObject({ kind: 'grant', unknownCondition: '(SELECT count(*) FROM t) > 0' });
    expect(read[1]).toMatchObject({ kind: 'grant', conditions: null, unknownCondition: null });
  });

  it('says what it does not follow: loops with dynamic GRANTs, default privileges', () => {
    const read =
      readMigrationSql(`DO $$ DECLARE t text; BEGIN FOR t IN SELECT tablename FROM pg_tables LOOP EXECUTE format('GRANT SELECT ON %I TO app_ro', t); END LOOP; END $$;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO app_ro;`);
    expect(read.map((s) => s.kind === 'note' && s.reason)).toEqual([
      'a DO block statement the reader does not follow',
      'default privileges (for tables created later) are not checked',
    ]);
  });

  it('reads role conditions, negated and qualified', () => {
    expect(roleCondition("NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'o''brien')")).toEqual({ role: "o'brien", exists: false });
    expect(roleCondition("EXISTS (SELECT 1 FROM pg_class WHERE relname = 'x')")).toBeNull();
  });

  it('reads row-level security (several actions), renames, drops and creations', () => {
    const read = readMigrationSql(`
      ALTER TABLE ONLY public.a ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      ALTER TABLE IF EXISTS a RENAME TO b;
      ALTER TABLE b RENAME COLUMN x TO y;
      ALTER INDEX ix_a RENAME TO ix_b;
      DROP TABLE IF EXISTS c, public.d CASCADE;
      CREATE TABLE IF NOT EXISTS e (id int);
      CREATE MATERIALIZED VIEW mv AS SELECT 1;
      CREATE SEQUENCE public.s;`);
    expect(read.map((s) => s.kind)).toEqual(['row-security', 'row-security', 'rename', 'drop', 'create', 'create', 'create']);
    expect(read[2]).toMatchObject({ from: { schema: 'public', name: 'a' }, to: 'b' });
    expect(read[3]).toMatchObject({ relations: [{ name: 'c' }, { name: 'd' }] });
    expect(read[4]).toMatchObject({ relationType: 'table', replaces: false });
  });
});

describe('replayExpectations', () => {
  it('evaluates the role condition against the catalog', () => {
    const sql = `DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_user') THEN GRANT SELECT ON t TO app_user; END IF; END $$;`;
    expect(held(replayExpectations([revision('r1', `CREATE TABLE t (id int);${sql}`)], catalog(['app_user'])))).toEqual(['app_user:SELECT:t']);
    expect(held(replayExpectations([revision('r1', `CREATE TABLE t (id int);${sql}`)], catalog([])))).toEqual([]);
  });

  it('reports a grant under an unknown condition as not checked (conditional)', () => {
    const out = replayExpectations(
      [revision('r1', `DO $$ BEGIN IF now() > '2020-01-01' THEN GRANT SELECT ON t TO app_ro; END IF; END $$;`)],
      catalog(['app_ro']),
    );
    expect(out.privileges).toEqual([]);
    expect(out.notChecked[0].why).toMatch(/^conditional: /);
    expect(out.notChecked[0].source.file).toBe('alembic/versions/r1_x.py');
  });

  it('REVOKE from the owner takes effect; the latest statement wins; each expectation names its revision file', () => {
    const out = replayExpectations(
      [
        revision('r1', 'CREATE TABLE jobs (id int); GRANT SELECT, INSERT, UPDATE, DELETE ON jobs TO app_user;'),
        revision('r2', 'REVOKE DELETE ON jobs FROM app_user; GRANT ALL ON jobs TO app_ro; REVOKE INSERT ON jobs FROM app_ro;'),
      ],
      catalog([]),
    );
    const find = (role: string, privilege: string) => out.privileges.find((p) => p.role === role && p.privilege === privilege);
    expect(find('app_user', 'DELETE')).toMatchObject({ held: false, source: { revision: 'r2', file: 'alembic/versions/r2_x.py' } });
    expect(find('app_user', 'SELECT')).toMatchObject({ held: true, source: { revision: 'r1' } });
    expect(find('app_ro', 'TRUNCATE')?.held).toBe(true);
    expect(find('app_ro', 'INSERT')?.held).toBe(false);
  });

  it('follows renames and drops; a re-created table starts without the old grants', () => {
    const out = replayExpectations(
      [
        revision(
          'r1',
          'CREATE TABLE old_name (id int); GRANT SELECT ON old_name TO app_rw; ALTER TABLE old_name ENABLE ROW LEVEL SECURITY; CREATE TABLE gone (id int); GRANT SELECT ON gone TO app_rw; ALTER TABLE gone ENABLE ROW LEVEL SECURITY;',
        ),
        revision(
          'r2',
          'ALTER TABLE public.old_name RENAME TO new_name; DROP TABLE gone; CREATE TABLE again (id int); GRANT SELECT ON again TO app_ro; DROP TABLE again; CREATE TABLE again (id int);',
        ),
      ],
      catalog([]),
    );
    expect(held(out)).toEqual(['app_rw:SELECT:new_name']);
    expect(out.rowSecurity.map((r) => [r.relation, r.enabled])).toEqual([['new_name', true]]);
    expect(out.rowSecurity[0].source.revision).toBe('r1');
  });

  it('follows policies: the definition after ON, with the table\u2019s renames, DROP POLICY, ALTER POLICY … RENAME, and an ALTER that changes the definition', () => {
    const out = replayExpectations(
      [
        revision(
          'r1',
          [
            'CREATE TABLE celery_task_failures (id int, tenant_id uuid);',
            "CREATE POLICY tenant_isolation_policy ON celery_task_failures FOR ALL TO app_user USING (tenant_id IS NULL OR tenant_id::text = current_setting('app.current_tenant_id', true));",
            'CREATE TABLE t (id int); CREATE POLICY "Odd One" ON public.t USING (true); CREATE POLICY dropped ON t USING (true); CREATE POLICY later ON t USING (true);',
            "DO $$ BEGIN IF current_setting('x') = 'y' THEN CREATE POLICY maybe ON t USING (true); END IF; END $$;",
          ].join('\n'),
        ),
        revision(
          'r2',
          'ALTER TABLE celery_task_failures RENAME TO worker_failed_jobs; DROP POLICY IF EXISTS dropped ON t; ALTER POLICY "Odd One" ON t RENAME TO renamed; ALTER POLICY later ON t USING (false);',
        ),
      ],
      catalog([]),
    );
    expect(out.policies.map((p) => [p.relation, p.name, p.definition, p.source.revision]).sort()).toEqual([
      ['t', 'later', null, 'r2'],
      ['t', 'renamed', 'USING (true)', 'r2'],
      [
        'worker_failed_jobs',
        'tenant_isolation_policy',
        "FOR ALL TO app_user USING (tenant_id IS NULL OR tenant_id::text = current_setting('app.current_tenant_id', true))",
        'r1',
      ],
    ]);
    // A policy under a condition the reader cannot evaluate is said, not guessed.
    expect(out.notChecked.map((n) => n.why)).toEqual([expect.stringContaining('conditional')]);
  });

  it('keeps a policy\u2019s definition as written: spaces inside its literals and its line breaks', () => {
    const [statement] = readMigrationSql("CREATE POLICY p ON t\n  USING (note <> 'two  spaces')\n  WITH CHECK (true);");
    expect(statement).toMatchObject({ kind: 'policy', action: 'create', name: 'p', definition: "USING (note <> 'two  spaces')\n  WITH CHECK (true)" });
    // The same inside a DO block, after its IF … THEN.
    const [inBlock] = readMigrationSql(
      "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_user') THEN\n  CREATE POLICY q ON t TO app_user\n    USING (note <> 'two  spaces');\nEND IF; END $$;",
    );
    expect(inBlock).toMatchObject({
      kind: 'policy',
      name: 'q',
      definition: "TO app_user\n    USING (note <> 'two  spaces')",
      conditions: [{ role: 'app_user', exists: true }],
    });
  });

  it('a CREATE POLICY guarded by "IF NOT EXISTS (… pg_policies …)" for that same policy counts: the policy exists after it either way', () => {
    const guarded = (condition: string) =>
      replayExpectations(
        [revision('r1', `CREATE TABLE jobs (id int); DO $$ BEGIN IF ${condition} THEN CREATE POLICY tenant_jobs ON jobs USING (true); END IF; END $$;`)],
        catalog([]),
      );
    const same = guarded("NOT EXISTS (SELECT 1 FROM pg_policies WHERE tablename = 'jobs' AND policyname = 'tenant_jobs')");
    expect(same.policies.map((p) => [p.relation, p.name, p.definition])).toEqual([['jobs', 'tenant_jobs', 'USING (true)']]);
    expect(same.notChecked).toEqual([]);
    // Another policy's name, another table, or another test: not this idiom, so not checked.
    for (const other of [
      "NOT EXISTS (SELECT 1 FROM pg_policies WHERE policyname = 'other')",
      "NOT EXISTS (SELECT 1 FROM pg_policies WHERE tablename = 'other' AND policyname = 'tenant_jobs')",
      "EXISTS (SELECT 1 FROM pg_policies WHERE policyname = 'tenant_jobs')",
    ]) {
      const out = guarded(other);
      expect(out.policies, other).toEqual([]);
      expect(
        out.notChecked.map((n) => n.why),
        other,
      ).toEqual([expect.stringMatching(/^conditional: /)]);
    }
  });

  it('row-level security and policies under a role condition count when the role exists, as grants do', () => {
    const sql = [
      'CREATE TABLE jobs (id int, tenant_id uuid);',
      "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_user') THEN",
      '  ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;',
      "  CREATE POLICY tenant_jobs ON jobs TO app_user USING (tenant_id::text = current_setting('app.current_tenant_id', true));",
      'END IF; END $$;',
    ].join('\n');
    const withRole = replayExpectations([revision('r1', sql)], catalog(['app_user']));
    expect(withRole.rowSecurity.map((r) => [r.relation, r.enabled])).toEqual([['jobs', true]]);
    expect(withRole.policies.map((p) => [p.relation, p.name])).toEqual([['jobs', 'tenant_jobs']]);
    expect(withRole.notChecked).toEqual([]);
    // Without the role the block did nothing: nothing is expected, and nothing is "not checked" either.
    const withoutRole = replayExpectations([revision('r1', sql)], catalog([]));
    expect([withoutRole.rowSecurity, withoutRole.policies, withoutRole.notChecked]).toEqual([[], [], []]);
    expect(rolesAskedAbout([revision('r1', sql)])).toEqual(['app_user']);
  });

  it('expands ALL TABLES / SEQUENCES IN SCHEMA: tables the SQL created so far, serial sequences from the catalog; nothing that appears later or that the plan never made', () => {
    const relations: CatalogView['relations'] = [
      { schema: 'public', name: 'q', type: 'table' },
      { schema: 'public', name: 'users_own_table', type: 'table' },
      { schema: 'public', name: 'users_own_sequence', type: 'sequence' },
      { schema: 'public', name: 'q_id_seq', type: 'sequence' },
      { schema: 'public', name: 'later', type: 'table' },
      { schema: 'public', name: 'later_id_seq', type: 'sequence' },
      { schema: 'public', name: 'made_in_do', type: 'sequence' },
    ];
    const out = replayExpectations(
      [
        revision('r1', 'CREATE TABLE public.q (id SERIAL NOT NULL);'),
        revision('r2', 'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO app_user; GRANT SELECT ON ALL TABLES IN SCHEMA public TO app_ro;'),
        revision(
          'r3',
          `CREATE TABLE later (id SERIAL); DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'made_in_do') THEN CREATE SEQUENCE made_in_do; END IF; END $$;`,
        ),
      ],
      catalog([], relations),
    );
    expect(held(out)).toEqual(['app_ro:SELECT:q', 'app_user:USAGE:q_id_seq']);
  });

  it('property: any sequence of GRANT / REVOKE and renames ends as a simple model says (the latest statement per privilege wins, under the last name)', () => {
    const privilege = fc.constantFrom('SELECT', 'INSERT', 'UPDATE', 'DELETE');
    const op = fc.oneof(
      fc.record({
        kind: fc.constantFrom('GRANT', 'REVOKE'),
        privileges: fc.uniqueArray(privilege, { minLength: 1, maxLength: 4 }),
        qualified: fc.boolean(),
        quoted: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('RENAME' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        let name = 't0';
        const model = new Map<string, boolean>();
        const sql = ['CREATE TABLE t0 (id int);'];
        ops.forEach((o, i) => {
          if (o.kind === 'RENAME') {
            const next = `t${i + 1}`;
            sql.push(`ALTER TABLE ${name} RENAME TO ${next};;`);
            name = next;
            return;
          }
          const table = `${o.qualified ? 'public.' : ''}${o.quoted ? `"${name}"` : name.toUpperCase()}`;
          sql.push(
            o.kind === 'GRANT' ? `GRANT ${o.privileges.join(', ')} ON ${table} TO app_rw;` : `REVOKE ${o.privileges.join(', ')} ON TABLE ${table} FROM app_rw;`,
          );
          for (const p of o.privileges) model.set(p, o.kind === 'GRANT');
        });
        const out = replayExpectations([revision('r1', sql.join('\n'))], catalog([]));
        expect(out.privileges.map((p) => `${p.relation}:${p.privilege}:${p.held}`).sort()).toEqual([...model].map(([p, h]) => `${name}:${p}:${h}`).sort());
      }),
    );
  });

  it('a revision whose SQL is not known offline is not checked, never failed', () => {
    const out = replayExpectations(
      [{ revision: 'r9', file: 'v/r9.py', statements: null, unknownReason: 'offline mode stopped: NotImplementedError' }],
      catalog([]),
    );
    expect(out.privileges).toEqual([]);
    expect(out.notChecked).toEqual([{ what: 'revision r9', why: 'offline mode stopped: NotImplementedError', source: { revision: 'r9', file: 'v/r9.py' } }]);
  });
});

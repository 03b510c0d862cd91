import { describe, it, expect } from 'vitest';
import { tokenizePython } from '../../../../electron/engine/alembic/python-tokens';
import { scanTables } from '../../../../electron/engine/alembic/table-scan';

const scan = (src: string) => scanTables(tokenizePython(src));
const refs = (src: string) => scan(src).references.map((r) => `${r.table}:${r.line}:${r.kind}`);

describe('scanTables: created tables', () => {
  it('reads op.create_table with either quote, over several lines', () => {
    const s = scan(`def upgrade():\n    op.create_table('tenants', sa.Column('id'))\n    op.create_table(\n        "attribution_events",\n    )\n`);
    expect(s.creates).toEqual(['tenants', 'attribution_events']);
  });

  it('reads CREATE TABLE in SQL text: IF NOT EXISTS, schema-qualified, quoted, views', () => {
    const s = scan(`def upgrade():
    op.execute("""
        CREATE TABLE IF NOT EXISTS public.kombu_queue (id serial);
        create unlogged table "Kombu_Message" (id int);
        CREATE MATERIALIZED VIEW mv_daily AS SELECT 1;
    """)
`);
    expect(s.creates).toEqual(['kombu_queue', 'Kombu_Message', 'mv_daily']);
  });

  it('treats a rename as creating the new name and dropping the old one', () => {
    const s = scan(`def upgrade():\n    op.execute("ALTER TABLE worker_dlq RENAME TO worker_failed_jobs")\n    op.rename_table('a', 'b')\n`);
    expect(s.creates).toEqual(['worker_failed_jobs', 'b']);
    expect(s.drops).toEqual(['worker_dlq', 'a']);
    expect(refs(`def upgrade():\n    op.execute("ALTER TABLE worker_dlq RENAME TO worker_failed_jobs")\n`)).toEqual(['worker_dlq:2:sql']);
  });

  it('records drops, needing the table unless IF EXISTS', () => {
    const s = scan(`def upgrade():\n    op.drop_table('old')\n    op.execute("DROP TABLE IF EXISTS gone, other")\n`);
    expect(s.drops).toEqual(['old', 'gone', 'other']);
    expect(s.references.map((r) => r.table)).toEqual(['old']);
  });
});

describe('scanTables: referenced tables, with lines', () => {
  it('reads ForeignKey, ForeignKeyConstraint and create_foreign_key', () => {
    expect(
      refs(`def upgrade():
    op.create_table('jobs',
        sa.Column('tenant_id', sa.ForeignKey('tenants.id')),
        sa.ForeignKeyConstraint(['event_id'], ['public.attribution_events.id']),
    )
    op.create_foreign_key('fk', 'jobs', "accounts", ['a'], ['id'])
`),
    ).toEqual(['tenants:3:foreign-key', 'attribution_events:4:foreign-key', 'jobs:6:sql', 'accounts:6:foreign-key']);
  });

  it('reads REFERENCES in SQL on the line where it appears', () => {
    expect(
      refs(`def upgrade():
    op.execute(
        """
        CREATE TABLE attribution_recompute_jobs (
            tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE
        )
        """
    )
`),
    ).toEqual(['tenants:5:foreign-key']);
  });

  it('reads ALTER, GRANT, POLICY, INSERT, INDEX and op.create_index as sql references', () => {
    expect(
      refs(`def upgrade():
    op.execute("ALTER TABLE tenants ENABLE ROW LEVEL SECURITY")
    op.execute("GRANT SELECT, INSERT ON TABLE tenants, public.attribution_events TO app_rw")
    op.execute("CREATE POLICY tenant_isolation ON attribution_allocations USING (true)")
    op.execute("INSERT INTO kombu_queue (name) VALUES ('default')")
    op.execute("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_a ON ONLY worker_failed_jobs (id)")
    op.create_index('ix_b', 'celery_taskmeta', ['task_id'])
    op.add_column('tenants', sa.Column('x', sa.Integer()))
`),
    ).toEqual([
      'tenants:2:sql',
      'tenants:3:sql',
      'attribution_events:3:sql',
      'attribution_allocations:4:sql',
      'kombu_queue:5:sql',
      'worker_failed_jobs:6:sql',
      'celery_taskmeta:7:sql',
      'tenants:8:sql',
    ]);
  });

  it('does not take schemas, functions or EXTRACT fields for tables', () => {
    expect(
      refs(`def upgrade():
    op.execute("GRANT USAGE ON SCHEMA public TO app_user")
    op.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO app_ro")
    op.execute("SELECT EXTRACT(EPOCH FROM created_at) FROM generate_series(1, 3)")
    op.execute("SELECT count(*) FROM attribution_events e JOIN tenants t ON t.id = e.tenant_id")
`),
    ).toEqual(['attribution_events:5:sql', 'tenants:5:sql']);
  });

  it('ignores FROM in strings without SELECT, f-string placeholders and batch_op calls', () => {
    expect(
      refs(`def upgrade():
    log("moving rows from tenants")
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    with op.batch_alter_table('kombu_message') as batch_op:
        batch_op.add_column(sa.Column('visible', sa.Boolean()))
`),
    ).toEqual(['kombu_message:4:sql']);
  });
});

describe('scanTables: what it does not read', () => {
  it('skips downgrade functions and docstrings', () => {
    const s = scan(`"""Create table for tenants.

CREATE TABLE not_real (id int)
"""
def upgrade():
    """Create table for jobs."""
    op.create_table('jobs')

def downgrade():
    op.create_table('restored')
    op.execute("CREATE TABLE restored_too (id int)")

async def downgrade_engine2():
    op.create_table('also_ignored')
`);
    expect(s.creates).toEqual(['jobs']);
    expect(s.references).toEqual([]);
  });

  it('reads helpers outside downgrade and ignores other receivers', () => {
    const s = scan(`def _make():\n    op.create_table('helper_made')\n\ndef upgrade():\n    _make()\n    other.create_table('x')\n`);
    expect(s.creates).toEqual(['helper_made']);
  });
});

import { profileSchema, type Profile } from './schema';

/**
 * The guide's expectations (shared/spec/local-db-rebuild-guide.md) as the default profile.
 * Passwords are the guide's local-development ones; they protect nothing but a
 * loopback database, and are still never logged or sent in clear.
 */
export const SKELDIR_PROFILE: Profile = profileSchema.parse({
  name: 'Skeldir (B0.5.3.2 local parity)',
  minimumServerMajor: 15,
  database: { name: 'skeldir_validation', owner: 'app_user' },
  roles: [
    { name: 'app_user', password: 'app_user', purpose: 'application role: owns the database, runs migrations and tests' },
    { name: 'app_rw', password: 'app_rw', purpose: 'read-write role granted by the migrations' },
    { name: 'app_ro', password: 'app_ro', purpose: 'read-only role granted by the migrations' },
  ],
  applicationRole: 'app_user',
  databaseGrants: [
    { role: 'app_user', privileges: ['CONNECT', 'TEMPORARY', 'CREATE'] },
    { role: 'app_rw', privileges: ['CONNECT', 'TEMPORARY'] },
    { role: 'app_ro', privileges: ['CONNECT'] },
  ],
  schemaGrants: [
    { schema: 'public', role: 'app_user', privileges: ['USAGE', 'CREATE'] },
    { schema: 'public', role: 'app_rw', privileges: ['USAGE'] },
    { schema: 'public', role: 'app_ro', privileges: ['USAGE'] },
  ],
  gucs: [{ name: 'app.current_tenant_id', value: '00000000-0000-0000-0000-000000000000' }],
  migrations: { target: 'skeldir_foundation@head', plan: ['202511131121', 'skeldir_foundation@head'] },
  expectedTables: ['tenants', 'attribution_events', 'attribution_allocations', 'attribution_recompute_jobs', 'kombu_queue', 'worker_failed_jobs'],
  expectedForeignKeys: [
    {
      table: 'attribution_recompute_jobs',
      column: 'tenant_id',
      references: { table: 'tenants', column: 'id' },
      onDelete: 'CASCADE',
      name: 'attribution_recompute_jobs_tenant_id_fkey',
    },
  ],
  validationSuites: ['backend/tests/test_b0532_window_idempotency.py', 'backend/tests/test_b052_queue_topology_and_dlq.py'],
  validationTimeoutSeconds: 300,
  ci: { postgresMajor: 15, postgresImage: 'postgres:15-alpine', testPlatform: 'ubuntu-latest' },
});

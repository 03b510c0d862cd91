/**
 * The environment a child process (Alembic, pytest) gets: ours minus every secret
 * the tool itself was given, plus what the child needs. The superuser password must
 * not reach a process that only needs the application role.
 */
const SECRETS = ['SKELDIR_SUPERUSER_PASSWORD', 'PGPASSWORD', 'DATABASE_URL', 'PGSERVICEFILE', 'PGPASSFILE'];

export function childEnvironment(extra: Record<string, string>, base: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...base };
  // Windows environment names are case-insensitive: "PgPassword" is the same variable.
  for (const name of Object.keys(env)) if (SECRETS.includes(name.toUpperCase())) delete env[name];
  return { ...env, ...extra };
}

/** The keys of `env` that are the variable `name`: on Windows in any case ("PgAppName" is PGAPPNAME), elsewhere exactly. */
export function variableKeys(env: Record<string, string | undefined>, name: string, platform: NodeJS.Platform): string[] {
  return Object.keys(env).filter((key) => (platform === 'win32' ? key.toUpperCase() === name : key === name));
}

/**
 * How the engine reaches PostgreSQL. The password travels only inside the engine
 * (and to child processes through their environment); reports show `redactUrl`.
 */
export interface ConnectionSettings {
  host: string;
  port: number;
  superuser: string;
  /** Never logged, never in a report, never sent back to the renderer. */
  password: string;
  /** True when this is the bundled PostgreSQL the app started. */
  embedded: boolean;
}

/** postgresql://user:***@host:port/db — the only form a connection string is ever shown in. */
export function redactedUrl(user: string, host: string, port: number, database: string): string {
  return `postgresql://${encodeURIComponent(user)}:***@${formatHost(host)}:${port}/${encodeURIComponent(database)}`;
}

export function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Replaces the password part of every postgresql:// URL in a text with ***. */
export function redactConnectionStrings(text: string): string {
  return text.replace(/(postgres(?:ql)?(?:\+\w+)?:\/\/[^:/@\s]+:)[^@\s]*@/gi, '$1***@');
}

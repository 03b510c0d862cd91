/**
 * Names of a database's copies: `<db>__<tag>_<suffix>` (tpl, spare, trash, snap). The
 * database part is shortened so the whole name fits PostgreSQL's 63-byte limit
 * (profile names are validated ASCII identifiers, so characters are bytes).
 */
export function copyPrefix(database: string, tag: string, suffixLength: number): string {
  const separator = `__${tag}_`;
  return `${database.slice(0, 63 - separator.length - suffixLength)}${separator}`;
}

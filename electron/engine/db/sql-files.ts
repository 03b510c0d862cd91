/**
 * SQL lives in sql/<gate>/<verb-noun>.sql, one statement per file, read once into a
 * frozen map. Identifiers and literals go through pg-format (%I, %L); values through
 * $n parameters. Nothing else builds SQL.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import format from 'pg-format';
import { resourceRoot } from '../resources/resource-root';

/** Every statement by name ('e1/select-roles'), read on first use: the files do not change while the process runs. */
let files: Readonly<Record<string, string>> | undefined;

function loadAll(): Readonly<Record<string, string>> {
  const root = path.join(resourceRoot(), 'sql');
  const map: Record<string, string> = {};
  for (const gate of fs.readdirSync(root, { withFileTypes: true })) {
    if (!gate.isDirectory()) continue;
    for (const file of fs.readdirSync(path.join(root, gate.name))) {
      if (!file.endsWith('.sql')) continue;
      const text = fs.readFileSync(path.join(root, gate.name, file), 'utf8');
      map[`${gate.name}/${file.slice(0, -4)}`] = stripComments(text).trim().replace(/;\s*$/, '');
    }
  }
  return Object.freeze(map);
}

/** Drops `--` comment lines so files can explain themselves without reaching the server. */
function stripComments(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
}

/** The statement in sql/<name>.sql, e.g. sqlText('e1/select-roles'). */
export function sqlText(name: string): string {
  files ??= loadAll();
  const text = files[name];
  if (text === undefined) throw new Error(`No SQL file sql/${name}.sql (a packaging error, not a user error).`);
  return text;
}

/** The statement with its %I / %L / %s placeholders filled by pg-format. */
export function sqlFormat(name: string, ...values: unknown[]): string {
  return format(sqlText(name), ...(values as string[]));
}

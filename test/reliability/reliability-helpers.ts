import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConnectionSettings } from '../../shared/contract/connection';
import { openClient } from '../../electron/engine/db/connect';

/**
 * Small tools the reliability tests share: extra revisions appended to a copy of the
 * sample project (slow, crashing, hanging), a look at /proc for processes left behind,
 * and one-off superuser queries for "what is really on the server" assertions.
 */

/** The sample project's head; extra revisions go on top of it. */
export const SAMPLE_HEAD = '202512151400';

/** Appends a revision on top of `downRevision` whose upgrade() body is `body` (Python lines, indented 4). */
export function addRevision(repo: string, id: string, downRevision: string, body: string[], slug = 'extra'): string {
  const file = path.join(repo, 'alembic', 'versions', '007_skeldir_foundation', `${id}_${slug}.py`);
  fs.writeFileSync(
    file,
    [
      `"""${slug} (reliability test only)`,
      '',
      `Revision ID: ${id}`,
      `Revises: ${downRevision}`,
      'Create Date: 2025-12-16 00:00:00',
      '"""',
      'import os',
      'import sys',
      'import time',
      '',
      'from alembic import op',
      '',
      `revision = "${id}"`,
      `down_revision = "${downRevision}"`,
      'branch_labels = None',
      'depends_on = None',
      '',
      '',
      'def upgrade():',
      ...body.map((line) => `    ${line}`),
      '',
      '',
      'def downgrade():',
      '    pass',
      '',
    ].join('\n'),
  );
  return file;
}

/** PIDs of live (non-zombie) processes whose command line contains `text`. */
export function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (state !== 'Z' && state !== 'X') pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}


/** Runs statements as the superuser and returns the last one's rows. */
export async function adminQuery<T extends Record<string, unknown> = Record<string, unknown>>(
  settings: ConnectionSettings,
  sql: string | string[],
  params: unknown[] = [],
  database = 'postgres',
): Promise<T[]> {
  const client = await openClient(settings, { database });
  if (!client.ok) throw new Error(client.error.message);
  try {
    let rows: T[] = [];
    for (const statement of Array.isArray(sql) ? sql : [sql]) rows = (await client.value.query<T>(statement, Array.isArray(sql) ? [] : params)).rows;
    return rows;
  } finally {
    await client.value.end();
  }
}

/** Removes the databases and roles of the Skeldir profile, so a test starts from nothing. */
export async function resetSkeldir(settings: ConnectionSettings): Promise<void> {
  await adminQuery(settings, [
    'DROP DATABASE IF EXISTS skeldir_validation WITH (FORCE)',
    'DROP ROLE IF EXISTS app_user',
    'DROP ROLE IF EXISTS app_rw',
    'DROP ROLE IF EXISTS app_ro',
  ]);
}

export async function waitFor(condition: () => boolean | Promise<boolean>, withinMs: number, pollMs = 100): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return condition();
}

/** Whether a process still runs (zombies count as gone). */
export { processAlive as isAlive } from '../../electron/engine/platform/process-alive';

import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir } from './temp-dir';

/** The committed sample projects, and throwaway copies tests may change. */
export const FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures');
export const SKELDIR_FOUNDATION = path.join(FIXTURES_DIR, 'skeldir-foundation');
export const LARGE_300 = path.join(FIXTURES_DIR, 'large-300');

/** A copy of a fixture in a temp folder, removed after the test file (optionally under a path with spaces and non-ASCII characters). */
export function copyFixture(source: string, folderName = path.basename(source)): string {
  const root = makeTempDir('skeldir-fixture-');
  fs.chmodSync(root, 0o755);
  const target = path.join(root, folderName);
  fs.cpSync(source, target, { recursive: true, filter: (src) => !src.includes('__pycache__') && !src.includes('.pytest_cache') });
  return target;
}

/** The sample project's head; extra revisions go on top of it. */
export const SAMPLE_HEAD = '202512151400';

/** Appends a revision on top of `downRevision` whose upgrade() body is `body` (Python lines, indented 4). */
export function addRevision(repo: string, id: string, downRevision: string, body: string[], slug = 'extra'): string {
  const file = path.join(repo, 'alembic', 'versions', '007_skeldir_foundation', `${id}_${slug}.py`);
  fs.writeFileSync(
    file,
    [
      `"""${slug} (test only)`,
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

import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir } from './temp-dir';

/**
 * A large, many-headed Alembic project written to a temp folder, for the graph view's
 * scale tests and the bench: a trunk with merge diamonds, dozens of branches forking off
 * it (some labelled, some from a base of their own), each ending in a head, and many
 * cross-branch depends_on. Deterministic (fixed seed): the same call writes the same files.
 */
export interface GeneratedProject {
  dir: string;
  revisions: number;
  heads: string[];
  /** The trunk's head, and a labelled branch's head: sensible upgrade targets. */
  trunkHead: string;
  labelledHead: string;
  labelledBranch: string;
}

interface Rev {
  id: string;
  down: string[];
  labels: string[];
  depends: string[];
  message: string;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function writeGeneratedProject(options: { revisions?: number; heads?: number; seed?: number } = {}): GeneratedProject {
  const total = options.revisions ?? 400;
  const headCount = options.heads ?? 38;
  const random = mulberry32(options.seed ?? 38);
  const used = new Set<string>();
  const newId = () => {
    for (;;) {
      const id = Array.from({ length: 12 }, () => Math.floor(random() * 16).toString(16)).join('');
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  };
  const revs: Rev[] = [];
  const add = (down: string[], message: string, extra: Partial<Rev> = {}): Rev => {
    const rev: Rev = { id: newId(), down, labels: [], depends: [], message, ...extra };
    revs.push(rev);
    return rev;
  };

  // The trunk: a base, then a merge diamond (a 3-revision side chain merged back) every 20 revisions.
  const branches = headCount - 1;
  const trunkLength = Math.max(20, Math.round(total / 4));
  const trunk: string[] = [add([], 'trunk base').id];
  while (trunk.length < trunkLength) {
    const tip = trunk[trunk.length - 1];
    if (trunk.length % 20 === 10) {
      let side = tip;
      for (let i = 0; i < 3; i++) side = add([side], `trunk side ${trunk.length}.${i}`).id;
      let main = tip;
      for (let i = 0; i < 3; i++) {
        main = add([main], `trunk ${trunk.length}`).id;
        trunk.push(main);
      }
      trunk.push(add([main, side], `merge trunk ${trunk.length}`).id);
    } else trunk.push(add([tip], `trunk ${trunk.length}`).id);
  }
  const labelled: { label: string; head: string }[] = [];
  const heads: string[] = [];
  // The branches share what is left, each at least 2 revisions long.
  let left = total - revs.length;
  for (let b = 0; b < branches; b++) {
    const remaining = branches - b;
    const length = b === branches - 1 ? left : Math.max(2, Math.min(left - 2 * (remaining - 1), Math.round((left / remaining) * (0.4 + random() * 1.2))));
    left -= length;
    // Every ninth branch starts from a base of its own; the others fork off the trunk.
    const forkAt = Math.floor(random() * (trunk.length - 1));
    const own = b % 9 === 4;
    const label = b % 3 === 0 ? `feature_${b}` : null;
    let tip: string | null = own ? null : trunk[forkAt];
    for (let i = 0; i < length; i++) {
      const extra: Partial<Rev> = {};
      if (i === 0 && label) extra.labels = [label];
      // About half the branches need a table from earlier on the trunk: depends_on, as in real projects.
      if (i === 1 && b % 2 === 1) extra.depends = [trunk[Math.floor(random() * Math.max(1, forkAt))]];
      tip = add(tip ? [tip] : [], `branch ${b} step ${i}`, extra).id;
    }
    heads.push(tip as string);
    if (label) labelled.push({ label, head: tip as string });
  }

  const dir = makeTempDir('skeldir-generated-');
  fs.chmodSync(dir, 0o755);
  const versions = path.join(dir, 'alembic', 'versions');
  fs.mkdirSync(versions, { recursive: true });
  fs.writeFileSync(path.join(dir, 'alembic.ini'), '[alembic]\nscript_location = alembic\nsqlalchemy.url =\n');
  fs.writeFileSync(path.join(dir, 'alembic', 'env.py'), '# Generated for tests: the graph is read statically, never run.\n');
  fs.writeFileSync(path.join(dir, 'alembic', 'script.py.mako'), '');
  const tuple = (items: string[]) => (items.length === 0 ? 'None' : items.length === 1 ? `'${items[0]}'` : `(${items.map((i) => `'${i}'`).join(', ')})`);
  revs.forEach((rev, index) => {
    const minutes = index * 37;
    const date = new Date(Date.UTC(2024, 0, 1) + minutes * 60_000).toISOString().replace('T', ' ').slice(0, 19);
    const table = `t_${rev.id}`;
    fs.writeFileSync(
      path.join(versions, `${rev.id}_${rev.message.replace(/[^a-z0-9]+/gi, '_')}.py`),
      [
        `"""${rev.message}`,
        '',
        `Revision ID: ${rev.id}`,
        `Revises: ${rev.down.join(', ')}`,
        `Create Date: ${date}`,
        '"""',
        'from alembic import op',
        'import sqlalchemy as sa',
        '',
        `revision = '${rev.id}'`,
        `down_revision = ${tuple(rev.down)}`,
        `branch_labels = ${rev.labels.length ? `(${rev.labels.map((l) => `'${l}'`).join(', ')},)` : 'None'}`,
        `depends_on = ${rev.depends.length ? `(${rev.depends.map((d) => `'${d}'`).join(', ')},)` : 'None'}`,
        '',
        '',
        'def upgrade():',
        rev.down.length > 1 ? '    pass' : `    op.create_table('${table}', sa.Column('id', sa.Integer, primary_key=True))`,
        '',
        '',
        'def downgrade():',
        rev.down.length > 1 ? '    pass' : `    op.drop_table('${table}')`,
        '',
      ].join('\n'),
    );
  });
  const pick = labelled[Math.floor(labelled.length / 2)] ?? { label: '', head: heads[0] };
  return {
    dir,
    revisions: revs.length,
    heads: [trunk[trunk.length - 1], ...heads],
    trunkHead: trunk[trunk.length - 1],
    labelledHead: pick.head,
    labelledBranch: pick.label,
  };
}

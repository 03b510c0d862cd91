import { appError, err, ok, type Result } from '../errors/app-error';
import { profileSchema, type Profile } from './schema';

/**
 * Validates a parsed JSON value as a profile. Every bad field is named by its
 * path ("roles[1].name: …") so a user can fix the file in one pass.
 */
export function validateProfile(value: unknown, source = 'profile'): Result<Profile> {
  const parsed = profileSchema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  const lines = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  return err(
    appError('profile-invalid', `The ${source} has ${lines.length} invalid field${lines.length === 1 ? '' : 's'}.`, {
      detail: lines.join('\n'),
      remediation: 'Fix the fields listed above in the profile file, or leave the file out to use the default Skeldir profile.',
      action: 'choose-profile',
    }),
  );
}

export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(the profile itself)';
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

import { appError, err, ok, type Result } from '../errors/app-error';
import { closestAmong } from '../graph/closest-names';
import { profileSchema, type Profile } from './schema';

/**
 * Validates a parsed JSON value as a profile. Every bad field is named by its
 * path ("roles[1].name: …") so a user can fix the file in one pass.
 */
export function validateProfile(value: unknown, source = 'profile'): Result<Profile> {
  const parsed = profileSchema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  const lines = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const unknown = unknownFields(value);
  return err(
    appError('profile-invalid', `The ${source} has ${lines.length} invalid field${lines.length === 1 ? '' : 's'}.`, {
      detail: [...lines, ...unknown].join('\n'),
      // The alternatives (another file, or none for the default) are the action's to word, per front.
      remediation: 'Fix the fields listed above in the profile file.',
      action: 'choose-profile',
    }),
  );
}

export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(the profile itself)';
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

/**
 * Top-level fields the profile does not know, which are otherwise ignored: a typo there
 * ("expectedTabels") is what made a required field "missing", so each is named with the
 * field it was probably meant to be.
 */
function unknownFields(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const known = Object.keys(profileSchema.shape);
  return Object.keys(value)
    .filter((key) => !known.includes(key) && !key.startsWith('$'))
    .map((key) => {
      const meant = closestAmong(known, key, 1)[0];
      return `${key}: not a field of a profile, ignored${meant ? ` (did you mean ${meant}?)` : ''}`;
    });
}

import * as fs from 'node:fs';
import { appError, err, type Result } from '../../../shared/errors/app-error';
import type { Profile } from '../../../shared/profile/schema';
import { SKELDIR_PROFILE } from '../../../shared/profile/skeldir-profile';
import { validateProfile } from '../../../shared/profile/validate-profile';

/** The default Skeldir profile, or a user's JSON profile file, validated field by field. */
export function loadProfile(file: string | undefined): Result<Profile> {
  if (!file) return { ok: true, value: SKELDIR_PROFILE };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return err(
      appError('profile-unreadable', `Cannot read the profile file ${file}${code === 'ENOENT' ? ': it does not exist' : ` (${code ?? String(error)})`}.`, {
        remediation: 'Check the profile file\u2019s path, or leave it out to use the default Skeldir profile.',
        action: 'choose-profile',
      }),
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return err(
      appError('profile-invalid', `The profile file ${file} is not valid JSON.`, {
        detail: error instanceof Error ? error.message : String(error),
        remediation: 'Fix the JSON syntax (a trailing comma or a missing quote is the usual cause).',
      }),
    );
  }
  return validateProfile(value, `profile file ${file}`);
}

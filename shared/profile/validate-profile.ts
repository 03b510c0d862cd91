import { z } from 'zod';
import { appError, err, ok, type Result } from '../errors/app-error';
import { closestAmong } from '../graph/closest-names';
import { profileSchema, type Profile } from './schema';

/**
 * Validates a parsed JSON value as a profile. Every bad field is named by its
 * path ("roles[1].name: …") so a user can fix the file in one pass. A field the profile
 * does not know is refused too: left silently ignored, a typo in an optional field
 * ("validationTimeoutSecond", "migrations.plans") would quietly run with the default.
 */
export function validateProfile(value: unknown, source = 'profile'): Result<Profile> {
  const parsed = profileSchema.safeParse(value);
  const unknown = unknownFields(value, profileSchema, []);
  if (parsed.success && unknown.length === 0) return ok(parsed.data);
  const lines = [...(parsed.success ? [] : parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`)), ...unknown];
  return err(
    appError('profile-invalid', `The ${source} has ${lines.length} invalid field${lines.length === 1 ? '' : 's'}.`, {
      detail: lines.join('\n'),
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
 * Fields the profile does not know, at any depth, each named with the field of the same
 * object it was probably meant to be. Keys starting with "$" ("$schema", "$comment") are
 * the JSON-schema conventions editors use, and are left alone.
 */
function unknownFields(value: unknown, schema: z.ZodType, path: (string | number)[]): string[] {
  const inner = unwrapped(schema);
  if (inner instanceof z.ZodArray && Array.isArray(value)) {
    return value.flatMap((item: unknown, index) => unknownFields(item, inner.element as z.ZodType, [...path, index]));
  }
  if (!(inner instanceof z.ZodObject) || typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const shape = inner.shape as Record<string, z.ZodType>;
  const known = Object.keys(shape);
  return Object.entries(value).flatMap(([key, field]): string[] => {
    if (key in shape) return unknownFields(field, shape[key], [...path, key]);
    if (key.startsWith('$')) return [];
    const meant = closestAmong(known, key, 1)[0];
    return [`${formatPath([...path, key])}: not a field of a profile${meant ? ` (did you mean ${meant}?)` : ''}`];
  });
}

/** The schema under `.optional()`, `.nullable()` and `.default()`. */
function unwrapped(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) current = current.unwrap() as z.ZodType;
  return current;
}

/**
 * PostgreSQL identifier rules, checked before any name reaches SQL. Names are
 * always quoted with pg-format as well; this check exists so that a profile with
 * a strange name is refused with a clear message instead of creating a strange object.
 */
export const MAX_IDENTIFIER_BYTES = 63;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;
/** Custom GUCs need a prefix: `app.current_tenant_id`. */
const CUSTOM_GUC = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)+$/;

/** Databases the tool must never drop, restore over or snapshot into. */
export const PROTECTED_DATABASES: readonly string[] = ['postgres', 'template0', 'template1'];

function utf8Length(value: string): number {
  let bytes = 0;
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** Returns null when the name is a plain PostgreSQL identifier, else why not. */
export function identifierProblem(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (utf8Length(name) > MAX_IDENTIFIER_BYTES) return `is longer than ${MAX_IDENTIFIER_BYTES} bytes (PostgreSQL would truncate it)`;
  if (!IDENTIFIER.test(name)) {
    return 'may contain only letters, digits, "_" and "$", and must start with a letter or "_"';
  }
  return null;
}

export function customGucProblem(name: string): string | null {
  if (utf8Length(name) > MAX_IDENTIFIER_BYTES) return `is longer than ${MAX_IDENTIFIER_BYTES} bytes`;
  if (!CUSTOM_GUC.test(name)) return 'must look like "prefix.name" (letters, digits, "_"), e.g. app.current_tenant_id';
  return null;
}

/**
 * Whether a fix is a sentence to read rather than a command to paste: it starts with a
 * capitalised word and ends with a full stop. Only commands get a code box and Copy.
 */
export function isProse(fix: string): boolean {
  return /^[A-Z][a-z]+\b/.test(fix) && /[.!]$/.test(fix.trim());
}

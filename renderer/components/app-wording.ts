/**
 * The engine's messages serve the CLI and the app alike and sometimes name a CLI flag
 * ("pass --repo DIR", "from --python"). In the app the same thing is a Setup field, so
 * the flag clauses are dropped or named as Setup before the text is shown.
 */
const FLAG = String.raw`--[a-z][\w-]*(?: [A-Z]+)?`;
const RULES: Array<[RegExp, string]> = [
  [new RegExp(String.raw`\s*\((?:or )?${FLAG}(?:, or [^)]*)?\)`, 'g'), ''],
  [new RegExp(String.raw`,? or pass ${FLAG}(?: with it)?`, 'g'), ''],
  [new RegExp(String.raw`\bpass ${FLAG}`, 'g'), 'set it in Setup'],
  [new RegExp(String.raw`\bfrom --[a-z][\w-]*`, 'g'), 'from Setup'],
];

export function appWording(text: string): string {
  return RULES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/**
 * Whether a fix is a sentence to read rather than a command to paste: it starts with a
 * capitalised word and ends with a full stop. Only commands get a code box and Copy.
 */
export function isProse(fix: string): boolean {
  return /^[A-Z][a-z]+\b/.test(fix) && /[.!]$/.test(fix.trim());
}

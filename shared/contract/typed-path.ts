/**
 * A path as a user typed or pasted it, made usable: surrounding spaces dropped, and the
 * double quotes Windows Explorer's "Copy as path" puts around it removed (the path
 * itself, spaces included, is kept as it is).
 */
export function cleanTypedPath(text: string): string {
  const trimmed = text.trim();
  const quoted = /^"(.*)"$/s.exec(trimmed) ?? /^'(.*)'$/s.exec(trimmed);
  return quoted ? quoted[1].trim() : trimmed;
}

/**
 * A full path on Windows (C:\…, C:/…, \\server\share) or elsewhere (/…). A relative one
 * would depend on the folder the app happened to start in, so settings refuse it.
 */
export function isFullPath(text: string): boolean {
  return /^(?:[A-Za-z]:[\\/]|\\\\[^\\]+\\|\/)/.test(text);
}

/**
 * Whether a typed interpreter names a file (it has a folder separator: \ or / on Windows, /
 * elsewhere) rather than a program looked up on PATH ("python3.12", "py").
 */
export function namesAFile(text: string, platform: string): boolean {
  return platform === 'win32' ? /[\\/]/.test(text) : text.includes('/');
}

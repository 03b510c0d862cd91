import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Serving dist/renderer without ever leaving it: the request path is decoded,
 * resolved against the root and must still lie inside it (no "..", no absolute
 * paths, no encoded slashes sneaking out).
 */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface StaticFile {
  file: string;
  contentType: string;
}

/** The file for a URL path, or null when it is outside the root or missing. */
export function resolveStatic(root: string, urlPath: string): StaticFile | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = path.resolve(root);
  const file = path.resolve(base, relative);
  if (file !== base && !file.startsWith(base + path.sep)) return null;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return null;
  }
  if (!stat.isFile()) return null;
  return { file, contentType: TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream' };
}

/**
 * index.html as the host serves it: its own asset links carry the token, because a
 * <script src> cannot send our header and every request must prove the token.
 */
export function withTokenizedAssets(html: string, token: string): string {
  return html.replace(/\b(src|href)="\.\/([^"?#]+)"/g, (_match, attr: string, file: string) => `${attr}="./${file}?token=${encodeURIComponent(token)}"`);
}

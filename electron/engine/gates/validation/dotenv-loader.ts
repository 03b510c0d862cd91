import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The backend file that loads a `.env` (python-dotenv's load_dotenv, pydantic-settings'
 * env_file), looked for in the application code beside the tests' working directory, so
 * R5 can say whether a `.env` lying there changes what the tests see. Bounded: a few
 * hundred small files, no virtualenvs or caches.
 */
const MAX_FILES = 400;
const MAX_BYTES = 300_000;
const SKIP = new Set(['.git', '.venv', 'venv', 'node_modules', '__pycache__', 'site-packages', '.tox', 'tests', 'test']);
const LOADS_DOTENV = /\bload_dotenv\s*\(|\bdotenv_values\s*\(|\benv_file\s*=/;

export function dotenvLoaderOf(repoDir: string, workingDirectory: string): string | null {
  const start = path.join(repoDir, ...workingDirectory.split('/').filter(Boolean));
  const queue = [start];
  let seen = 0;
  while (queue.length && seen < MAX_FILES) {
    const dir = queue.shift() as string;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name) && !entry.name.startsWith('.')) queue.push(full);
        continue;
      }
      if (!entry.name.endsWith('.py') || ++seen > MAX_FILES) continue;
      try {
        if (fs.statSync(full).size > MAX_BYTES) continue;
        if (LOADS_DOTENV.test(fs.readFileSync(full, 'utf8'))) return path.relative(repoDir, full).split(path.sep).join('/');
      } catch {
        // An unreadable file loads nothing we could know of.
      }
    }
  }
  return null;
}

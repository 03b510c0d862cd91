import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where `sql/` and the Python helpers live: next to package.json when running from
 * the source tree or dist/, in `process.resourcesPath` when packaged by
 * electron-builder (they ship as extraResources).
 */
let cachedRoot: string | undefined;

export function resourceRoot(): string {
  if (cachedRoot) return cachedRoot;
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (packaged && fs.existsSync(path.join(packaged, 'sql'))) {
    cachedRoot = packaged;
    return packaged;
  }
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'sql'))) {
      cachedRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the sql/ folder above ${__dirname}; the installation is incomplete.`);
    dir = parent;
  }
}

import * as path from 'node:path';
import type { Result } from '../../../shared/errors/app-error';
import { isFile, readTextIfPresent } from '../platform/fs-probe';
import { parseAlembicIni, readAlembicIni, type AlembicIni, type PathPlatform } from './ini-reader';
import { readToolAlembic, type TomlValue } from './toml-alembic';

/**
 * Where a project keeps Alembic's configuration, found as the alembic command finds it: an
 * alembic.ini (in the repository or its backend/ folder), and the [tool.alembic] table of the
 * pyproject.toml beside it (Alembic 1.16+), which may also stand alone. `iniPath` is where the
 * ini is or would be: Alembic runs in its folder either way.
 */
export interface ConfigurationFiles {
  iniPath: string;
  iniExists: boolean;
  /** The pyproject.toml beside it, when there is one. */
  tomlPath: string | null;
}

const TOOL_ALEMBIC = /^\s*\[\s*tool\s*\.\s*alembic\s*\]/m;

export function findConfiguration(repo: string, iniOption?: string): ConfigurationFiles | null {
  if (iniOption) {
    const iniPath = path.resolve(repo, iniOption);
    const toml = path.join(path.dirname(iniPath), 'pyproject.toml');
    return { iniPath, iniExists: isFile(iniPath), tomlPath: isFile(toml) ? toml : null };
  }
  for (const folder of [repo, path.join(repo, 'backend')]) {
    const iniPath = path.join(folder, 'alembic.ini');
    const toml = path.join(folder, 'pyproject.toml');
    const hasToml = isFile(toml);
    if (isFile(iniPath)) return { iniPath, iniExists: true, tomlPath: hasToml ? toml : null };
    if (hasToml && TOOL_ALEMBIC.test(readTextIfPresent(toml) ?? '')) return { iniPath, iniExists: false, tomlPath: toml };
  }
  return null;
}

/** The files whose text makes the configuration: the ini when it exists, the pyproject.toml when it has [tool.alembic]. */
export function configurationFilesOf(iniPath: string): string[] {
  const toml = path.join(path.dirname(iniPath), 'pyproject.toml');
  return [...(isFile(iniPath) ? [iniPath] : []), ...(isFile(toml) && TOOL_ALEMBIC.test(readTextIfPresent(toml) ?? '') ? [toml] : [])];
}

/**
 * The configuration read as Alembic reads it. Alembic parses pyproject.toml as soon as it
 * looks for an option the ini lacks; a file our small TOML reader cannot follow only
 * matters when it has [tool.alembic].
 */
export async function readConfiguration(files: ConfigurationFiles, platform?: PathPlatform): Promise<Result<AlembicIni>> {
  const { iniPath, tomlPath } = files;
  let toml: Record<string, TomlValue> | null = null;
  if (tomlPath) {
    const tomlText = readTextIfPresent(tomlPath) ?? '';
    const read = readToolAlembic(tomlText, tomlPath);
    if (read.ok) toml = read.value;
    else if (TOOL_ALEMBIC.test(tomlText)) return read;
  }
  const options = { platform, toml, tomlPath: tomlPath ?? undefined };
  return files.iniExists ? readAlembicIni(iniPath, options) : parseAlembicIni('', iniPath, options);
}

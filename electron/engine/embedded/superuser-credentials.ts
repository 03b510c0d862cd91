import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { err, ok, type Result } from '../../../shared/errors/app-error';
import { readJsonFile } from '../platform/fs-probe';
import { folderFileError } from './folder-file-error';

/**
 * The bundled server's superuser login, kept beside its data folder (mode 0600) and made once,
 * on first use. Two commands starting on a new folder at the same moment must end with one
 * password: the file appears whole or not at all (written aside, then linked into place, which
 * fails if another got there first), and the loser reads the winner's.
 */
export interface Credentials {
  superuser: string;
  password: string;
}

const SUPERUSER = 'postgres';

export function loadOrCreateCredentials(dir: string): Result<Credentials> {
  const file = path.join(dir, 'superuser.json');
  const existing = readCredentials(file);
  if (existing !== 'absent' && existing !== 'unreadable') return ok(existing);
  const fresh: Credentials = { superuser: SUPERUSER, password: crypto.randomBytes(18).toString('base64url') };
  const text = JSON.stringify(fresh);
  try {
    // A file that is there but cannot be read as credentials is replaced, as before: it serves no one.
    if (existing === 'unreadable') fs.writeFileSync(file, text, { mode: 0o600 });
    else if (!createWhole(file, text)) {
      const theirs = readCredentials(file);
      if (theirs !== 'absent' && theirs !== 'unreadable') return ok(theirs);
      fs.writeFileSync(file, text, { mode: 0o600 });
    }
  } catch (error) {
    return err(folderFileError(error, file, 'save the bundled server\u2019s password'));
  }
  return ok(fresh);
}

function readCredentials(file: string): Credentials | 'absent' | 'unreadable' {
  const read = readJsonFile(file);
  if (!read.found) return read.why;
  const value = read.value as Partial<Credentials> | null;
  return typeof value?.password === 'string' && typeof value.superuser === 'string' ? { superuser: value.superuser, password: value.password } : 'unreadable';
}

/**
 * Creates `file` with `text` unless it exists (false then). Written to a file of this process
 * first and hard-linked into place, so no reader sees it half-written; where the file system has
 * no hard links (FAT), an exclusive create does the same but for that instant.
 */
function createWhole(file: string, text: string): boolean {
  const aside = `${file}.${process.pid}.new`;
  try {
    fs.writeFileSync(aside, text, { mode: 0o600 });
    fs.linkSync(aside, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
  } finally {
    fs.rmSync(aside, { force: true });
  }
  try {
    fs.writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

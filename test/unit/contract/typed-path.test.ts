import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanTypedPath, isFullPath, namesAFile } from '../../../shared/contract/typed-path';

/** What Setup accepts as a folder: Windows paths as Explorer copies them, and POSIX ones. */
describe('typed paths', () => {
  it('takes Windows drive, UNC and POSIX paths as full, as path.win32 and path.posix do', () => {
    const full = ['C:\\Users\\Dev One\\Skeldir Data', 'D:/pg', '\\\\fileserver\\share\\pg', '/var/lib/skeldir'];
    for (const typed of full) {
      expect(isFullPath(typed), typed).toBe(true);
      expect(path.win32.isAbsolute(typed) || path.posix.isAbsolute(typed), typed).toBe(true);
    }
  });

  it('refuses relative ones, including a drive without a slash (relative to that drive’s current folder)', () => {
    for (const typed of ['pg-data', '.\\pg', '..\\pg', 'C:pg', 'Skeldir Data\\pg', '~/pg']) expect(isFullPath(typed), typed).toBe(false);
    // path.win32 calls "C:pg" relative too.
    expect(path.win32.isAbsolute('C:pg')).toBe(false);
  });

  it('is used on the path as cleaned of Explorer’s quotes', () => {
    expect(isFullPath(cleanTypedPath('"E:\\Skeldir Rebuild\\postgres15"'))).toBe(true);
  });

  it('tells an interpreter named by a path from a program looked up on PATH, by the separators of the platform', () => {
    for (const typed of ['.venv\\Scripts\\python.exe', 'C:/Python312/python.exe', 'My Env\\python']) expect(namesAFile(typed, 'win32'), typed).toBe(true);
    for (const typed of ['py', 'python3.12', 'python.exe']) expect(namesAFile(typed, 'win32'), typed).toBe(false);
    expect(namesAFile('.venv/bin/python', 'linux')).toBe(true);
    // A backslash is a file-name character on Linux, not a separator.
    expect(namesAFile('odd\\name', 'linux')).toBe(false);
  });
});

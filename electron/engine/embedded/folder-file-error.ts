import { appError, type AppError } from '../../../shared/errors/app-error';

/** A file or folder of the bundled server that could not be written, said with its cause and what to do. */
export function folderFileError(error: unknown, target: string, what: string): AppError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission was denied'
        : code === 'EROFS'
          ? 'the disk is read-only'
          : code === 'ENOTDIR' || code === 'EEXIST'
            ? 'a file is in the way (part of that path is a file, not a folder)'
            : String(error);
  return appError(
    'embedded-failed',
    `Could not ${what} at ${target}: ${why}.`,
    code === 'ENOSPC'
      ? { remediation: 'Free some disk space and try again.' }
      : { remediation: 'Choose another folder for the bundled PostgreSQL, one that you can write to.', action: 'choose-bundled-server-folder' },
  );
}

// Where a backup may come from: a regular file directly in the backup folder.
// A name with "/" or "..", a symbolic link, or a path whose real folder is
// another one is refused before it is read.
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { BackupNotFoundError, BackupRefusedError, BackupUsageError, MAX_BACKUP_KEEP, type FileChange } from '../backup-port.js';
import { MAX_ARCHIVE_BYTES } from './archive.js';

/** How many backups to keep: a whole number from 1 to MAX_BACKUP_KEEP. */
export function checkKeep(keep: number | undefined): void {
  if (keep !== undefined && !(Number.isSafeInteger(keep) && keep >= 1 && keep <= MAX_BACKUP_KEEP)) {
    throw new BackupUsageError(`The number of backups to keep is a whole number from 1 to ${MAX_BACKUP_KEEP}.`);
  }
}

/** A folder typed by the user: absolute, printable, bounded. */
export function checkFolderText(folder: string): void {
  if (folder.length > 4096) throw new BackupUsageError('The backup folder path is longer than 4096 characters.');
  if (/[\p{C}]/u.test(folder)) throw new BackupUsageError('The backup folder path holds control or invisible characters.');
  if (!isAbsolute(folder)) throw new BackupUsageError('The backup folder must be an absolute path, such as /var/cyberx/backups.');
}

export interface FolderFs {
  realpath(path: string): Promise<string>;
  lstat(path: string): Promise<{ file: boolean; symlink: boolean; size: number }>;
}

/** The backup's path, checked to be a regular file directly inside the folder. */
export async function resolveInFolder(folder: string, file: string, fs: FolderFs): Promise<string> {
  if (file.length > 4096 || /[\p{C}]/u.test(file)) throw new BackupRefusedError('The backup file name holds control characters or is too long.');
  const path = isAbsolute(file) ? resolve(file) : resolve(folder, file);
  if (dirname(path) !== resolve(folder) || basename(path) === '..' || basename(path) === '.') {
    throw new BackupRefusedError(`The backup must be a file in the backup folder ${folder}.`);
  }
  let info;
  try {
    info = await fs.lstat(path);
  } catch {
    throw new BackupNotFoundError(`There is no backup ${basename(path)} in ${folder}; "system backup list" shows them.`);
  }
  if (info.symlink) throw new BackupRefusedError(`The backup ${basename(path)} is a symbolic link; only files in the backup folder are restored.`);
  if (!info.file) throw new BackupRefusedError(`The backup ${basename(path)} is not a regular file.`);
  if (info.size > MAX_ARCHIVE_BYTES) throw new BackupRefusedError(`The backup ${basename(path)} is too large to be an otshell backup.`);
  // The folder itself may be reached through a link; what counts is that the file's real folder is the folder's.
  const [realFolder, realFile] = await Promise.all([fs.realpath(folder), fs.realpath(path)]);
  if (join(realFolder, basename(realFile)) !== realFile) throw new BackupRefusedError(`The backup must be a file in the backup folder ${folder}.`);
  return path;
}

/** What restoring `restored` over `current` does to each file. */
export function planChanges(current: { name: string; data: Buffer }[], restored: { name: string; data: Buffer }[]): { name: string; change: FileChange }[] {
  const now = new Map(current.map((f) => [f.name, f.data]));
  const changes = restored.map((f) => {
    const before = now.get(f.name);
    const change: FileChange = before === undefined ? 'added' : before.equals(f.data) ? 'unchanged' : 'changed';
    return { name: f.name, change };
  });
  return changes;
}

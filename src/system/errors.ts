// Failures of the target system that the user should read as one clear line.
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { EXIT, OtshellError } from '../errors.js';

/** The target cannot answer now (restarting, unreachable). Exit code 69, EX_UNAVAILABLE. */
export class SensorUnavailableError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.UNAVAILABLE);
  }
}

/** What the environment did wrong, in the words a user reads (errno -> reason). */
const ENVIRONMENT_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EISDIR: 'is a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
  EIO: 'input/output error',
};

/**
 * A file in otshell's state directory (state, history, audit log, lock, markers)
 * cannot be read or written because of the environment: the directory is a file,
 * no permission, no space, a read-only file system. Exit 78 (EX_CONFIG), the path named.
 */
export class StateDirError extends OtshellError {
  constructor(
    readonly path: string,
    readonly reason: string,
    verb: string,
  ) {
    super(`Cannot ${verb} ${path}: ${reason}.`, EXIT.CONFIG);
  }
}

/**
 * The environment error behind a failed file operation on `path`, as a StateDirError;
 * anything else (ENOENT where the caller expects it, a bug) is returned unchanged.
 */
export function stateDirErrorOf(error: unknown, verb: string, path: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string') return error;
  if (code === 'ENOTDIR' || code === 'EEXIST') return new StateDirError(path, `${notADirectory(path)} is not a directory`, verb);
  const reason = ENVIRONMENT_REASONS[code];
  return reason ? new StateDirError(path, reason, verb) : error;
}

/** Runs a file operation on `path`, turning environment failures into a StateDirError. */
export async function onStateFile<T>(verb: string, path: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw stateDirErrorOf(error, verb, path);
  }
}

/** The nearest existing ancestor of `path` when it is not a directory (what ENOTDIR is about). */
function notADirectory(path: string): string {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      return statSync(dir).isDirectory() ? dirname(path) : dir;
    } catch {
      if (dir === dirname(dir)) return dirname(path); // nothing exists up to the root
    }
  }
}

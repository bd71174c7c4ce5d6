// Reads the JSON file of a playbook run for `fleet report`: a local file the user names (the
// controller's, whatever the target), untrusted. Only a regular file is read (a FIFO or
// /dev/zero would never end), at most MAX_RUN_FILE_BYTES, and every failure is one line naming
// the file and the problem.
import { constants } from 'node:fs';
import { open } from '../../lazy-fs.js';
import { EXIT } from '../../errors.js';
import { printable } from '../../net/settings-rules.js';
import { UserError } from '../types.js';

/** A run of hundreds of sensors with their facts stays well below this. */
export const MAX_RUN_FILE_BYTES = 64 * 1024 * 1024;

export class RunFileError extends UserError {
  constructor(path: string, problem: string) {
    // Exit 2, as for other input files (capture, site file) that cannot be read or are invalid.
    super(`fleet report: ${printable(path)}: ${problem}`, EXIT.INCOMPLETE);
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a playbook run';
  if (code === 'ENXIO') return 'is not a regular file';
  return `cannot be read (${code ?? 'error'})`;
}

export async function readRunFile(path: string, limit: number = MAX_RUN_FILE_BYTES): Promise<string> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    throw new RunFileError(path, describe(error));
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw new RunFileError(path, 'is a directory, not a playbook run');
    if (!st.isFile()) throw new RunFileError(path, 'is not a regular file');
    if (st.size > limit) throw new RunFileError(path, `is ${st.size} bytes; a playbook run file may have at most ${limit}`);
    // Read one byte past the limit: a file that grows while read is still caught.
    const buffer = Buffer.alloc(Math.min(st.size, limit) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length >= buffer.length) break;
    }
    if (length > limit) throw new RunFileError(path, `grew past ${limit} bytes while being read`);
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    if (error instanceof RunFileError) throw error;
    throw new RunFileError(path, describe(error));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

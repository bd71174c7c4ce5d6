// The one way a capture file is opened. A path can be swapped between a check
// and the open (a FIFO would block open() forever; /dev/zero never ends), so:
// stat first (no device or FIFO is opened in the common case), then open with
// O_NONBLOCK (opening a FIFO returns at once) and O_NOCTTY, and check the opened
// handle itself with fstat: only a regular file is read.
import { constants } from 'node:fs';
import { open, stat } from '../lazy-fs.js';
import type { FileHandle } from 'node:fs/promises';

export const NOT_REGULAR = 'is not a regular file';

export type OpenedCapture = { fh: FileHandle; size: number } | { error: string };

function kind(st: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (st.isDirectory()) return 'is a directory, not a capture file';
  if (st.isFIFO()) return `${NOT_REGULAR} (a FIFO)`;
  if (st.isSocket()) return `${NOT_REGULAR} (a socket)`;
  if (st.isCharacterDevice() || st.isBlockDevice()) return `${NOT_REGULAR} (a device)`;
  return NOT_REGULAR;
}

/** Opens a capture for reading, or says why not (describe turns an errno into words). */
export async function openCapture(path: string, describe: (error: unknown) => string): Promise<OpenedCapture> {
  try {
    const before = await stat(path);
    if (!before.isFile()) return { error: kind(before) };
  } catch (e) {
    return { error: describe(e) };
  }
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    // ENXIO: a socket (or a FIFO opened for writing) put there after the stat
    if ((e as NodeJS.ErrnoException)?.code === 'ENXIO') return { error: NOT_REGULAR };
    return { error: describe(e) };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) {
      await fh.close().catch(() => undefined);
      return { error: kind(st) };
    }
    return { fh, size: st.size };
  } catch (e) {
    await fh.close().catch(() => undefined);
    return { error: describe(e) };
  }
}

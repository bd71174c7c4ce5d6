// Atomic file replacement: write a temp file beside the target, fsync it,
// rename it over the target, then fsync the directory so the rename itself
// survives a power cut. Readers see the old file or the new one, never half.
import { open, readFile, rename, unlink, mkdir } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { onStateFile } from './errors.js';

/** Two writes in the same millisecond (e.g. two concurrent first loads) must not share a temp name. */
let tempCounter = 0;

async function writeAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.${tempCounter++}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDirectory(dir);
}

/** Appends one line and fsyncs it (audit logs: each entry durable before we report success). */
async function appendDurably(path: string, line: string, mode = 0o640): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'a', mode);
  try {
    await handle.appendFile(line.endsWith('\n') ? line : `${line}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  } finally {
    await handle.close();
  }
}

/** Creates the file only if it does not exist yet (O_EXCL), fsynced; false when it exists. */
async function createExclusive(path: string, data: string, mode = 0o644): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true });
  let handle;
  try {
    handle = await open(path, 'wx', mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/** The file's text, or null when it does not exist. */
async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

// The exported operations: an environment failure (not a directory, no permission,
// no space, read-only) becomes one StateDirError naming the file, exit 78.

export function writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  return onStateFile('write', path, () => writeAtomic(path, data, mode));
}

/** Appends one line and fsyncs it (audit logs: each entry durable before we report success). */
export function appendLineDurably(path: string, line: string, mode?: number): Promise<void> {
  return onStateFile('append to', path, () => appendDurably(path, line, mode));
}

/** Creates the file only if it does not exist yet (O_EXCL), fsynced; false when it exists. */
export function createFileExclusive(path: string, data: string, mode?: number): Promise<boolean> {
  return onStateFile('create', path, () => createExclusive(path, data, mode));
}

/** The file's text, or null when it does not exist. */
export function readFileIfExists(path: string): Promise<string | null> {
  return onStateFile('read', path, () => readIfExists(path));
}

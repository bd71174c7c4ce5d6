// Atomic file replacement: write a temp file beside the target, fsync it,
// rename it over the target, then fsync the directory so the rename itself
// survives a power cut. Readers see the old file or the new one, never half.
// Temp files are removed on every failure path, and signals wait for the
// write to finish (critical-section.ts), so none is ever left behind.
import { open, readFile, rename, unlink, mkdir, link } from '../lazy-fs.js';
import { dirname, basename, join } from 'node:path';
import { statSync } from 'node:fs';
import { critical, trackTemp } from './critical-section.js';
import { onStateFile } from './errors.js';

/** Two writes in the same millisecond (e.g. two concurrent first loads) must not share a temp name. */
let tempCounter = 0;

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${tempCounter++}.tmp`);
}

/** Writes data to a fresh temp file beside path and fsyncs it; the temp is removed if anything fails. */
async function writeTemp(path: string, data: string | Uint8Array, mode: number): Promise<{ temp: string; done: () => void }> {
  const temp = tempPathFor(path);
  const untrack = trackTemp(temp);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await unlink(temp).catch(() => {});
    untrack();
    throw error;
  }
  return { temp, done: untrack };
}

async function writeAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  await critical(async () => {
    const { temp, done } = await writeTemp(path, data, mode);
    try {
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    } finally {
      done();
    }
    await syncDirectory(dir);
  });
}

/** Appends one line and fsyncs it (audit logs: each entry durable before we report success). */
async function appendDurably(path: string, line: string, mode = 0o640): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'a+', mode);
  try {
    // A line torn by a crash (no final newline) must not swallow this one: start on a fresh line.
    const { size } = await handle.stat();
    const last = Buffer.alloc(1);
    const torn = size > 0 && (await handle.read(last, 0, 1, size - 1)).bytesRead === 1 && last[0] !== 0x0a;
    await handle.appendFile(`${torn ? '\n' : ''}${line.endsWith('\n') ? line : `${line}\n`}`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Fails (EACCES, EISDIR, ENOSPC on create...) when the file cannot be opened for appending; creates it when missing. */
async function checkAppendableFile(path: string, mode = 0o640): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'a', mode);
  await handle.close();
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

/**
 * Creates the file only if it does not exist yet, with its whole content at
 * once: the data goes to a fsynced temp file that is then link()ed to the name
 * (link fails with EEXIST when the name exists). Nobody ever sees the file
 * empty or half written. False when it exists.
 */
async function createExclusive(path: string, data: string, mode = 0o644): Promise<boolean> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  return critical(async () => {
    const { temp, done } = await writeTemp(path, data, mode);
    try {
      await link(temp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await unlink(temp).catch(() => {});
      done();
    }
    await syncDirectory(dir);
    return true;
  });
}

/**
 * Seconds since the file was last modified; null when it does not exist. A synchronous
 * stat: every command asks it (an interrupted change's intent file), and through
 * fs/promises it started Node's thread pool in a one-shot command that needs none.
 */
async function ageSeconds(path: string): Promise<number | null> {
  try {
    return (Date.now() - statSync(path).mtimeMs) / 1000;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
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

// The exported helpers: the same, with an environment failure (permission,
// no space, not a directory, read-only) turned into one StateDirError line
// naming the path (exit 78) instead of an internal error.

export function writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  return onStateFile('write', path, () => writeAtomic(path, data, mode));
}

/** Appends one line and fsyncs it (audit logs: each entry durable before we report success). */
export function appendLineDurably(path: string, line: string, mode?: number): Promise<void> {
  return onStateFile('append to', path, () => appendDurably(path, line, mode));
}

/** Fails (StateDirError) unless the file can be appended to: checked before a change is applied. */
export function checkAppendable(path: string, mode?: number): Promise<void> {
  return onStateFile('append to', path, () => checkAppendableFile(path, mode));
}

/** Creates the file with its whole content only if it does not exist yet; false when it exists. */
export function createFileExclusive(path: string, data: string, mode?: number): Promise<boolean> {
  return onStateFile('create', path, () => createExclusive(path, data, mode));
}

/** The file's text, or null when it does not exist. */
export function readFileIfExists(path: string): Promise<string | null> {
  return onStateFile('read', path, () => readIfExists(path));
}

/** Seconds since the file was last modified; null when it does not exist. */
export function fileAgeSeconds(path: string): Promise<number | null> {
  return onStateFile('read', path, () => ageSeconds(path));
}

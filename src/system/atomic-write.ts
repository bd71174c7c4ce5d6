// Atomic file replacement: write a temp file beside the target, fsync it,
// rename it over the target, then fsync the directory so the rename itself
// survives a power cut. Readers see the old file or the new one, never half.
import { open, rename, unlink, mkdir } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

/** Two writes in the same millisecond (e.g. two concurrent first loads) must not share a temp name. */
let tempCounter = 0;

export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.${tempCounter++}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDirectory(dir);
}

/** Appends one line and fsyncs it (audit logs: each entry durable before we report success). */
export async function appendLineDurably(path: string, line: string, mode = 0o640): Promise<void> {
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

// `capture-check --save FILE`: keeps the capture on the machine otshell runs
// on. Each interface's pcapng stream goes to its own temp file beside FILE
// (bounded memory, whatever the rate); at the end they are joined (pcapng
// allows sections one after another), fsynced and link()ed to FILE, which
// fails rather than replace anything: an existing file, a directory, a symlink
// (even a dangling one) is never written through. Temp files are tracked, so
// a signal or failure removes them.
import { link, lstat, open, unlink, access } from '../lazy-fs.js';
import type { FileHandle } from 'node:fs/promises';
import { constants } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { trackTemp } from './critical-section.js';
import type { CaptureSave } from './capture-port.js';
import { EXIT, OtshellError, type ExitCode } from '../errors.js';

/** A --save path otshell refuses: one line, nothing written. */
export class SavePathError extends OtshellError {
  constructor(message: string, exitCode: ExitCode = EXIT.PROBLEM) {
    super(message, exitCode);
  }
}

let counter = 0;

async function existing(path: string): Promise<string | null> {
  try {
    const s = await lstat(path);
    if (s.isSymbolicLink()) return 'is a symbolic link';
    if (s.isDirectory()) return 'is a directory';
    return 'exists';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') return 'has a path component that is not a directory';
    if (code === 'EACCES') return 'cannot be checked: permission denied';
    return `cannot be checked (${code ?? 'error'})`;
  }
}

export async function prepareLocalSave(path: string, streams: number): Promise<CaptureSave> {
  if (path === '' || path.endsWith('/')) throw new SavePathError(`--save needs a file name, not ${path === '' ? 'an empty one' : 'a directory'}.`, EXIT.USAGE);
  const target = resolve(path);
  const why = await existing(target);
  if (why !== null) throw new SavePathError(`--save ${path}: ${why}; otshell writes a new file only (choose another name).`);
  const dir = dirname(target);
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SavePathError(
      `--save ${path}: ${code === 'ENOENT' ? 'the directory does not exist' : code === 'ENOTDIR' ? 'a path component is not a directory' : 'the directory is not writable'}.`,
    );
  }
  const temps: { path: string; handle: FileHandle; untrack: () => void }[] = [];
  const tempName = (i: number) => join(dir, `.${basename(target)}.${process.pid}.${Date.now()}.${counter++}.${i}.tmp`);
  const discard = async () => {
    for (const t of temps.splice(0)) {
      await t.handle.close().catch(() => {});
      await unlink(t.path).catch(() => {});
      t.untrack();
    }
  };
  try {
    for (let i = 0; i < Math.max(1, streams); i++) {
      const p = tempName(i);
      const untrack = trackTemp(p);
      const handle = await open(p, 'wx', 0o600).catch((error) => {
        untrack();
        throw error;
      });
      temps.push({ path: p, handle, untrack });
    }
  } catch (error) {
    await discard();
    throw new SavePathError(`--save ${path}: cannot create a file there (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  let writes = Promise.resolve();
  return {
    write(index, chunk) {
      const t = temps[index];
      if (!t) return Promise.resolve();
      // one write at a time per save: chunks stay in order
      writes = writes.then(() => t.handle.write(chunk).then(() => undefined));
      return writes;
    },
    async commit() {
      await writes;
      const first = temps[0]!;
      try {
        for (const t of temps.slice(1)) {
          await t.handle.close();
          const other = await open(t.path, 'r');
          try {
            for await (const chunk of other.createReadStream({ autoClose: false })) await first.handle.write(chunk as Buffer);
          } finally {
            await other.close();
          }
        }
        await first.handle.sync();
        await first.handle.close();
        await link(first.path, target);
        const dirHandle = await open(dir, 'r');
        await dirHandle.sync().catch(() => {});
        await dirHandle.close();
      } catch (error) {
        await discard();
        const code = (error as NodeJS.ErrnoException).code;
        throw new SavePathError(`--save ${path}: ${code === 'EEXIST' ? 'a file of that name appeared meanwhile; not replaced' : `could not be written (${code ?? 'error'})`}.`);
      }
      for (const t of temps.splice(0)) {
        await unlink(t.path).catch(() => {});
        t.untrack();
      }
    },
    discard,
  };
}

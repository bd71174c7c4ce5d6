// The process's own stdin, stdout and stderr, as main() takes them, made no sooner than
// needed (start-up: docs/benchmarks-startup.md). stdin is built by Node on first use (a
// file stream for /dev/null costs a one-shot command about 7 ms): a getter, with whether
// it is a terminal known without it. stdout and stderr are Node's streams on a terminal,
// and file descriptors written synchronously otherwise (src/output/fd-stream.ts).
import { fstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FdStream } from '../output/fd-stream.js';
import type { Streams } from './main.js';

export function standardStreams(): Streams {
  const stdinIsTTY = isTerminal(0);
  return {
    get stdin() {
      return process.stdin;
    },
    stdinIsTTY,
    // An FdStream has what output that is not a terminal uses (write, 'error'); what only a
    // Writable has (the early prompt, Ink) is used on a terminal only.
    stdout: isTerminal(1) ? process.stdout : (new FdStream(1) as unknown as Streams['stdout']),
    stderr: isTerminal(2) ? process.stderr : (new FdStream(2) as unknown as Streams['stderr']),
  };
}

/** Linux's memory devices (major 1: /dev/null, /dev/zero, /dev/full) are never terminals. */
const MEMORY_DEVICES = 1;

/**
 * Whether a descriptor is a terminal. Only a character device can be one, and on Linux not
 * a memory device: node:tty (node:net with it) loads only when it has to look.
 */
function isTerminal(fd: number): boolean {
  let info;
  try {
    info = fstatSync(fd);
  } catch {
    return false; // not open
  }
  if (!info.isCharacterDevice()) return false;
  if (process.platform === 'linux' && Math.floor(info.rdev / 256) % 4096 === MEMORY_DEVICES) return false;
  return (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(fd);
}

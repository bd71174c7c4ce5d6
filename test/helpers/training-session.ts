// A piped otshell session run in-process (src/cli/main.ts, as `... | otshell`):
// lines are written to its stdin as a trainee would type them, and the clock
// can be moved on between them (a restart's wait) without sleeping.
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

export interface PipedSession {
  /** Writes lines; resolves once the output contains `until` (default: the lines were all taken). */
  type(lines: string[], until?: string | RegExp): Promise<void>;
  /** Moves the session's clock on (a restart, or the time limit). */
  advance(ms: number): void;
  /** Closes stdin; the exit code and everything written. */
  end(): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  stdout(): string;
}

const realNow = Date.now.bind(Date);
let skew = 0;

/**
 * Call once at the top of a test file: Date.now runs `skew` ms ahead of the real clock for
 * the file's tests, and is itself again after them (files share their worker: a clock left
 * skewed would move the next file's).
 */
export function useSkewedClock(): void {
  let spy: { mockRestore(): void } | undefined;
  beforeAll(() => {
    spy = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + skew);
  });
  afterAll(() => {
    skew = 0;
    spy?.mockRestore();
  });
}

export function startPipedSession(stateDir: string, args: string[] = []): PipedSession {
  skew = 0;
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const stdout = sink((t) => (out += t));
  const stderr = sink((t) => (err += t));
  // The script runner's Ctrl-C handler (one per run, for the process's life): removed at the end here.
  const sigint = new Set(process.listeners('SIGINT'));
  const finished = main(['--state-dir', stateDir, ...args], { LANG: 'C.UTF-8', NO_COLOR: '1', HOME: stateDir }, { stdin, stdout, stderr, exit: () => {} });
  return {
    async type(lines, until) {
      const before = out.length + err.length;
      stdin.write(lines.map((l) => `${l}\n`).join(''));
      const deadline = realNow() + 20_000;
      // Wait for the event (the output), never a fixed sleep.
      for (;;) {
        const fresh = (out + err).slice(before);
        if (until === undefined ? fresh.length > 0 || lines.length === 0 : typeof until === 'string' ? fresh.includes(until) : until.test(fresh)) return;
        if (realNow() > deadline) throw new Error(`no ${String(until ?? 'output')} after ${lines.join(' / ')}:\n${out}\n${err}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    advance(ms) {
      skew += ms;
    },
    async end() {
      stdin.end();
      const exitCode = await finished;
      for (const listener of process.listeners('SIGINT')) if (!sigint.has(listener)) process.off('SIGINT', listener);
      return { exitCode, stdout: out, stderr: err };
    },
    stdout: () => out,
  };
}

// The audited root shell's process (`system shell`): root's shell on this
// terminal, with a fixed environment (nothing of otshell's or the caller's
// session steers it), until it exits. otshell waits; its own terminal
// handling is paused by the caller (the interactive shell hands the terminal over).
import { existsSync } from 'node:fs';
import { execa } from 'execa';

/** The shell to start: bash when installed, else sh. Never root's passwd shell (that may be otshell itself). */
const SHELLS = ['/bin/bash', '/bin/sh'];
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Runs it to its end; resolves to its exit status (128 + signal number when killed). */
export async function runRootShell(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const shell = SHELLS.find((path) => existsSync(path)) ?? '/bin/sh';
  // The terminal's Ctrl-C and Ctrl-\ reach every process of the foreground group: they are the
  // shell's while it runs, and must not end otshell (or its one-shot Ctrl-C exit) under it.
  const restore = holdSignals(['SIGINT', 'SIGQUIT']);
  const result = await execa(shell, ['-l'], {
    stdio: 'inherit',
    reject: false,
    extendEnv: false,
    env: { PATH, HOME: '/root', USER: 'root', LOGNAME: 'root', SHELL: shell, TERM: env.TERM ?? 'dumb', LANG: env.LANG ?? 'C.UTF-8', OTSHELL_ROOT_SHELL: '1' },
  }).finally(restore);
  if (typeof result.exitCode === 'number') return result.exitCode;
  return 128 + (result.signal ? (SIGNALS[result.signal] ?? 0) : 0);
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

/** Replaces the signals' listeners with one that ignores them; returns the undo. */
function holdSignals(signals: NodeJS.Signals[]): () => void {
  const ignore = () => {};
  const saved = signals.map((signal) => {
    // rawListeners keeps a once() listener a once() listener when it is put back.
    const listeners = process.rawListeners(signal) as ((...args: unknown[]) => void)[];
    process.removeAllListeners(signal);
    process.on(signal, ignore);
    return { signal, listeners };
  });
  return () => {
    for (const { signal, listeners } of saved) {
      process.removeListener(signal, ignore);
      for (const listener of listeners) process.on(signal, listener);
    }
  };
}

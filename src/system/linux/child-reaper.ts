// Long-running children (dumpcap) must never outlive otshell. execa's own
// cleanup (signal-exit) re-raises a signal once it is the last listener, which
// kills otshell before the one-shot's Ctrl-C handler can report, so these
// children are spawned without it and reaped here instead:
// - on exit (including process.exit after Ctrl-C): SIGKILL, synchronously;
// - on SIGTERM or SIGHUP while one runs: SIGKILL them, then exit 143 / 129
//   (EXIT.TERMINATED / HANGUP: what a shell reports for the signal);
// - on SIGKILL of otshell nothing runs here: the local child is started under
//   `setpriv --pdeathsig TERM`, so the kernel stops it (unless the program has
//   file capabilities, which clear the death signal: dumpcap -a duration then
//   still bounds it).
import { SIGNAL_EXIT } from '../../errors.js';

interface Killable {
  kill(signal?: NodeJS.Signals): boolean;
}

const live = new Set<Killable>();
const SIGNALS = ['SIGTERM', 'SIGHUP'] as const;

function killAll(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

const handlers = new Map(
  SIGNALS.map((signal) => [
    signal,
    () => {
      killAll();
      process.exit(SIGNAL_EXIT[signal]);
    },
  ]),
);

/** Tracks a child until it has exited. */
export function reapWithOtshell(child: Killable, exited: Promise<unknown>): void {
  if (live.size === 0) {
    process.on('exit', killAll);
    for (const [signal, handler] of handlers) process.on(signal, handler);
  }
  live.add(child);
  void exited.finally(() => {
    live.delete(child);
    if (live.size > 0) return;
    process.removeListener('exit', killAll);
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  });
}

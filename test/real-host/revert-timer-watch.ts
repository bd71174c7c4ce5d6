// The confirm-or-revert timer of a test sensor, seen from outside: the tests wait
// for its end (an event) instead of sleeping past its whole window, and a test
// that checks what a revert leaves can end the timer's wait early, so the revert
// runs through the same script and files without a 10-30 s sleep.
//
// The timer (src/system/linux/revert-timer.ts) is `sh revert-timer.sh`, which
// writes its pid file first, then `sleep N & wait`; on TERM (network confirm) it
// exits without reverting, and when its sleep ends it reverts unless the marker
// is gone. Its processes run on this machine's /proc even when the sensor is
// reached over ssh (the sshd runs in the test's namespace).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RevertTimer {
  pid: number;
  /** Resolves once the timer process has ended (confirmed, reverted or stood down); throws after timeoutMs. */
  ended(timeoutMs: number): Promise<void>;
  /** Ends the timer's sleep now: the script goes on as if its window had run out. */
  runOutNow(): Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** True while pid is a live (not zombie) process running the revert script. */
function isTimer(pid: number): boolean {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === null) return false;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  if (state === 'Z' || state === 'X') return false;
  return (read(`/proc/${pid}/cmdline`) ?? '').includes('revert-timer.sh');
}

/** Pids of pid's live children (read from /proc, so no process is looked up by name). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (stat === null) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === pid && fields[0] !== 'Z') found.push(Number(name));
  }
  return found;
}

/** The timer started by the last apply in stateDir; waits (up to timeoutMs) for it to write its pid file. */
export async function revertTimer(stateDir: string, timeoutMs = 15_000): Promise<RevertTimer> {
  const pidFile = join(stateDir, 'revert-timer.pid');
  const deadline = Date.now() + timeoutMs;
  let pid = NaN;
  for (;;) {
    pid = Number(read(pidFile)?.trim());
    if (Number.isInteger(pid) && pid > 0 && isTimer(pid)) break;
    if (Date.now() > deadline) throw new Error(`no running revert timer in ${stateDir} after ${timeoutMs} ms (pid file: ${read(pidFile)})`);
    await pause(20);
  }
  const timerPid = pid;
  return {
    pid: timerPid,
    async ended(ms) {
      const until = Date.now() + ms;
      while (isTimer(timerPid)) {
        if (Date.now() > until) throw new Error(`the revert timer (pid ${timerPid}) still runs after ${ms} ms`);
        await pause(50);
      }
    },
    async runOutNow() {
      // The script starts its sleep just after writing the pid file: wait for it to exist.
      const until = Date.now() + 10_000;
      for (;;) {
        const sleeps = childrenOf(timerPid).filter((child) => (read(`/proc/${child}/cmdline`) ?? '').startsWith('sleep\0'));
        if (sleeps.length > 1) throw new Error(`the revert timer (pid ${timerPid}) has ${sleeps.length} sleep children, expected 1`);
        if (sleeps.length === 1) {
          process.kill(sleeps[0]!, 'SIGKILL');
          return;
        }
        if (Date.now() > until || !isTimer(timerPid)) throw new Error(`the revert timer (pid ${timerPid}) has no sleep to end`);
        await pause(20);
      }
    },
  };
}

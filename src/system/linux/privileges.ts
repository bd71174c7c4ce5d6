// The privilege check made before any change on a real sensor: a caller who
// may not change anything is refused before the lock is created or a file is
// touched, with a hint that fits the target (sudo locally, root over ssh).
import type { Runner } from './runner.js';
import { EXIT, OtshellError } from '../../errors.js';

/** A change that needs privileges the session does not have; nothing was touched. Exit 77, EX_NOPERM. */
export class NeedsRootError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.NO_PERMISSION);
  }
}

const CAP_NET_ADMIN = 12n;

/** Root, or CAP_NET_ADMIN with write access to the files: checked before anything is touched. */
export async function requirePrivileges(runner: Runner, what: string, paths: string[]): Promise<void> {
  const target = runner.target;
  const status = (await runner.readFile('/proc/self/status')) ?? '';
  const uid = Number(/^Uid:\s+\d+\s+(\d+)/m.exec(status)?.[1] ?? NaN);
  const capEff = /^CapEff:\s+([0-9a-f]+)/m.exec(status)?.[1];
  const netAdmin = capEff !== undefined && (BigInt(`0x${capEff}`) >> CAP_NET_ADMIN) & 1n;
  const hint = target === 'local' ? 'run otshell as root ("sudo otshell ...")' : 'connect as root (ssh://root@...) or a user with sudo rights set up for otshell';
  if (!netAdmin) {
    throw new NeedsRootError(`${what} needs root (or CAP_NET_ADMIN) on ${target}; ${hint}. Nothing was changed.`);
  }
  for (const path of paths) {
    if (!(await runner.canWrite(path))) {
      throw new NeedsRootError(`${what} needs root on ${target}: ${path} is not writable for ${uid === 0 ? 'root here' : `uid ${uid}`}; ${hint}. Nothing was changed.`);
    }
  }
}

// Picks the SystemAdapter for --target. Only src/system knows the implementations.
// Each adapter is imported only when chosen: the simulator's one-shot path must
// not pay for execa, yaml and zod, which only the Linux adapter needs.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, OtshellError } from '../errors.js';
import type { SystemAdapter } from './adapter.js';
import { validateSshOptions } from './ssh-options.js';

export interface TargetOptions {
  target: string;
  stateDir: string;
  /**
   * The user chose stateDir (--state-dir, OTSHELL_STATE_DIR): on local and ssh
   * targets it is then the target's state directory (src/system/linux/state-dir-option.ts).
   */
  stateDirGiven?: boolean;
  /** otshell's config file on the target (local and ssh); default /etc/otshell/otshell.yaml. */
  configPath?: string;
  /** Extra `-o KEY=VALUE` options for the ssh client: only the keys src/system/ssh-options.ts allows. */
  sshOptions?: string[];
  /** Private key for the ssh client (`-i`). */
  identityFile?: string;
  /** The caller's environment (SSH_CONNECTION, ...). */
  env?: NodeJS.ProcessEnv;
}

export function describeTarget(target: string): 'simulator' | 'local' | 'ssh' | 'unknown' {
  if (target === 'simulator' || target === 'local') return target;
  if (target.startsWith('ssh://')) return 'ssh';
  return 'unknown';
}

export async function openTarget(options: TargetOptions): Promise<SystemAdapter> {
  const { target, stateDir } = options;
  // Refused for every target, before anything is created or run (src/system/ssh-options.ts).
  validateSshOptions(options.sshOptions ?? []);
  switch (describeTarget(target)) {
    case 'simulator': {
      const { SimulatorAdapter } = await import('./simulator/simulator-adapter.js');
      return new SimulatorAdapter(stateDir);
    }
    case 'local': {
      if (process.platform !== 'linux') throw new TargetError('--target local needs a Linux host.');
      const [{ LinuxAdapter }, { LocalRunner }] = await Promise.all([import('./linux/linux-adapter.js'), import('./linux/runner.js')]);
      const runner = new LocalRunner(options.env ?? process.env);
      // Not root (a login shell runs as its Unix user): root's work goes through the privileged
      // helper where it is installed; without it, a change says it needs root, as before.
      const { PrivilegedClient, PRIV_HELPER_PATH } = await import('./linux/privileged/client.js');
      // The helper keeps the sensor's own state directory: a chosen one is not passed through it.
      const privileged = process.geteuid?.() === 0 || options.stateDirGiven || !existsSync(PRIV_HELPER_PATH) ? undefined : new PrivilegedClient(runner);
      return new LinuxAdapter(runner, { configPath: options.configPath, privileged, stateDir: options.stateDirGiven ? resolve(stateDir) : undefined });
    }
    case 'ssh': {
      if (options.stateDirGiven && !stateDir.startsWith('/')) {
        throw new TargetError(`--state-dir over ssh names a directory on the sensor: give an absolute path, not "${stateDir.slice(0, 80)}".`);
      }
      const [{ LinuxAdapter }, { SshRunner, parseSshTarget }] = await Promise.all([
        import('./linux/linux-adapter.js'),
        import('./linux/ssh-runner.js'),
      ]);
      // Nothing connects yet: the first command opens the session (and reports why it could not).
      return new LinuxAdapter(
        new SshRunner(parseSshTarget(target), { options: options.sshOptions, identityFile: options.identityFile }),
        // A path on the sensor: it must be absolute (relative to what?), checked at the first read.
        { configPath: options.configPath, stateDir: options.stateDirGiven ? stateDir : undefined },
      );
    }
    default:
      throw new TargetError(`Unknown target "${target}". Use simulator, local or ssh://user@host[:port].`);
  }
}

/** --target cannot be understood or opened as given. Exit 64, EX_USAGE. */
export class TargetError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
  }
}

// Picks the SystemAdapter for --target. Only src/system knows the implementations.
import type { SystemAdapter } from './adapter.js';
import { SimulatorAdapter } from './simulator/simulator-adapter.js';
import { LinuxAdapter } from './linux/linux-adapter.js';
import { LocalRunner } from './linux/runner.js';
import { SshRunner, parseSshTarget } from './linux/ssh-runner.js';

export interface TargetOptions {
  target: string;
  stateDir: string;
  /** otshell's config file on the target (local and ssh); default /etc/otshell/otshell.yaml. */
  configPath?: string;
  /** Extra `-o KEY=VALUE` options for the ssh client. */
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
  switch (describeTarget(target)) {
    case 'simulator':
      return new SimulatorAdapter(stateDir);
    case 'local':
      if (process.platform !== 'linux') throw new TargetError('--target local needs a Linux host.');
      return new LinuxAdapter(new LocalRunner(options.env ?? process.env), { configPath: options.configPath });
    case 'ssh':
      // Nothing connects yet: the first command opens the session (and reports why it could not).
      return new LinuxAdapter(
        new SshRunner(parseSshTarget(target), { options: options.sshOptions, identityFile: options.identityFile }),
        { configPath: options.configPath },
      );
    default:
      throw new TargetError(`Unknown target "${target}". Use simulator, local or ssh://user@host[:port].`);
  }
}

export class TargetError extends Error {
  readonly exitCode = 64;
}

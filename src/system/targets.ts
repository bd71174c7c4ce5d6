// Picks the SystemAdapter for --target. Only src/system knows the implementations.
import type { SystemAdapter } from './adapter.js';
import { SimulatorAdapter } from './simulator/simulator-adapter.js';
import { SensorUnavailableError } from './errors.js';

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

export async function openTarget({ target, stateDir }: TargetOptions): Promise<SystemAdapter> {
  switch (describeTarget(target)) {
    case 'simulator':
      return new SimulatorAdapter(stateDir);
    case 'local':
    case 'ssh':
      throw new SensorUnavailableError(`Target "${target}" is not available yet in this version; use --target simulator.`);
    default:
      throw new TargetError(`Unknown target "${target}". Use simulator, local or ssh://user@host[:port].`);
  }
}

export class TargetError extends Error {
  readonly exitCode = 64;
}

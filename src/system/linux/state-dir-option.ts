// --state-dir on a real target (local or ssh://): the directory on that host
// where otshell keeps the edit lock, the audit and session logs and the
// confirm-or-revert markers. Every session on a sensor must share them, so a
// config file that fixes stateDir wins, and naming another one is refused
// with one line instead of silently splitting the lock.
import { EXIT, OtshellError } from '../../errors.js';
import { checkPath } from './checks.js';
import type { OtshellConfig } from './config.js';

export function withStateDir(config: OtshellConfig, option: string | undefined): OtshellConfig {
  if (option === undefined) return config;
  const wanted = checkPath(option, '--state-dir');
  if (config.stateDirInFile && config.stateDir !== wanted) {
    throw new StateDirConflictError(
      `--state-dir ${wanted} is refused: ${config.path} sets stateDir ${config.stateDir}, which every session on this sensor shares (lock, audit log); leave out --state-dir or change stateDir there.`,
    );
  }
  return { ...config, stateDir: wanted };
}

/** --state-dir names another directory than the config's stateDir. Exit 64 (EX_USAGE). */
export class StateDirConflictError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
  }
}

// The confirm-or-revert marker and the timer's files in the state directory:
// what an apply awaiting confirmation leaves on the sensor, read back by
// confirm, by the next apply (refused while one waits) and by the shell's
// pending-confirmation notice.
import { join } from 'node:path';
import type { NetworkSettings } from '../adapter.js';
import type { OtshellConfig } from './config.js';
import type { TimerFiles } from './revert-timer.js';
import { EXIT, OtshellError } from '../../errors.js';

export interface PendingChange {
  id: string;
  revertAt: string;
  startedAt: string;
  settings: NetworkSettings;
  netplanFile: string;
  netplanText: string;
  configPath: string;
  configText: string;
}

/**
 * The confirm-or-revert marker as written by applyNetworkSettings. A corrupt one
 * (edited, truncated) is an environment problem: exit 78 naming the file.
 */
export function parsePendingChange(path: string, text: string): PendingChange {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const pending = value as Partial<PendingChange> | null;
  const strings = ['id', 'revertAt', 'startedAt', 'netplanFile', 'netplanText', 'configPath', 'configText'] as const;
  if (
    pending === null ||
    typeof pending !== 'object' ||
    strings.some((key) => typeof pending[key] !== 'string') ||
    typeof pending.settings !== 'object' ||
    pending.settings === null
  ) {
    throw new OtshellError(
      `The confirm-or-revert marker ${path} is corrupt (not the record otshell writes). Check the network settings, then remove the file.`,
      EXIT.CONFIG,
    );
  }
  return pending as PendingChange;
}

/** Where the marker, the timer's pid and its revert records live for this config. */
export function timerFiles(config: OtshellConfig): TimerFiles {
  return {
    marker: join(config.stateDir, 'pending-confirmation.json'),
    claim: join(config.stateDir, 'pending-confirmation.reverting'),
    pidFile: join(config.stateDir, 'revert-timer.pid'),
    lastRevert: join(config.stateDir, 'last-revert'),
    revertedLog: join(config.stateDir, 'reverted.log'),
  };
}

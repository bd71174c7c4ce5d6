// The NTP and backup ports of the adapter, or one clear line when a target has none.
import type { SystemAdapter } from '../../system/adapter.js';
import type { NtpPort } from '../../system/ntp-port.js';
import type { BackupPort } from '../../system/backup-port.js';
import { UserError } from '../types.js';
import { EXIT } from '../../errors.js';

export function ntpOf(system: SystemAdapter): NtpPort {
  if (!system.ntp) throw new UserError(`NTP is not available on ${system.target}.`, EXIT.UNAVAILABLE);
  return system.ntp;
}

export function backupOf(system: SystemAdapter): BackupPort {
  if (!system.backup) throw new UserError(`Backups are not available on ${system.target}.`, EXIT.UNAVAILABLE);
  return system.backup;
}

// `system backup create` (`system backup`, `cyberx-xsense-system-backup`):
// one tar file of what otshell manages, named as the appliance names them.
import type { BackupManifest } from '../../system/backup-port.js';
import { defineCommand } from '../types.js';
import { actorOf } from './power-action.js';
import { BackupCreateResultSchema } from '../ntp-backup-schemas.js';
import { backupOf } from '../ntp/port.js';

export interface BackupCreateResult {
  path: string;
  manifest: BackupManifest;
  /** Older backups removed to keep the newest N. */
  removed: string[];
}

export default defineCommand<BackupCreateResult>({
  category: 'system',
  name: 'backup',
  spellings: ['system backup create', 'cyberx-xsense-system-backup'],
  summary: 'Back up the settings, NTP servers, services list and audit log',
  description:
    'Writes one tar file, <hostname>-backup-version-<version>-<UTC time>.tar, to the backup folder ("system backup path"), with a manifest of the otshell and sensor versions and each file\'s size and SHA-256. ' +
    'It holds what otshell manages: the network settings (on a real sensor the netplan file otshell writes and its config with the interface roles), the services list, the NTP servers and the audit log. ' +
    'Only the newest backups are kept (10 unless "system backup path --keep N" says otherwise). Audited.',
  examples: ['system backup create', 'system backup', 'cyberx-xsense-system-backup'],
  role: 'support',
  resultSchema: BackupCreateResultSchema,
  async run(ctx) {
    return backupOf(ctx.system).create(actorOf(ctx.caller));
  },
  render(result, style) {
    return [
      `Finished backup. Backup is stored at ${style.untrusted(result.path)}`,
      ...(result.removed.length > 0 ? [`Removed ${result.removed.length} older backup${result.removed.length === 1 ? '' : 's'} to keep the newest: ${result.removed.map((n) => style.untrusted(n)).join(', ')}`] : []),
    ].join('\n');
  },
});

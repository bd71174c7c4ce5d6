// `system backup list` (`system backup-list`, `cyberx-xsense-system-backup-list`).
import type { BackupFileInfo } from '../../system/backup-port.js';
import { defineCommand } from '../types.js';
import { BackupListResultSchema } from '../ntp-backup-schemas.js';
import { backupOf } from '../ntp/port.js';

export interface BackupListResult {
  folder: string;
  keep: number;
  /** Oldest first. */
  files: BackupFileInfo[];
}

export default defineCommand<BackupListResult>({
  category: 'system',
  name: 'backup-list',
  spellings: ['system backup list', 'cyberx-xsense-system-backup-list'],
  summary: 'List the backups in the backup folder',
  description: 'Lists the backup files in the backup folder, oldest first, as the appliance does ("backup files:" then one name per line). --json adds sizes and times.',
  examples: ['system backup list', 'system backup-list --json'],
  role: 'viewer',
  resultSchema: BackupListResultSchema,
  async run(ctx) {
    const port = backupOf(ctx.system);
    const [settings, files] = [await port.settings(), await port.list()];
    return { folder: settings.folder, keep: settings.keep, files };
  },
  render(result, style) {
    if (result.files.length === 0) return `backup files:\n    (none in ${style.untrusted(result.folder)}; "system backup create" makes one)`;
    return ['backup files:', ...result.files.map((f) => `    ${style.untrusted(f.name)}`)].join('\n');
  },
});

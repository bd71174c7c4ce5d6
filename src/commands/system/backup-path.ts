// `system backup path [DIR]`: shows or sets the backup folder, and how many backups are kept.
import { defineCommand, UserError } from '../types.js';
import { EXIT } from '../../errors.js';
import { printable } from '../../net/settings-rules.js';
import { actorOf } from './power-action.js';
import { BackupPathResultSchema } from '../ntp-backup-schemas.js';
import { backupOf } from '../ntp/port.js';

export interface BackupPathResult {
  folder: string;
  keep: number;
  changed: boolean;
  /** The folder before, when it changed. */
  previous: string | null;
}

export default defineCommand<BackupPathResult>({
  category: 'system',
  name: 'backup-path',
  spellings: ['system backup path'],
  summary: 'Show or set the backup folder (and how many backups to keep)',
  description:
    'Without DIR, shows the backup folder. With DIR (an absolute path; created when missing), new backups go there; backups already made stay where they are. --keep N keeps the newest N backups (default 10). Audited.',
  examples: ['system backup path', 'system backup path /var/cyberx/backups', 'system backup path --keep 5'],
  args: [{ name: 'dir', summary: 'The new backup folder, an absolute path' }],
  options: [{ name: 'keep', type: 'string', valueName: 'N', summary: 'Keep the newest N backups (1 to 1000)' }],
  role: 'support',
  resultSchema: BackupPathResultSchema,
  async run(ctx, input) {
    const port = backupOf(ctx.system);
    const dir = input.args.dir as string | undefined;
    let keep: number | undefined;
    if (input.options.keep !== undefined) {
      const text = String(input.options.keep);
      if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > 1000) throw new UserError(`--keep takes a whole number from 1 to 1000, not "${printable(text)}".`, EXIT.USAGE);
      keep = Number(text);
    }
    if (dir === undefined && keep === undefined) {
      const settings = await port.settings();
      return { folder: settings.folder, keep: settings.keep, changed: false, previous: null };
    }
    const { old, new: next } = await port.configure({ ...(dir === undefined ? {} : { folder: dir }), ...(keep === undefined ? {} : { keep }) }, actorOf(ctx.caller));
    return { folder: next.folder, keep: next.keep, changed: old.folder !== next.folder || old.keep !== next.keep, previous: old.folder !== next.folder ? old.folder : null };
  },
  render(result, style) {
    const kept = `the newest ${result.keep} backups are kept`;
    if (!result.changed && result.previous === null) return `Backup folder: ${style.untrusted(result.folder)} (${kept})`;
    return result.previous !== null
      ? `Backup folder set to ${style.untrusted(result.folder)} (was ${style.untrusted(result.previous)}; ${kept}). Backups made before stay in the old folder.`
      : `Backup folder: ${style.untrusted(result.folder)} (${kept}; saved).`;
  },
});

// `system restore [FILE]` (`cyberx-xsense-system-restore -f FILE`): restores a
// backup after the appliance's two questions. The backup is checked first
// (same sensor version, checksums, a plain file in the backup folder); what
// will change is shown; the restore happens entirely or not at all.
import type { RestorePlan } from '../../system/backup-port.js';
import { BackupNotFoundError } from '../../system/backup-port.js';
import { PromptCancelled, parseYesNo, YES_NO_HELP } from '../prompter.js';
import { defineCommand, UserError, type CommandContext } from '../types.js';
import { EXIT } from '../../errors.js';
import { actorOf } from './power-action.js';
import { RestoreResultSchema } from '../ntp-backup-schemas.js';
import { backupOf } from '../ntp/port.js';

export const WARNING_QUESTION =
  'WARNING - the following procedure will restore data. do not stop or power off the server machine while this procedure is running. Are you sure you wish to proceed? [Y/n]';

export interface RestoreResult {
  file: string | null;
  restored: boolean;
  changes: RestorePlan['changes'];
  /** The archive names written. */
  files: string[];
  network: 'pending-restart' | 'applied' | 'awaiting-confirmation' | null;
  cancelled: 'interrupt' | 'eof' | 'attempts' | 'declined' | null;
}

/** A [Y/n] question worded exactly as the appliance asks it (the Prompter's confirm adds no colon). */
async function askYesNo(ctx: CommandContext, question: string): Promise<boolean> {
  const answer = await ctx.prompter.text(question, { validate: (value) => (parseYesNo(value, true) === undefined ? YES_NO_HELP : null) });
  return parseYesNo(answer, true)!;
}

export default defineCommand<RestoreResult>({
  category: 'system',
  name: 'restore',
  spellings: ['cyberx-xsense-system-restore'],
  summary: 'Restore a backup (the newest unless FILE is given)',
  description:
    'Restores a backup made by "system backup create" on this sensor version: the network settings (pending until "system reboot", as "network edit-settings" leaves them; on a real sensor applied with confirm-or-revert) and the NTP servers. ' +
    'The backup is refused, with nothing changed, when it was made on another version, when a file does not match its SHA-256, or when it is not a plain file in the backup folder. ' +
    'otshell shows what will change and asks the appliance\'s two questions (--yes answers both). The audit log is backed up but never rewound: the restore is added to it. Audited.',
  examples: ['system restore', 'system restore D4Iot-backup-version-22.2.5.9-r-2121448-2026-11-29T03-00-00Z.tar --yes', 'cyberx-xsense-system-restore -f FILE'],
  args: [{ name: 'file', summary: 'A backup file in the backup folder (default: the newest)' }],
  options: [
    { name: 'f', type: 'string', valueName: 'FILE', summary: 'The backup file (as cyberx-xsense-system-restore -f FILE)' },
    { name: 'yes', type: 'boolean', summary: 'Answer yes to both questions' },
  ],
  role: 'support',
  resultSchema: RestoreResultSchema,
  async run(ctx, input) {
    const yes = input.options.yes === true;
    if (ctx.json && !yes) throw new UserError('system restore: with --json there is no prompt for the two questions; add --yes.', EXIT.USAGE);
    const port = backupOf(ctx.system);
    const given = (input.args.file as string | undefined) ?? (typeof input.options.f === 'string' ? input.options.f : undefined);
    if (input.args.file !== undefined && input.options.f !== undefined) throw new UserError('system restore: give the backup file once (FILE or -f FILE).', EXIT.USAGE);
    let file = given;
    if (file === undefined) {
      const newest = (await port.list()).at(-1);
      if (!newest) throw new BackupNotFoundError(`There are no backups in ${(await port.settings()).folder}; "system backup create" makes one.`);
      file = newest.name;
    }
    const none = (cancelled: RestoreResult['cancelled'], plan?: RestorePlan): RestoreResult => ({
      file: plan?.file ?? file, restored: false, changes: plan?.changes ?? [], files: [], network: null, cancelled,
    });
    try {
      if (!yes && !(await askYesNo(ctx, `Use backup file as "${file}" ? [Y/n]`))) return none('declined');
      // Checked before the second question: a refused backup is said now, and nothing changes.
      const plan = await port.plan(file);
      if (!yes) {
        ctx.prompter.say(describePlan(plan));
        if (!(await askYesNo(ctx, WARNING_QUESTION))) return none('declined', plan);
      }
      const outcome = await port.restore(plan, actorOf(ctx.caller));
      return { file: outcome.file, restored: true, changes: plan.changes, files: outcome.restored, network: outcome.network?.kind ?? null, cancelled: null };
    } catch (error) {
      if (error instanceof PromptCancelled) return none(error.reason);
      throw error;
    }
  },
  render(result, style) {
    if (!result.restored) {
      const why = result.cancelled === 'declined' || result.cancelled === null ? '' : `${result.cancelled === 'attempts' ? 'Too many invalid answers' : 'Cancelled'}. `;
      return `${why}Nothing was restored.`;
    }
    const lines = [`Restored ${style.untrusted(result.file ?? '')}: ${result.files.map((f) => style.untrusted(f)).join(', ')}.`];
    if (result.network === 'pending-restart') lines.push('The restored network settings take effect at the next restart ("system reboot").');
    if (result.network === 'applied') lines.push('The restored network settings are in effect.');
    if (result.network === 'awaiting-confirmation') lines.push('The restored network settings are applied; run "network confirm" to keep them, or they are reverted.');
    return lines.join('\n');
  },
  exitCode: (result) => (result.cancelled && result.cancelled !== 'declined' ? EXIT.INTERRUPTED : EXIT.OK),
});

/** What the restore will change, file by file. */
export function describePlan(plan: RestorePlan): string {
  const m = plan.manifest;
  const lines = [`Backup of ${m.hostname}, sensor version ${m.sensorVersion}, made ${m.created} (otshell ${m.otshellVersion}).`];
  for (const c of plan.changes) lines.push(`  ${c.name.padEnd(24)} ${c.change === 'changed' ? 'will be restored (differs from now)' : c.change === 'added' ? 'will be restored (missing now)' : 'unchanged'}`);
  if (plan.changes.every((c) => c.change === 'unchanged')) lines.push('  Nothing differs from the sensor now.');
  return lines.join('\n');
}

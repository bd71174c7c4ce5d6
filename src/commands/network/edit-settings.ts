// `network edit-settings`: the deployment guide's step-by-step wizard, or the
// same rules from flags for automation. Holds the one-editor lock from the
// first read of the settings to the last write, applies through the adapter,
// appends to the audit log, and says what happens next. Cancelling writes nothing.
import type { ApplyOutcome, NetworkSettings } from '../../system/adapter.js';
import { cancelMessage, PromptCancelled, type CancelReason } from '../prompter.js';
import { EXIT } from '../../errors.js';
import { defineCommand, UserError, type CommandContext, type CommandInput } from '../types.js';
import { completeInterfaceName } from '../completers.js';
import { NO_CHANGES, runEditWizard } from './edit-wizard.js';
import { settingsFromFlags, type SettingsFlags } from './settings-flags.js';
import { diffSettings, renderDiff, type SettingsChange } from './settings-diff.js';
import { printable, type InterfaceInfo } from '../../net/settings-rules.js';
import * as z from 'zod/mini';
import { readableTime } from '../../time-text.js';
import { NetworkSettingsSchema } from '../shared-schemas.js';

export type EditStatus =
  /** Stored through the adapter and audited. */
  | 'applied'
  /** --dry-run: the diff only. */
  | 'dry-run'
  /** The new settings equal the old ones: nothing to do. */
  | 'unchanged'
  /** N at "Apply the settings?". */
  | 'declined'
  /** Ctrl-C, Ctrl-D or closed input before the end. */
  | 'cancelled';

export interface EditSettingsResult {
  status: EditStatus;
  applied: boolean;
  dryRun: boolean;
  /** What the adapter did with the settings; null unless applied. */
  outcome: ApplyOutcome | null;
  /** old -> new of every changed field (proposed ones for dry-run, declined and cancelled: none known). */
  changes: SettingsChange[];
  /** The settings edited: those pending a restart when there are any, else the current ones. */
  old: NetworkSettings;
  /** The settings asked for; null when cancelled before the end. */
  new: NetworkSettings | null;
  /** The edit started from settings applied earlier and still waiting for a restart. */
  editedPending: boolean;
  /** Set when status is "cancelled". */
  cancelled: CancelReason | null;
}

const VALUE_OPTIONS: { name: string; key: keyof SettingsFlags }[] = [
  { name: 'ip', key: 'ip' },
  { name: 'mask', key: 'mask' },
  { name: 'gateway', key: 'gateway' },
  { name: 'dns', key: 'dns' },
  { name: 'input-interfaces', key: 'inputInterfaces' },
  { name: 'bridge', key: 'bridge' },
];

export default defineCommand<EditSettingsResult>({
  category: 'network',
  name: 'edit-settings',
  aliases: ['edit', 'reconfigure'],
  spellings: ['cyberx-xsense-network-reconfigure'],
  summary: 'Change the management address, mask, DNS, gateway, input and bridge interfaces',
  description: [
    'Without options, asks step by step, showing the current value at each: the management IP address, the subnet mask, the DNS servers, the default gateway, the input (monitor) interfaces and the bridge interface; then shows old -> new and asks "Apply the settings?". Every answer is checked and asked again with the reason until it is valid. Ctrl-C, Ctrl-D or closed input at any step, or N at the end, leaves everything as it was ("No changes were made.").',
    '',
    'With any of --ip, --mask, --gateway, --dns, --input-interfaces or --bridge it runs without the wizard: the values are checked by the same rules and every problem is reported at once. The summary is then shown and only the final "Apply the settings?" is asked; --yes applies without asking (for scripts), --dry-run prints the summary and changes nothing. Without --yes, a script whose input is closed gets no answer and nothing is changed.',
    '',
    'Only one session may edit at a time; a second is told who holds the editor and since when. On the sensor, applied settings take effect after "system reboot". Every applied change is recorded in the audit log ("system audit").',
    '',
    'Exit codes: 0 applied, declined, nothing to change or dry run; 1 invalid values; 64 wrong use of options (e.g. --json without --yes or --dry-run, which would need a prompt); 75 another session is editing; 77 needs root (real hosts); 78 the audit log cannot be written (nothing is applied); 130 cancelled (Ctrl-C, Ctrl-D or input closed).',
  ].join('\n'),
  examples: [
    'network edit-settings',
    'network edit-settings --ip 10.1.0.30 --dry-run',
    'network edit-settings --ip 10.1.0.20 --mask 255.255.255.0 --gateway 10.1.0.1 --dns 10.1.0.2 --input-interfaces eth1,eth2 --yes',
  ],
  options: [
    { name: 'ip', type: 'string', valueName: 'ADDRESS', summary: 'New management IP address' },
    { name: 'mask', type: 'string', valueName: 'MASK', summary: 'New subnet mask, dotted or /prefix' },
    { name: 'gateway', type: 'string', valueName: 'ADDRESS', summary: 'New default gateway' },
    { name: 'dns', type: 'string', valueName: 'LIST', summary: 'One to three DNS servers, comma separated' },
    {
      name: 'input-interfaces',
      type: 'string',
      valueName: 'LIST',
      summary: 'Monitor (SPAN) interfaces, comma separated',
      complete: completeInterfaceName,
    },
    { name: 'bridge', type: 'string', valueName: 'NAME', summary: 'Bridge interface, or "none"', complete: completeInterfaceName },
    { name: 'yes', type: 'boolean', summary: 'Apply without asking (with the value options)' },
    { name: 'dry-run', type: 'boolean', summary: 'Show what would change and change nothing' },
    {
      name: 'confirm-timeout',
      type: 'string',
      valueName: 'SECONDS',
      summary: 'Real hosts: revert unless "network confirm" is run within SECONDS (5-3600)',
    },
  ],
  role: 'support',
  run: runEditSettings,
  render: renderEditSettings,
  resultSchema: z.strictObject({
    status: z.enum(['applied', 'dry-run', 'unchanged', 'declined', 'cancelled']),
    applied: z.boolean(),
    dryRun: z.boolean(),
    outcome: z.nullable(
      z.union([
        z.strictObject({ kind: z.literal('pending-restart') }),
        z.strictObject({ kind: z.literal('applied') }),
        z.strictObject({ kind: z.literal('awaiting-confirmation'), revertAt: z.string() }),
      ]),
    ),
    changes: z.array(
      z.strictObject({
        field: z.enum(['managementInterface', 'ip', 'prefixLength', 'gateway', 'dns', 'inputInterfaces', 'bridgeInterface']),
        label: z.string(),
        old: z.string(),
        new: z.string(),
      }),
    ),
    old: NetworkSettingsSchema,
    new: z.nullable(NetworkSettingsSchema),
    editedPending: z.boolean(),
    cancelled: z.nullable(z.enum(['interrupt', 'eof', 'attempts'])),
  }),
  exitCode: (result) => (result.status === 'cancelled' ? EXIT.INTERRUPTED : EXIT.OK),
});

/** The flag values given, or null for the wizard. */
function valueFlags(input: CommandInput): SettingsFlags | null {
  const flags: SettingsFlags = {};
  let any = false;
  for (const { name, key } of VALUE_OPTIONS) {
    const value = input.options[name];
    if (typeof value === 'string') {
      flags[key] = value;
      any = true;
    }
  }
  return any ? flags : null;
}

async function runEditSettings(ctx: CommandContext, input: CommandInput): Promise<EditSettingsResult> {
  const flags = valueFlags(input);
  const yes = input.options.yes === true;
  const dryRun = input.options['dry-run'] === true;

  // Usage problems first: nothing is read or locked for a command line that cannot run.
  if (flags === null && (yes || dryRun)) {
    throw new UserError(
      `network edit-settings: ${yes ? '--yes' : '--dry-run'} goes with the values to set ` +
        '(--ip, --mask, --gateway, --dns, --input-interfaces, --bridge). Without them the wizard asks step by step.',
      EXIT.USAGE,
    );
  }
  if (yes && dryRun) throw new UserError('network edit-settings: use either --yes or --dry-run, not both.', EXIT.USAGE);
  const confirmTimeoutSeconds = confirmTimeout(input.options['confirm-timeout']);
  if (ctx.json && flags === null) {
    throw new UserError(
      'network edit-settings: the wizard asks questions and cannot run with --json. ' +
        'Give the values as options with --yes or --dry-run, e.g. "network edit-settings --ip 10.1.0.30 --dry-run --json".',
      EXIT.USAGE,
    );
  }
  if (ctx.json && !yes && !dryRun) {
    throw new UserError(
      'network edit-settings: with --json there is no prompt for "Apply the settings?"; add --yes to apply or --dry-run to preview.',
      EXIT.USAGE,
    );
  }

  // A dry run reads only: it needs no lock, so it works while someone else edits.
  if (dryRun) {
    const { base, editedPending, interfaces } = await readSettings(ctx);
    const next = checkFlags(base, flags!, interfaces);
    const changes = diffSettings(base, next);
    return result(changes.length === 0 ? 'unchanged' : 'dry-run', { old: base, new: next, changes, editedPending, dryRun: true });
  }

  const { user, tty, sshClient } = ctx.caller;
  const by = { user, ...(tty ? { tty } : {}), ...(sshClient ? { sshClient } : {}) };
  const lock = await ctx.system.acquireEditLock(by);
  try {
    const { base, editedPending, interfaces } = await readSettings(ctx);
    let next: NetworkSettings | null;
    try {
      next = await untilAborted(ctx.signal, () =>
        flags === null ? wizard(ctx, base, editedPending, interfaces) : confirmFlags(ctx, base, flags, interfaces, yes),
      );
    } catch (error) {
      if (error instanceof PromptCancelled) {
        return result('cancelled', { old: base, new: null, changes: [], editedPending, cancelled: error.reason });
      }
      throw error;
    }
    if (next === null) return result('declined', { old: base, new: null, changes: [], editedPending });
    const changes = diffSettings(base, next);
    if (changes.length === 0) return result('unchanged', { old: base, new: next, changes, editedPending });

    // Applied and audited as one step by the adapter, under the lock held since the first read.
    const outcome = await ctx.system.applyNetworkSettings(next, {
      by,
      old: base,
      lock,
      ...(confirmTimeoutSeconds === undefined ? {} : { confirmTimeoutSeconds }),
    });
    return result('applied', { old: base, new: next, changes, editedPending, outcome });
  } finally {
    await lock.release();
  }
}

function confirmTimeout(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || seconds < 5 || seconds > 3600) {
    throw new UserError(`network edit-settings: --confirm-timeout takes whole seconds from 5 to 3600, not "${printable(String(value))}".`, EXIT.USAGE);
  }
  return seconds;
}

async function readSettings(ctx: CommandContext) {
  const [{ current, pending }, snapshot] = await Promise.all([ctx.system.getNetworkSettings(), ctx.system.listInterfaces()]);
  const interfaces: InterfaceInfo[] = snapshot.interfaces.map((i) => ({ name: i.name, role: i.role }));
  // A second edit before the restart builds on the first, instead of silently dropping it.
  return { base: pending ?? current, editedPending: pending !== null, interfaces };
}

function checkFlags(base: NetworkSettings, flags: SettingsFlags, interfaces: InterfaceInfo[]): NetworkSettings {
  const checked = settingsFromFlags(base, flags, interfaces);
  if (!checked.ok) {
    const many = checked.errors.length > 1;
    throw new UserError(
      `${many ? 'These values are not valid' : 'This value is not valid'}; nothing was changed:\n` +
        checked.errors.map((e) => `  ${e}`).join('\n'),
      EXIT.PROBLEM,
    );
  }
  return checked.next;
}

const PENDING_NOTE = 'Settings applied earlier are waiting for a restart; the values shown are those.';

async function wizard(
  ctx: CommandContext,
  base: NetworkSettings,
  editedPending: boolean,
  interfaces: InterfaceInfo[],
): Promise<NetworkSettings | null> {
  // Short lines: the console is 80 columns wide.
  ctx.prompter.say(
    [
      `Editing the network settings of the sensor (${ctx.system.target}).`,
      'Enter takes the answer in capitals. Ctrl-C cancels at any step.',
      'Nothing is written until you confirm at the end.',
    ].join('\n'),
  );
  if (editedPending) ctx.prompter.say(PENDING_NOTE);
  return runEditWizard(ctx.prompter, base, interfaces);
}

/** The flag form: checked like the wizard, then the summary and the final question (unless --yes). */
async function confirmFlags(
  ctx: CommandContext,
  base: NetworkSettings,
  flags: SettingsFlags,
  interfaces: InterfaceInfo[],
  yes: boolean,
): Promise<NetworkSettings | null> {
  const next = checkFlags(base, flags, interfaces);
  const changes = diffSettings(base, next);
  if (yes || changes.length === 0) return next;
  ctx.prompter.say(`Summary of changes:\n${renderDiff(changes)}`);
  return (await ctx.prompter.confirm('Apply the settings?', { default: false })) ? next : null;
}

/** Ctrl-C in a one-shot run aborts the signal: end the questions so the lock is released. */
function untilAborted<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(new PromptCancelled('interrupt'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new PromptCancelled('interrupt'));
    signal.addEventListener('abort', onAbort, { once: true });
    work()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function result(
  status: EditStatus,
  fields: Pick<EditSettingsResult, 'old' | 'new' | 'changes' | 'editedPending'> &
    Partial<Pick<EditSettingsResult, 'outcome' | 'dryRun' | 'cancelled'>>,
): EditSettingsResult {
  return {
    status,
    applied: status === 'applied',
    dryRun: fields.dryRun ?? false,
    outcome: fields.outcome ?? null,
    changes: fields.changes,
    old: fields.old,
    new: fields.new,
    editedPending: fields.editedPending,
    cancelled: fields.cancelled ?? null,
  };
}

/** What happens next, by what the adapter did with the settings. */
export function nextStep(outcome: ApplyOutcome): string {
  switch (outcome.kind) {
    case 'pending-restart':
      return 'Settings saved. They take effect after a restart: run "system reboot".';
    case 'applied':
      return 'Settings applied. They are in effect now.';
    case 'awaiting-confirmation':
      return `Settings applied. They are in effect now and revert at ${readableTime(outcome.revertAt)} unless you run "network confirm".`;
  }
}

export function renderEditSettings(result: EditSettingsResult): string {
  switch (result.status) {
    case 'applied':
      return nextStep(result.outcome!);
    case 'dry-run':
      return [
        'Dry run: these changes would be made:',
        renderDiff(result.changes),
        ...(result.editedPending ? [PENDING_NOTE] : []),
        'Nothing was changed.',
      ].join('\n');
    case 'unchanged':
      return `The settings already have these values. ${NO_CHANGES}`;
    case 'declined':
      return NO_CHANGES;
    case 'cancelled':
      return `${cancelMessage(result.cancelled ?? 'interrupt')} ${NO_CHANGES}`;
  }
}

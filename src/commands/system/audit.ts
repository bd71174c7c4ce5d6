// `system audit`: the applied network settings changes, oldest first.
import type { AuditEntry, AuditLog, SessionEvent } from '../../system/adapter.js';

type ActionEntry = NonNullable<AuditLog['actions']>[number];
import { defineCommand, UserError, type RenderStyle } from '../types.js';
import { EXIT } from '../../errors.js';
import { diffSettings, renderDiff } from '../network/settings-diff.js';
import { printable } from '../../net/settings-rules.js';
import * as z from 'zod/mini';
import { readableTime } from '../../time-text.js';
import { AuditEntrySchema, SessionEventSchema } from '../shared-schemas.js';

export interface AuditResult {
  entries: AuditEntry[];
  /** How many entries the log holds (before --last). */
  total: number;
  /** Lines of the log that are not a complete entry: skipped, and said so. */
  malformedLines: number[];
  /** Changes that are not network settings (NTP servers, backups, restores), oldest first; present when there are any. */
  actions?: ActionEntry[];
  /** With --sessions: sign-ins, failures, lockouts, unlocks, timeouts, sign-outs, password changes, root shells. */
  sessions?: SessionEvent[];
}

export default defineCommand<AuditResult>({
  category: 'system',
  name: 'audit',
  aliases: ['log'],
  summary: 'List the applied network settings changes: when, who, from where',
  description:
    'Lists every network settings change applied with "network edit-settings", oldest first: the time, the user, the terminal or SSH client, the target and each changed field old -> new. ' +
    'A change cut short (the process was killed, the power failed) is completed at the next start and marked "interrupted", with what the sensor showed then. ' +
    'Lines of the log that cannot be read are skipped with a note naming them. ' +
    'Changes that are not network settings are listed beside them by time: NTP servers enabled or disabled, backups made, the backup folder set, backups restored (action, subject, old -> new).',
  examples: ['system audit', 'system audit --last 5', 'system audit --json'],
  options: [
    { name: 'last', type: 'string', valueName: 'N', summary: 'Only the N most recent entries' },
    { name: 'sessions', type: 'boolean', summary: 'Sign-ins, failures, lockouts, sign-outs and password changes instead' },
  ],
  role: 'viewer',
  async run(ctx, input) {
    let last: number | undefined;
    if (input.options.last !== undefined) {
      const text = String(input.options.last);
      // Any positive whole number: one beyond the log's length (even 10^30) means all of it.
      if (!/^\d+$/.test(text) || !/[1-9]/.test(text)) {
        throw new UserError(`--last takes a whole number of entries, at least 1, not "${printable(text)}".`, EXIT.USAGE);
      }
      last = Number(text); // 1e30 or Infinity: slice(-last) keeps every entry
    }
    if (input.options.sessions === true) {
      const sessions = await ctx.system.readSessions();
      return { entries: [], total: sessions.length, malformedLines: [], sessions: last === undefined ? sessions : sessions.slice(-last) };
    }
    const { entries, malformedLines, actions } = await ctx.system.readAudit();
    if (!actions || actions.length === 0) return { entries: last === undefined ? entries : entries.slice(-last), total: entries.length, malformedLines };
    // --last counts both kinds together, by time.
    const all = [...entries.map((e) => ({ time: e.time, settings: e })), ...actions.map((a) => ({ time: a.time, action: a }))].sort((a, b) => a.time.localeCompare(b.time));
    const kept = last === undefined ? all : all.slice(-last);
    return {
      entries: kept.flatMap((k) => ('settings' in k ? [k.settings] : [])),
      actions: kept.flatMap((k) => ('action' in k ? [k.action] : [])),
      total: all.length,
      malformedLines,
    };
  },
  resultSchema: z.strictObject({
    entries: z.array(AuditEntrySchema),
    total: z.number().check(z.minimum(0)),
    malformedLines: z.array(z.number()),
    sessions: z.optional(z.array(SessionEventSchema)),
  }),
  render(result, style) {
    if (result.sessions) return renderSessions(result.sessions, style);
    const note = malformedNote(result.malformedLines);
    if (result.total === 0) return ['No network settings changes have been applied yet.', ...note].join('\n');
    const shown = [
      ...result.entries.map((entry) => ({ time: String(entry.time), text: renderEntry(entry, style) })),
      ...(result.actions ?? []).map((action) => ({ time: String(action.time), text: renderAction(action, style) })),
    ].sort((a, b) => a.time.localeCompare(b.time));
    return [shown.map((s) => s.text).join('\n\n'), ...note].join('\n\n');
  },
});

/** Where the change was made from: the SSH client, else the terminal. */
export function origin(entry: AuditEntry): string {
  if (entry.sshClient) return `ssh from ${printable(entry.sshClient)}`;
  return entry.tty ? printable(entry.tty) : 'unknown terminal';
}

function malformedNote(lines: number[]): string[] {
  if (lines.length === 0) return [];
  const shown = lines.slice(0, 10).join(', ') + (lines.length > 10 ? ', ...' : '');
  return [`Note: ${lines.length} line${lines.length === 1 ? '' : 's'} of the audit log could not be read and ${lines.length === 1 ? 'was' : 'were'} skipped (line ${shown}).`];
}

function renderEntry(entry: AuditEntry, style: RenderStyle): string {
  const changes = diffSettings(entry.old, entry.new);
  const head = `${style.untrusted(readableTime(String(entry.time)))}  ${style.paint('bold', style.untrusted(String(entry.user)))} (${origin(entry)}) on ${style.untrusted(String(entry.target))}${entry.interrupted ? '  [interrupted]' : ''}${entry.reverted ? '  [reverted]' : ''}`;
  const lines = [head, changes.length === 0 ? '  (no field changed)' : renderDiff(changes)];
  if (entry.reverted) {
    lines.push(`  Not confirmed in time: the previous settings came back${entry.revertedAt ? ` at ${style.untrusted(readableTime(entry.revertedAt))}` : ''}.`);
  }
  if (entry.interrupted) {
    lines.push(
      entry.intended
        ? '  The change was cut short; the values shown are what the sensor showed at the next start, not all that was asked for.'
        : '  The change was cut short after it was applied; it was recorded at the next start.',
    );
  }
  return lines.join('\n');
}

function renderAction(entry: ActionEntry, style: RenderStyle): string {
  const head = `${style.untrusted(String(entry.time))}  ${style.paint('bold', style.untrusted(String(entry.user)))} (${origin(entry as unknown as AuditEntry)}) on ${style.untrusted(String(entry.target))}${entry.interrupted ? '  [interrupted]' : ''}`;
  const lines = [head, `  ${style.untrusted(entry.action)} ${style.untrusted(entry.subject)}: ${style.untrusted(JSON.stringify(entry.old))} -> ${style.untrusted(JSON.stringify(entry.new))}`];
  if (entry.interrupted) lines.push('  The change was cut short; it was recorded at the next start.');
  return lines.join('\n');
}

function renderSessions(events: SessionEvent[], style: RenderStyle): string {
  if (events.length === 0) return 'No sign-ins have been recorded yet.';
  return events
    .map((e) => {
      const who = `${style.paint('bold', style.untrusted(e.user))}${e.role ? ` (${style.untrusted(e.role)})` : ''}`;
      return `${style.untrusted(readableTime(e.time))}  ${style.untrusted(e.kind).padEnd(15)}  ${who} from ${style.untrusted(e.source)}${e.detail ? `  ${style.untrusted(e.detail)}` : ''}`;
    })
    .join('\n');
}

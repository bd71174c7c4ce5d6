// The audit log of applied settings: JSON lines, each appended and fsynced,
// and the intent record that makes a change and its audit line one step:
//   1. the intent (who, old, new) is written, fsynced, beside the log;
//   2. the change is applied;
//   3. the audit line is appended (fsync) and the intent removed.
// If the log or the intent cannot be written, nothing is applied. Signals wait
// for all three (critical-section.ts). A change cut short anyway (SIGKILL, power
// loss) leaves its intent; the next process that takes the lock completes it
// into the log as "interrupted", with what the target shows then.
import { randomHex } from './node-crypto.js';
import { isDeepStrictEqual } from 'node:util';
import type { Actor, AuditEntry, AuditLog, NetworkSettings, SessionEvent, SessionEventKind } from './adapter.js';
import { auditHeader, isActionEntry, type ActionEntry } from './audit-action.js';
import { appendLineDurably, checkAppendable, readFileIfExists, writeFileAtomic } from './atomic-write.js';
import { critical } from './critical-section.js';
import { unlink } from '../lazy-fs.js';
import { OtshellError, EXIT } from '../errors.js';
import { StateDirError, stateDirErrorOf } from './errors.js';

export const AUDIT_FILE = 'audit.jsonl';
export const INTENT_FILE = 'apply-intent.json';

/** The file operations an audited change needs; the Linux adapter's Runner has them too. */
export interface AuditFiles {
  /** Fails when the file cannot be opened for appending (creates it when missing). */
  checkAppendable(path: string): Promise<void>;
  writeFileAtomic(path: string, data: string, mode: number): Promise<void>;
  appendDurably(path: string, line: string): Promise<void>;
  readFile(path: string): Promise<string | null>;
  remove(path: string): Promise<void>;
}

export const LOCAL_AUDIT_FILES: AuditFiles = {
  checkAppendable: (path) => checkAppendable(path),
  writeFileAtomic: (path, data, mode) => writeFileAtomic(path, data, mode),
  appendDurably: (path, line) => appendLineDurably(path, line),
  readFile: readFileIfExists,
  remove: (path) => unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  }),
};

/** The audit log or intent record cannot be written: nothing was applied (EX_CONFIG, the state directory is unusable). */
export class AuditUnavailableError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.CONFIG);
  }
}

export interface AuditPaths {
  log: string;
  intent: string;
}

/** What is wrong with `path`, in the state directory's words (src/system/errors.ts). */
function reason(error: unknown, path: string): string {
  const known = error instanceof StateDirError ? error : stateDirErrorOf(error, 'use', path);
  if (known instanceof StateDirError) return known.reason.replace(/^is /, 'it is ');
  return ((error as Error | null)?.message ?? String(error)).replace(/\.$/, '');
}

/**
 * Applies a change and appends its audit line as one step (see the top of
 * this file). entry has no id yet; the one written gets a fresh id.
 */
export function applyAudited<T>(files: AuditFiles, paths: AuditPaths, entry: Omit<AuditEntry, 'id'>, apply: () => Promise<T>, id?: string): Promise<T> {
  // A confirm-or-revert change passes its own id: the revert timer records it, and `system audit` marks the entry reverted.
  return applyRecorded(files, paths, { id: id ?? randomHex(8), ...entry }, 'settings', apply);
}

/**
 * The same one step for a change that is not network settings (an NTP server,
 * the backup folder, a restore): its line is an action entry (audit-action.ts).
 */
export function applyAuditedAction<T>(files: AuditFiles, paths: AuditPaths, entry: Omit<ActionEntry, 'id'>, apply: () => Promise<T>): Promise<T> {
  return applyRecorded(files, paths, { id: randomHex(8), ...entry }, 'change', apply);
}

/** How the message starts when a change was applied but its line cannot be written. */
const APPLIED = { settings: 'The settings were applied, but their', change: 'The change was applied, but its' } as const;

function applyRecorded<T>(files: AuditFiles, paths: AuditPaths, record: AuditEntry | ActionEntry, what: keyof typeof APPLIED, apply: () => Promise<T>): Promise<T> {
  return critical(async () => {
    try {
      await files.checkAppendable(paths.log);
    } catch (error) {
      throw new AuditUnavailableError(`The audit log ${paths.log} cannot be written (${reason(error, paths.log)}). Nothing was applied.`);
    }
    try {
      await files.writeFileAtomic(paths.intent, `${JSON.stringify(record)}\n`, 0o640);
    } catch (error) {
      throw new AuditUnavailableError(`The change record ${paths.intent} cannot be written (${reason(error, paths.intent)}). Nothing was applied.`);
    }
    let result: T;
    try {
      result = await apply();
    } catch (error) {
      // Failed and rolled back: nothing changed, nothing to audit. A failed rollback keeps the intent for the next start.
      if (!(error as { rollbackIncomplete?: boolean }).rollbackIncomplete) await files.remove(paths.intent).catch(() => {});
      throw error;
    }
    try {
      await files.appendDurably(paths.log, JSON.stringify(record));
    } catch (error) {
      throw new AuditUnavailableError(
        `${APPLIED[what]} audit line could not be written to ${paths.log} (${reason(error, paths.log)}). ` +
          `The change is kept in ${paths.intent} and recorded as interrupted once the log can be written.`,
      );
    }
    await files.remove(paths.intent);
    return result;
  });
}

/** What an adapter shows now for an action's subject (e.g. the NTP server list); undefined when it cannot tell. */
export type ActionShownNow = (entry: ActionEntry) => Promise<unknown>;

/**
 * Completes an intent left by a change that was cut short: call with the lock
 * held. Recorded as interrupted, with what the target shows now; dropped when
 * the target still shows the old settings (nothing was applied) or its line is
 * already in the log.
 */
export async function completeIntent(
  files: AuditFiles,
  paths: AuditPaths,
  shownNow: () => Promise<NetworkSettings>,
  actionShownNow: ActionShownNow = async () => undefined,
): Promise<'none' | 'dropped' | 'recorded'> {
  let text: string | null;
  try {
    text = await files.readFile(paths.intent);
  } catch (error) {
    throw new AuditUnavailableError(`The change record ${paths.intent} cannot be read (${reason(error, paths.intent)}). Nothing was applied.`);
  }
  if (text === null) return 'none';
  let intent: AuditEntry | ActionEntry | null = null;
  try {
    intent = JSON.parse(text) as AuditEntry | ActionEntry;
  } catch {
    intent = null;
  }
  if (intent && isActionEntry(intent)) return completeActionIntent(files, paths, intent, actionShownNow);
  if (!intent || !isEntry(intent)) {
    // Written atomically, so never torn: a foreign file. Keep it aside, out of the way.
    await files.writeFileAtomic(`${paths.intent}.bad`, text, 0o640);
    await files.remove(paths.intent);
    return 'dropped';
  }
  const logged = parseAuditLogDetailed((await files.readFile(paths.log)) ?? '').entries;
  if (logged.some((e) => e.id === intent.id)) {
    await files.remove(paths.intent);
    return 'dropped';
  }
  const now = await shownNow();
  if (isDeepStrictEqual(now, intent.old)) {
    await files.remove(paths.intent);
    return 'dropped';
  }
  const recorded: AuditEntry = { ...intent, new: now, interrupted: true, ...(isDeepStrictEqual(now, intent.new) ? {} : { intended: intent.new }) };
  await critical(async () => {
    await files.appendDurably(paths.log, JSON.stringify(recorded));
    await files.remove(paths.intent);
  });
  return 'recorded';
}

async function completeActionIntent(files: AuditFiles, paths: AuditPaths, intent: ActionEntry, shownNow: ActionShownNow): Promise<'dropped' | 'recorded'> {
  const logged = parseAuditLogDetailed((await files.readFile(paths.log)) ?? '');
  const now = logged.actions?.some((e) => e.id === intent.id) ? undefined : await shownNow(intent);
  if (logged.actions?.some((e) => e.id === intent.id) || (now !== undefined && isDeepStrictEqual(now, intent.old))) {
    await files.remove(paths.intent);
    return 'dropped';
  }
  // Unknown outcome (undefined): kept as asked, marked interrupted, so the log never claims less than may have happened.
  const recorded: ActionEntry = {
    ...intent,
    interrupted: true,
    ...(now === undefined ? {} : { new: now }),
    ...(now === undefined || isDeepStrictEqual(now, intent.new) ? {} : { intended: intent.new }),
  };
  await critical(async () => {
    await files.appendDurably(paths.log, JSON.stringify(recorded));
    await files.remove(paths.intent);
  });
  return 'recorded';
}

export async function readAuditEntries(path: string): Promise<AuditLog> {
  return parseAuditLogDetailed((await readFileIfExists(path)) ?? '');
}

/** Every entry, oldest first. A line torn by a crash mid-append is skipped; the others still count. */
export function parseAuditLog(text: string): AuditEntry[] {
  return parseAuditLogDetailed(text).entries;
}

/**
 * Every entry, oldest first, and the numbers (1-based) of malformed lines. The
 * last line without its newline is one torn by a crash mid-append: skipped
 * silently. Any other line that is not a complete entry is skipped and listed.
 */
export function parseAuditLogDetailed(text: string): AuditLog {
  const entries: AuditEntry[] = [];
  const actions: ActionEntry[] = [];
  const malformedLines: number[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const torn = index === lines.length - 1; // no newline after it
    try {
      const entry = JSON.parse(line) as unknown;
      if (isEntry(entry)) {
        entries.push(entry);
        return;
      }
      if (isActionEntry(entry)) {
        actions.push(entry);
        return;
      }
    } catch {
      // not JSON
    }
    if (!torn) malformedLines.push(index + 1);
  });
  // `actions` only when there are some: a log of settings alone reads exactly as before.
  return actions.length > 0 ? { entries, malformedLines, actions } : { entries, malformedLines };
}

function isSettings(value: unknown): value is NetworkSettings {
  const s = value as NetworkSettings;
  return (
    typeof s === 'object' && s !== null &&
    typeof s.managementInterface === 'string' && typeof s.ip === 'string' && typeof s.prefixLength === 'number' &&
    typeof s.gateway === 'string' && Array.isArray(s.dns) && s.dns.every((d) => typeof d === 'string') &&
    Array.isArray(s.inputInterfaces) && s.inputInterfaces.every((n) => typeof n === 'string') &&
    (s.bridgeInterface === null || typeof s.bridgeInterface === 'string')
  );
}

function isEntry(value: unknown): value is AuditEntry {
  const e = value as AuditEntry;
  return (
    typeof e === 'object' && e !== null &&
    typeof e.time === 'string' && typeof e.user === 'string' && typeof e.target === 'string' &&
    isSettings(e.old) && isSettings(e.new)
  );
}

/** The audit entry fields of a change by actor. */
export function auditFields(actor: Actor | undefined, target: string, old: NetworkSettings, next: NetworkSettings): Omit<AuditEntry, 'id'> {
  return {
    ...auditHeader(actor, target),
    old,
    new: next,
  };
}

// ------------------------------------------------------------ session events
// Sign-ins, failures, lockouts, unlocks, timeouts, sign-outs, password changes
// and root shells: one JSON line each in their own file beside the settings
// log (whose entries all carry old and new settings), appended and fsynced.

export const SESSIONS_FILE = 'sessions.jsonl';

const SESSION_KINDS: ReadonlySet<string> = new Set<SessionEventKind>([
  'sign-in', 'failure', 'lockout', 'unlock', 'timeout', 'sign-out', 'password-change', 'root-shell',
]);

export function sessionLine(event: SessionEvent): string {
  // Only the known fields: nothing else (a password, a hash) can ride along.
  const { time, kind, user, role, source, detail } = event;
  return JSON.stringify({ time, kind, user, ...(role ? { role } : {}), source, ...(detail ? { detail } : {}) });
}

/** Session events, oldest first; lines that are not one are skipped. */
export function parseSessionEvents(text: string): SessionEvent[] {
  const events: SessionEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as Partial<SessionEvent>;
      if (typeof value.time === 'string' && typeof value.kind === 'string' && SESSION_KINDS.has(value.kind) && typeof value.user === 'string' && typeof value.source === 'string') {
        events.push({
          time: value.time,
          kind: value.kind,
          user: value.user,
          ...(typeof value.role === 'string' ? { role: value.role } : {}),
          source: value.source,
          ...(typeof value.detail === 'string' ? { detail: value.detail } : {}),
        });
      }
    } catch {
      // a torn or foreign line: skipped
    }
  }
  return events;
}

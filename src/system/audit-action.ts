// An audit line for a change that is not a network settings change: an NTP
// server enabled, the backup folder moved, a backup made or restored. Written
// by applyAuditedAction (audit-log.ts) in the same one step as the change,
// beside the settings entries (whose shape stays exactly as it was).
import type { Actor, AuditHeader } from './adapter.js';

export type AuditAction = 'ntp-enable' | 'ntp-disable' | 'backup-create' | 'backup-path' | 'backup-restore' | 'training-outside';

export const AUDIT_ACTIONS: readonly AuditAction[] = ['ntp-enable', 'ntp-disable', 'backup-create', 'backup-path', 'backup-restore', 'training-outside'];

export interface ActionEntry extends AuditHeader {
  action: AuditAction;
  /** What was changed: a server address, a folder, a backup file. */
  subject: string;
  /** JSON values: what the subject was before and after. */
  old: unknown;
  new: unknown;
  /** Cut short (killed, power loss): recorded at the next start. */
  interrupted?: boolean;
  /** When interrupted and the target showed something else: what was asked for. */
  intended?: unknown;
}

export function isActionEntry(value: unknown): value is ActionEntry {
  const e = value as ActionEntry;
  return (
    typeof e === 'object' && e !== null &&
    typeof e.time === 'string' && typeof e.user === 'string' && typeof e.target === 'string' &&
    typeof e.action === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(e.action) &&
    typeof e.subject === 'string' && 'old' in e && 'new' in e
  );
}

/** Who, from where, on which target, now: the head every audit line starts with. */
export function auditHeader(actor: Actor | undefined, target: string): Omit<AuditHeader, 'id'> {
  const who = actor ?? { user: 'unknown' };
  return {
    time: new Date().toISOString(),
    user: who.user,
    ...(who.tty ? { tty: who.tty } : {}),
    ...(who.sshClient ? { sshClient: who.sshClient } : {}),
    target,
  };
}

/** The fields of an action by actor. */
export function actionFields(actor: Actor | undefined, target: string, action: AuditAction, subject: string, old: unknown, next: unknown): Omit<ActionEntry, 'id'> {
  return {
    ...auditHeader(actor, target),
    action,
    subject,
    old: old ?? null,
    new: next ?? null,
  };
}

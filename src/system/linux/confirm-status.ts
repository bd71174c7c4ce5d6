// Confirm-or-revert, read back: the change waiting for `network confirm` (its
// marker in the state directory) and the changes the revert timer undid (its
// append-only reverted.log: "id time" lines), matched to audit entries by id.
import type { AuditLog } from '../adapter.js';

/** Audit entries whose change the timer reverted get `reverted` and `revertedAt`. */
export function markReverted(log: AuditLog, revertedLog: string): AuditLog {
  const revertedAt = new Map<string, string>();
  for (const line of revertedLog.split('\n')) {
    const [id, time] = line.trim().split(' ');
    if (id && time && /^[a-f0-9]{8,32}$/.test(id)) revertedAt.set(id, time);
  }
  if (revertedAt.size === 0) return log;
  return {
    ...log,
    entries: log.entries.map((entry) => {
      const at = entry.id === undefined ? undefined : revertedAt.get(entry.id);
      return at === undefined ? entry : { ...entry, reverted: true, revertedAt: at };
    }),
  };
}

// The audit log of applied settings: JSON lines, each appended and fsynced.
import type { AuditEntry } from './adapter.js';
import { appendLineDurably, readFileIfExists } from './atomic-write.js';

export async function appendAuditEntry(path: string, entry: AuditEntry): Promise<void> {
  await appendLineDurably(path, JSON.stringify(entry));
}

export async function readAuditEntries(path: string): Promise<AuditEntry[]> {
  return parseAuditLog((await readFileIfExists(path)) ?? '');
}

/** Every entry, oldest first. A line torn by a crash mid-append is skipped; the others still count. */
export function parseAuditLog(text: string): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as AuditEntry);
    } catch {
      // torn line
    }
  }
  return entries;
}

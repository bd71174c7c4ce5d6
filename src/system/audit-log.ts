// The audit log of applied settings: JSON lines, each appended and fsynced.
import { readFile } from 'node:fs/promises';
import type { AuditEntry } from './adapter.js';
import { appendLineDurably } from './atomic-write.js';

export async function appendAuditEntry(path: string, entry: AuditEntry): Promise<void> {
  await appendLineDurably(path, JSON.stringify(entry));
}

export async function readAuditEntries(path: string): Promise<AuditEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: AuditEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as AuditEntry);
    } catch {
      // A line torn by a crash mid-append is skipped; the others still count.
    }
  }
  return entries;
}

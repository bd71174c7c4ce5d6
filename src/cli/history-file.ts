// Per-user command history on disk, written atomically.
import { readFile } from '../lazy-fs.js';
import { join } from 'node:path';
import { writeFileAtomic } from '../system/atomic-write.js';
import { HISTORY_LIMIT } from '../ui/history.js';

export function historyPath(stateDir: string, user: string): string {
  return join(stateDir, 'history', user.replace(/[^A-Za-z0-9._-]/g, '_'));
}

export async function loadHistory(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter(Boolean).slice(-HISTORY_LIMIT);
  } catch {
    return []; // no history yet, or unreadable: start empty rather than refuse the shell
  }
}

export async function saveHistory(path: string, entries: readonly string[]): Promise<void> {
  await writeFileAtomic(path, entries.length ? `${entries.join('\n')}\n` : '', 0o600);
}

// Tab completion of file paths for `network validate-capture FILE...`.

import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Paths that start with `partial`: entries of its directory, directories with
 * a trailing "/". Hidden entries only when the partial name starts with ".".
 * Never throws (an unreadable directory gives no candidates).
 */
export function completePath(partial: string, cwd = process.cwd()): string[] {
  const slash = partial.lastIndexOf('/');
  const dirPart = slash >= 0 ? partial.slice(0, slash + 1) : '';
  const namePart = slash >= 0 ? partial.slice(slash + 1) : partial;
  const dir = path.resolve(cwd, dirPart === '' ? '.' : dirPart);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (!e.name.startsWith(namePart)) continue;
    if (e.name.startsWith('.') && !namePart.startsWith('.')) continue;
    let isDir = e.isDirectory();
    if (e.isSymbolicLink()) {
      try {
        isDir = statSync(path.join(dir, e.name)).isDirectory();
      } catch {
        isDir = false; // a dangling link
      }
    }
    out.push(dirPart + e.name + (isDir ? '/' : ''));
  }
  return out.sort();
}

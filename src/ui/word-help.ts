// What Tab and "?" do at the shell prompt: complete the word being typed, or
// list what may come next, from the commands the signed-in role may run.
// Pure of the controller's state: the line in, the new line and lines to show out.
import type { AnyCommand, Category } from '../commands/types.js';
import type { SystemAdapter } from '../system/adapter.js';
import { complete, commonPrefix } from '../commands/complete.js';
import { nextWordHelp } from '../commands/help.js';
import { tokenize } from '../commands/tokenize.js';
import { untrusted } from '../output/escape.js';
import * as edit from './line-editor.js';

export interface WordHelp {
  editor: edit.EditorState;
  /** Lines to print: the echoed prompt line first. */
  lines: { text: string; tone?: 'echo' }[];
}

/** Tab: the only candidate, or the candidates' shared start, or the candidates listed. */
export async function completeWord(
  editor: edit.EditorState,
  mode: Category | null,
  system: SystemAdapter,
  commands: AnyCommand[],
  prompt: string,
): Promise<WordHelp> {
  const before = editor.text.slice(0, editor.cursor);
  const { start, end, candidates } = await complete(before, mode, system, commands);
  if (candidates.length === 1) {
    // A folder ends in "/" and gets no space, so the next Tab goes on into it.
    const only = candidates[0]!;
    return { editor: edit.replaceRange(editor, start, end, only.endsWith('/') ? only : `${only} `), lines: [] };
  }
  if (candidates.length > 1) {
    const shared = commonPrefix(candidates);
    if (shared.length > end - start) return { editor: edit.replaceRange(editor, start, end, shared), lines: [] };
    // Candidates are file and interface names: untrusted, shown escaped and cut.
    return { editor, lines: [{ text: `${prompt}${editor.text}`, tone: 'echo' }, { text: candidates.map((c) => untrusted(c)).join('  ') }] };
  }
  return { editor, lines: [] };
}

/** "?": "net?" asks about the word being typed; "net ?" asks what follows it. */
export function nextWords(editor: edit.EditorState, mode: Category | null, commands: AnyCommand[], prompt: string): WordHelp['lines'] {
  const before = editor.text.slice(0, editor.cursor);
  let words: string[];
  try {
    words = tokenize(before).map((w) => w.text);
  } catch {
    words = [];
  }
  if (before !== '' && !/\s$/.test(before)) words.pop();
  return [{ text: `${prompt}${editor.text}?`, tone: 'echo' }, { text: nextWordHelp(words, mode, commands) }];
}

// The line being typed, as plain data, and the edits keys make to it.
export interface EditorState {
  text: string;
  cursor: number;
}

export const EMPTY_LINE: EditorState = { text: '', cursor: 0 };

export function lineOf(text: string): EditorState {
  return { text, cursor: text.length };
}

/**
 * The longest line the prompt takes, as the kernel's own line discipline (N_TTY
 * keeps 4095 characters and drops the rest): a 1 MB paste would otherwise be laid
 * out and redrawn on every later key, which a serial console never gets through.
 */
export const MAX_LINE_LENGTH = 4095;

export function insert(state: EditorState, chars: string): EditorState {
  const room = Math.max(0, MAX_LINE_LENGTH - state.text.length);
  let kept = chars.length > room ? chars.slice(0, room) : chars;
  // Never half a surrogate pair (an emoji cut in two would show as U+FFFD).
  if (kept.length > 0 && kept.length < chars.length && /[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  return {
    text: state.text.slice(0, state.cursor) + kept + state.text.slice(state.cursor),
    cursor: state.cursor + kept.length,
  };
}

export function moveLeft(s: EditorState): EditorState {
  return { ...s, cursor: Math.max(0, s.cursor - 1) };
}
export function moveRight(s: EditorState): EditorState {
  return { ...s, cursor: Math.min(s.text.length, s.cursor + 1) };
}
export function moveHome(s: EditorState): EditorState {
  return { ...s, cursor: 0 };
}
export function moveEnd(s: EditorState): EditorState {
  return { ...s, cursor: s.text.length };
}

export function backspace(s: EditorState): EditorState {
  if (s.cursor === 0) return s;
  return { text: s.text.slice(0, s.cursor - 1) + s.text.slice(s.cursor), cursor: s.cursor - 1 };
}

export function deleteForward(s: EditorState): EditorState {
  return { ...s, text: s.text.slice(0, s.cursor) + s.text.slice(s.cursor + 1) };
}

/** Ctrl-U: delete from the start of the line to the cursor. */
export function killToStart(s: EditorState): EditorState {
  return { text: s.text.slice(s.cursor), cursor: 0 };
}

/** Ctrl-K: delete from the cursor to the end of the line. */
export function killToEnd(s: EditorState): EditorState {
  return { ...s, text: s.text.slice(0, s.cursor) };
}

/** Ctrl-W: delete the word before the cursor (and the spaces after it). */
export function killWordBack(s: EditorState): EditorState {
  let start = s.cursor;
  while (start > 0 && s.text[start - 1] === ' ') start -= 1;
  while (start > 0 && s.text[start - 1] !== ' ') start -= 1;
  return { text: s.text.slice(0, start) + s.text.slice(s.cursor), cursor: start };
}

/** Replaces text[start, end) with a completion. */
export function replaceRange(s: EditorState, start: number, end: number, replacement: string): EditorState {
  const text = s.text.slice(0, start) + replacement + s.text.slice(end);
  return { text, cursor: start + replacement.length };
}

// The keys that only edit the line being typed (Emacs/readline bindings), as
// one pure mapping: the controller decides what Enter, Tab, "?" and the
// control keys mean for the session; this module only moves text and cursor.
import type { Key } from './keys.js';
import * as edit from './line-editor.js';

/** The line after an editing key, or null when the key is not an editing key. */
export function editingKey(editor: edit.EditorState, key: Key): edit.EditorState | null {
  switch (key.name) {
    case 'text':
      return edit.insert(editor, key.text);
    case 'backspace':
      return edit.backspace(editor);
    case 'delete':
      return edit.deleteForward(editor);
    case 'left':
      return edit.moveLeft(editor);
    case 'right':
      return edit.moveRight(editor);
    case 'home':
    case 'ctrl-a':
      return edit.moveHome(editor);
    case 'end':
    case 'ctrl-e':
      return edit.moveEnd(editor);
    case 'ctrl-u':
      return edit.killToStart(editor);
    case 'ctrl-k':
      return edit.killToEnd(editor);
    case 'ctrl-w':
      return edit.killWordBack(editor);
    default:
      return null;
  }
}

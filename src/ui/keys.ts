// Decodes raw terminal input into keys. Ink's own parser treats a chunk of
// typed text as one event and reports Backspace (0x7f) as "delete"; a line
// editor needs every key of a pasted or fast-typed chunk, in order.
export type KeyName =
  | 'enter' | 'tab' | 'backspace' | 'delete' | 'left' | 'right' | 'up' | 'down' | 'home' | 'end'
  | 'ctrl-a' | 'ctrl-e' | 'ctrl-u' | 'ctrl-w' | 'ctrl-k' | 'ctrl-c' | 'ctrl-d' | 'ctrl-l' | 'escape' | 'space';

export type Key = { name: 'text'; text: string } | { name: KeyName };

const CONTROL: Record<string, KeyName> = {
  '\r': 'enter', '\n': 'enter', '\t': 'tab', '\x7f': 'backspace', '\b': 'backspace',
  '\x01': 'ctrl-a', '\x05': 'ctrl-e', '\x15': 'ctrl-u', '\x17': 'ctrl-w', '\x0b': 'ctrl-k',
  '\x03': 'ctrl-c', '\x04': 'ctrl-d', '\x0c': 'ctrl-l',
};

const ESCAPES: Record<string, KeyName> = {
  '[A': 'up', '[B': 'down', '[C': 'right', '[D': 'left', OA: 'up', OB: 'down', OC: 'right', OD: 'left',
  '[H': 'home', '[F': 'end', OH: 'home', OF: 'end', '[1~': 'home', '[7~': 'home', '[4~': 'end', '[8~': 'end',
  '[3~': 'delete',
};

export function decodeKeys(data: string): Key[] {
  const keys: Key[] = [];
  let text = '';
  const flush = () => {
    if (text) keys.push({ name: 'text', text });
    text = '';
  };
  for (let i = 0; i < data.length; ) {
    const ch = data[i]!;
    if (ch === '\x1b') {
      flush();
      // CSI / SS3: ESC [ params final, or ESC O letter.
      const match = /^\x1b(\[[0-9;]*[~A-Za-z]|O[A-Za-z])/.exec(data.slice(i));
      if (match) {
        const body = match[1]!.replace(/^\[1;\d+([A-Z])$/, '[$1'); // modifiers (Shift/Ctrl+arrow) act as the plain key
        const name = ESCAPES[body];
        if (name) keys.push({ name });
        i += match[0].length;
      } else {
        keys.push({ name: 'escape' });
        i += 1;
      }
      continue;
    }
    const control = CONTROL[ch];
    if (control) {
      flush();
      // \r\n from a paste is one Enter.
      if (ch === '\r' && data[i + 1] === '\n') i += 1;
      keys.push({ name: control });
    } else if (ch >= ' ') {
      text += ch;
    }
    i += 1;
  }
  flush();
  return keys;
}

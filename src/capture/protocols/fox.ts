// Niagara Fox: text messages "fox a ..." / "fox s ...".
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 'fox',
  ot: true,
  bindings: [{ on: 'tcp', values: [1911, 4911] }],
  heuristic: [0x66],
  confirm(b, s, e) {
    if (e - s < 8) return false;
    if (b[s] !== 0x66 || b[s + 1] !== 0x6f || b[s + 2] !== 0x78 || b[s + 3] !== 0x20) return false;
    const k = b[s + 4]!;
    return k >= 0x61 && k <= 0x7a && b[s + 5] === 0x20;
  },
  example: () => new TextEncoder().encode('fox a 0 -1 fox hello\n{\n};;\n'),
});

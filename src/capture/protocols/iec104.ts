// IEC 60870-5-104: a chain of APCI (0x68, length, control field of I/S/U format).
import { bytes } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 'iec60870_104',
  ot: true,
  bindings: [{ on: 'tcp', values: [2404] }],
  confirm(b, s, e) {
    let p = s;
    let apdus = 0;
    while (p < e) {
      if (e - p < 6) return apdus > 0;
      if (b[p] !== 0x68) return false;
      const l = b[p + 1]!;
      if (l < 4 || l > 253) return false;
      const c = b[p + 2]!;
      if ((c & 1) === 1) {
        if (l !== 4) return false; // S and U formats are 4 bytes
        if ((c & 3) === 3 && c !== 0x07 && c !== 0x0b && c !== 0x13 && c !== 0x23 && c !== 0x43 && c !== 0x83) return false;
      }
      apdus++;
      p += 2 + l;
      if (apdus > 64) break;
    }
    return true;
  },
  // STARTDT act
  example: () => bytes([0x68, 0x04, 0x07, 0x00, 0x00, 0x00]),
});

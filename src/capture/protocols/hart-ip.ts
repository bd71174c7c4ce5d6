// HART-IP: version 1/2, message type, message id, length equal to the payload.
import { be16, bytes } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 'hart_ip',
  ot: true,
  bindings: [
    { on: 'tcp', values: [5094] },
    { on: 'udp', values: [5094] },
  ],
  heuristic: [0x01, 0x02],
  confirm(b, s, e) {
    const len = e - s;
    if (len < 8) return false;
    const v = b[s]!;
    if (v !== 1 && v !== 2) return false;
    const t = b[s + 1]!;
    if (t > 3 && t !== 15) return false;
    const id = b[s + 2]!;
    if (id > 4 && id !== 128) return false;
    const l = be16(b, s + 6);
    return l >= 8 && l <= len && (l === len || v === 1);
  },
  // keep-alive request
  example: () => bytes([0x02, 0x00, 0x02, 0x00, 0x00, 0x01, 0x00, 0x08]),
});

// OMRON FINS: "FINS" + length over TCP, or a sane ICF/RSV/GCT header over UDP.
import { be32, bytes } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 'omron',
  ot: true,
  bindings: [
    { on: 'tcp', values: [9600] },
    {
      on: 'udp',
      values: [9600],
      confirm(b, s, e) {
        if (e - s < 12) return false;
        const icf = b[s]!;
        if ((icf & 0x3e) !== 0 || (icf & 0x80) === 0) return false;
        return b[s + 1] === 0 && b[s + 2]! <= 7;
      },
      // command header to node 1, memory area read
      example: () => bytes([0x80, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01, 0x01]),
    },
  ],
  heuristic: [0x46],
  confirm(b, s, e) {
    const len = e - s;
    if (len < 16 || b[s] !== 0x46 || b[s + 1] !== 0x49 || b[s + 2] !== 0x4e || b[s + 3] !== 0x53) return false;
    const l = be32(b, s + 4);
    return l >= 8 && l + 8 <= len;
  },
  // FINS/TCP node address request
  example: () => bytes([0x46, 0x49, 0x4e, 0x53, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
});

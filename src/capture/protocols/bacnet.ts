// BACnet/IP BVLC: type 0x81, a known function, length equal to the payload.
import { be16, bytes } from './bytes.js';
import { defineProtocol } from './table.js';

const ports: number[] = [];
for (let p = 47808; p <= 47823; p++) ports.push(p);

export default defineProtocol({
  name: 'bvlc',
  ot: true,
  bindings: [{ on: 'udp', values: ports }],
  heuristic: [0x81],
  confirm(b, s, e) {
    const len = e - s;
    if (len < 4 || b[s] !== 0x81 || b[s + 1]! > 0x0c) return false;
    return be16(b, s + 2) === len;
  },
  // original-broadcast NPDU: Who-Is
  example: () => bytes([0x81, 0x0b, 0x00, 0x0c, 0x01, 0x20, 0xff, 0xff, 0x00, 0xff, 0x10, 0x08]),
});

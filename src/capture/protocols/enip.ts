// EtherNet/IP: the encapsulation header on 44818 (known command, consistent
// length, options 0) and CIP I/O on UDP 2222 (a common packet format of 2..4
// items).
import { bytes, le16, le32 } from './bytes.js';
import { defineProtocol } from './table.js';

const COMMANDS = new Set([0x0001, 0x0004, 0x0063, 0x0064, 0x0065, 0x0066, 0x006f, 0x0070, 0x0072, 0x0073]);

export default defineProtocol({
  name: 'enip',
  ot: true,
  bindings: [
    { on: 'tcp', values: [44818] },
    { on: 'udp', values: [44818] },
    {
      on: 'udp',
      values: [2222],
      confirm(b, s, e) {
        const len = e - s;
        if (len < 10) return false;
        const count = le16(b, s);
        if (count < 2 || count > 4) return false;
        const t = le16(b, s + 2);
        if (t !== 0x8002 && t !== 0x0000 && t !== 0x00a1) return false;
        return 6 + le16(b, s + 4) <= len;
      },
      // null address item + connected data item (sequence 1, two bytes of data)
      example: () => bytes([0x02, 0x00, 0x02, 0x80, 0x08, 0x00, 1, 0, 0, 0, 1, 0, 0, 0, 0xb1, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00]),
    },
  ],
  heuristic: [0x01, 0x04, 0x63, 0x64, 0x65, 0x66, 0x6f, 0x70, 0x72, 0x73],
  confirm(b, s, e) {
    const len = e - s;
    if (len < 24) return false;
    if (!COMMANDS.has(le16(b, s))) return false;
    if (24 + le16(b, s + 2) > len) return false;
    return le32(b, s + 20) === 0;
  },
  // ListIdentity request
  example: () => {
    const h = new Uint8Array(24);
    h[0] = 0x63;
    return h;
  },
});

// OPC UA binary (UA TCP): message type, chunk type and a consistent message size.
import { bytes, le32 } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 'opcua',
  ot: true,
  bindings: [{ on: 'tcp', values: [4840] }],
  heuristic: [0x48, 0x41, 0x4f, 0x4d, 0x43, 0x45, 0x52],
  confirm(b, s, e) {
    const len = e - s;
    if (len < 8) return false;
    const c = b[s + 3];
    if (c !== 0x46 && c !== 0x43 && c !== 0x41) return false; // F C A
    const t = String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!);
    if (t !== 'HEL' && t !== 'ACK' && t !== 'OPN' && t !== 'MSG' && t !== 'CLO' && t !== 'ERR' && t !== 'RHE') return false;
    const size = le32(b, s + 4);
    return size >= 8 && size <= len;
  },
  // HEL with version 0 and small buffers, no endpoint URL
  example: () =>
    bytes([0x48, 0x45, 0x4c, 0x46, 0x20, 0x00, 0x00, 0x00], [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]),
});

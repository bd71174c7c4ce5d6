// DNP3 link layer: start 0x0564, length >= 5 and the header CRC (also found on
// other ports by its first byte: DNP3 on 20001 and the like).
import { bytes, crcDnp, le16 } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 'dnp3',
  ot: true,
  bindings: [
    { on: 'tcp', values: [20000] },
    { on: 'udp', values: [20000] },
  ],
  heuristic: [0x05],
  confirm(b, s, e) {
    if (e - s < 10 || b[s] !== 0x05 || b[s + 1] !== 0x64 || b[s + 2]! < 5) return false;
    return crcDnp(b, s, s + 8) === le16(b, s + 8);
  },
  example() {
    const h = bytes([0x05, 0x64, 0x05, 0xc0, 0x01, 0x00, 0x03, 0x00]);
    const crc = crcDnp(h, 0, 8);
    return bytes(h, [crc & 0xff, crc >> 8]);
  },
});

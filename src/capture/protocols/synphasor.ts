// IEEE C37.118 synchrophasor: sync 0xAA, frame type/version, frame size and CRC.
import { be16, bytes, crcCcitt } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 'synphasor',
  ot: true,
  bindings: [
    { on: 'tcp', values: [4712] },
    { on: 'udp', values: [4712, 4713] },
  ],
  heuristic: [0xaa],
  confirm(b, s, e) {
    const len = e - s;
    if (len < 16 || b[s] !== 0xaa) return false;
    const t = b[s + 1]!;
    if (((t >> 4) & 7) > 5 || (t & 0x0f) < 1 || (t & 0x0f) > 3) return false;
    const fs = be16(b, s + 2);
    if (fs < 16 || fs > len) return false;
    return crcCcitt(b, s, s + fs - 2) === be16(b, s + fs - 2);
  },
  // command frame "send configuration 2" to PMU id 1
  example() {
    const f = bytes([0xaa, 0x41, 0x00, 0x12, 0x00, 0x01, 0x5f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05], [0, 0]);
    const crc = crcCcitt(f, 0, 16);
    f[16] = crc >> 8;
    f[17] = crc & 0xff;
    return f;
  },
});

// Beckhoff ADS/AMS over TCP: AMS/TCP header (reserved 0, length) + AMS header
// (command id up to 9, data length consistent with the AMS/TCP length).
import { le16, le32 } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 'ams',
  ot: true,
  bindings: [{ on: 'tcp', values: [48898] }],
  confirm(b, s, e) {
    const len = e - s;
    if (len < 38 || b[s] !== 0 || b[s + 1] !== 0) return false;
    const l = le32(b, s + 2);
    if (l < 32) return false;
    const cmd = le16(b, s + 6 + 16);
    const dataLen = le32(b, s + 6 + 20);
    return cmd <= 9 && dataLen + 32 === l;
  },
  // ReadDeviceInfo request (command 1, no data)
  example() {
    const f = new Uint8Array(38);
    f[2] = 32;
    f[6 + 16] = 1;
    f[6 + 18] = 4;
    return f;
  },
});

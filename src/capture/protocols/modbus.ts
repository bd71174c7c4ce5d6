// Modbus/TCP: MBAP with protocol id 0, a sane length and a function code.
import { be16, bytes } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 'mbtcp',
  ot: true,
  bindings: [
    { on: 'tcp', values: [502] },
    { on: 'udp', values: [502] },
  ],
  confirm(b, s, e) {
    const len = e - s;
    if (len < 8) return false;
    if (b[s + 2] !== 0 || b[s + 3] !== 0) return false;
    const l = be16(b, s + 4);
    if (l < 2 || l > 254 || 6 + l > len) return false;
    return (b[s + 7]! & 0x7f) !== 0;
  },
  // read holding registers 0..9 of unit 1
  example: () => bytes([0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a]),
});

// S7comm (Siemens S7-300/400) on ISO-on-TCP: protocol id 0x32 and a ROSCTR of
// 1 (job), 2 (ack), 3 (ack data) or 7 (userdata).
import { bytes } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 's7comm',
  ot: true,
  bindings: [{ on: 'cotp', values: [0x32] }],
  confirm(b, s, e) {
    if (e - s < 10) return false;
    const rosctr = b[s + 1]!;
    return rosctr === 1 || rosctr === 2 || rosctr === 3 || rosctr === 7;
  },
  // job: setup communication
  example: () => bytes([0x32, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0xf0, 0x00, 0x00, 0x01, 0x00, 0x01, 0x01, 0xe0]),
});

// S7comm-plus (S7-1200/1500) on ISO-on-TCP: protocol id 0x72 and version 1,
// 2, 3 or 0xFE (keep-alive).
import { bytes } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 's7comm_plus',
  ot: true,
  bindings: [{ on: 'cotp', values: [0x72] }],
  confirm(b, s, e) {
    if (e - s < 2) return false;
    const v = b[s + 1];
    return v === 1 || v === 2 || v === 3 || v === 0xfe;
  },
  example: () => bytes([0x72, 0x01, 0x00, 0x10, 0x31, 0x00, 0x00, 0x04, 0xca, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01]),
});

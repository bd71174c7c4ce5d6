// IEC 61850 sampled values (EtherType 0x88BA): APPID, length, reserved, then the savPdu tag 0x60.
import { be16, bytes } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 'sv',
  ot: true,
  bindings: [{ on: 'ether', values: [0x88ba] }],
  confirm(b, s, e) {
    const len = e - s;
    if (len < 10) return false;
    const l = be16(b, s + 2);
    return l >= 8 && l <= len && b[s + 8] === 0x60;
  },
  example: () => bytes([0x40, 0x00, 0x00, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x60, 0x03, 0x80, 0x01, 0x01]),
});

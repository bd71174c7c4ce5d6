// IEC 61850 GOOSE (EtherType 0x88B8): APPID, length, reserved, then the goosePdu tag 0x61.
import { be16, bytes } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 'goose',
  ot: true,
  bindings: [{ on: 'ether', values: [0x88b8] }],
  confirm(b, s, e) {
    const len = e - s;
    if (len < 10) return false;
    const l = be16(b, s + 2);
    return l >= 8 && l <= len && b[s + 8] === 0x61;
  },
  example: () => bytes([0x00, 0x01, 0x00, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x61, 0x03, 0x80, 0x01, 0x00]),
});

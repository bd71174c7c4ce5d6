// Ethernet POWERLINK v2 (EtherType 0x88AB, or UDP 3819): message type SoC,
// PReq, PRes, SoA or ASnd.
import { bytes } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 'epl',
  ot: true,
  bindings: [
    { on: 'ether', values: [0x88ab] },
    { on: 'udp', values: [3819] },
  ],
  confirm(b, s, e) {
    if (e - s < 3) return false;
    const t = b[s]! & 0x7f;
    return t === 1 || t === 3 || t === 4 || t === 5 || t === 6;
  },
  // SoC from the managing node (240) to broadcast (255)
  example: () => bytes([0x01, 0xff, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00]),
});

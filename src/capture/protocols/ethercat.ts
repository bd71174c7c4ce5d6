// EtherCAT (EtherType 0x88A4, or UDP 34980): frame header of type 1
// (commands), 4 or 5, with a length that fits.
import { bytes, le16 } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 'ethercat',
  ot: true,
  bindings: [
    { on: 'ether', values: [0x88a4] },
    { on: 'udp', values: [34980] },
  ],
  confirm(b, s, e) {
    if (e - s < 2) return false;
    const h = le16(b, s);
    const type = h >> 12;
    if (type !== 1 && type !== 4 && type !== 5) return false;
    return (h & 0x7ff) <= e - s - 2;
  },
  // one BRD datagram reading 2 bytes
  example: () => bytes([0x0e, 0x10, 0x07, 0x00, 0x00, 0x00, 0x30, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
});

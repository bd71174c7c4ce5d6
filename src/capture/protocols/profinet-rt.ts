// PROFINET RT (EtherType 0x8892): a frame id is all there is to check.
import { bytes } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 'pn_rt',
  ot: true,
  bindings: [{ on: 'ether', values: [0x8892] }],
  confirm: (_b, s, e) => e - s >= 2,
  // DCP identify multicast request
  example: () => bytes([0xfe, 0xfe, 0x05, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x04, 0xff, 0xff, 0x00, 0x00]),
});

// MMS (ISO 9506, IEC 61850 client/server) on ISO-on-TCP. Two shapes:
// - the standard stack: an ISO 8327 session SPDU (CONNECT 0x0D, ACCEPT 0x0E, or
//   GIVE-TOKENS + DATA "01 00 01 00" followed by a presentation PPDU 0x61);
// - MMS PDUs directly in COTP data, without session/presentation headers, as
//   some stacks and test tools send: confirmed-RequestPDU [0] (0xA0),
//   confirmed-ResponsePDU [1] (0xA1), initiate-RequestPDU [8] (0xA8),
//   initiate-ResponsePDU [9] (0xA9), each a constructed BER element whose first
//   inner element is the invokeID INTEGER (confirmed) or a [0]/[1] integer
//   (initiate: localDetail, proposedMaxServOutstanding).
import { bytes } from './bytes.js';
import { defineProtocol } from './table.js';

/** Offset of the content of the BER element at `p` (short or 1-2 byte long length), or -1. */
function berContent(b: Uint8Array, p: number, e: number): number {
  if (p + 2 > e) return -1;
  const l = b[p + 1]!;
  if (l < 0x80) return p + 2;
  if (l === 0x81) return p + 3 <= e ? p + 3 : -1;
  if (l === 0x82) return p + 4 <= e ? p + 4 : -1;
  return -1;
}

function directMms(b: Uint8Array, s: number, e: number): boolean {
  const tag = b[s]!;
  const c = berContent(b, s, e);
  if (c < 0 || c + 3 > e) return false;
  const inner = b[c]!;
  const il = b[c + 1]!;
  if (tag === 0xa0 || tag === 0xa1) return inner === 0x02 && il >= 1 && il <= 4; // invokeID
  return (inner === 0x80 || inner === 0x81) && il >= 1 && il <= 4;
}

export default defineProtocol({
  name: 'mms',
  ot: true,
  bindings: [{ on: 'cotp', values: [0x0d, 0x0e, 0x01, 0xa0, 0xa1, 0xa8, 0xa9] }],
  confirm(b, s, e) {
    const first = b[s]!;
    if (first === 0x0d || first === 0x0e) return s + 2 < e;
    if (first === 0x01) return s + 4 < e && b[s + 1] === 0 && b[s + 2] === 1 && b[s + 3] === 0 && b[s + 4] === 0x61;
    return directMms(b, s, e);
  },
  // a confirmed-RequestPDU straight in COTP data: invokeID 1, getNameList (vmd-specific, named variables)
  example: () => bytes([0xa0, 0x0e, 0x02, 0x01, 0x01, 0xa1, 0x09, 0xa0, 0x03, 0x80, 0x01, 0x09, 0xa1, 0x02, 0x80, 0x00]),
});

// ISO-on-TCP (RFC 1006): TPKT + COTP, the carrier of S7comm, S7comm-plus and
// MMS. Not a reported protocol itself: it finds the COTP data and asks the
// sub-table (protocols declared `on: 'cotp'`, keyed by the data's first byte)
// what rides on it.
//
// A TPKT longer than its segment continues in the next segments of the same
// flow: the carrier remembers how many bytes are left and what the PDU was, so
// the continuation segments (which do not start with a TPKT header) are
// counted as that protocol too, and a TPKT that starts inside one is found.

import { be16 } from './bytes.js';
import { cotpPayloads, registerCarrier, type CarrierCheck, type SegmentContext } from './table.js';

export const ISO_TSAP_PORT = 102;
/** Flows remembered with a PDU in flight; past this the memory starts over (a scan, not a PLC). */
const MAX_CONTINUED = 4096;

/** COTP data TPDU (DT): length indicator 2, code 0xF0; the data starts 3 bytes in. */
function cotpData(b: Uint8Array, t: number, tEnd: number, e: number): number {
  const s = t + 4;
  if (s + 3 > e || b[s] !== 2 || (b[s + 1]! & 0xf0) !== 0xf0) return -1;
  const d = s + 3;
  return d < tEnd && d < e ? d : -1;
}

function ridesOn(b: Uint8Array, d: number, e: number, cx: SegmentContext): number {
  const riders = cotpPayloads[b[d]!]!;
  for (let i = 0; i < riders.length; i++) {
    const r = riders[i]!;
    if (r.confirm(b, d, e, cx)) return r.id;
  }
  return -1;
}

/** A TPKT header at `t`: version 3, reserved 0, a length of at least a COTP DT. */
const isTpkt = (b: Uint8Array, t: number, e: number) => e - t >= 4 && b[t] === 3 && b[t + 1] === 0 && be16(b, t + 2) >= 7;

export const checkIsoOnTcp: CarrierCheck = (b, s, e, cx) => {
  let t = s;
  let id = -1;
  const flow = cx.segmentFlow;
  const pending = flow !== 0 ? cx.continued.get(flow) : undefined;
  if (pending !== undefined && !isTpkt(b, s, e)) {
    // the rest of a TPKT begun in an earlier segment
    const take = Math.min(pending.left, e - s);
    pending.left -= take;
    if (pending.left === 0) cx.continued.delete(flow);
    id = pending.id;
    t = s + take;
    if (t >= e || !isTpkt(b, t, e)) return id;
  }
  // walk the TPKTs of this segment; the last one may run past its end
  for (let n = 0; t < e && n < 64; n++) {
    if (!isTpkt(b, t, e)) return id;
    const tlen = be16(b, t + 2);
    const tEnd = t + tlen;
    const d = cotpData(b, t, tEnd, e);
    if (d < 0) return id;
    const found = ridesOn(b, d, Math.min(tEnd, e), cx);
    if (found < 0) return id;
    if (id < 0) id = found;
    if (tEnd > e) {
      if (flow !== 0) {
        if (cx.continued.size >= MAX_CONTINUED) cx.continued.clear();
        cx.continued.set(flow, { left: tEnd - e, id: found });
      }
      return id;
    }
    t = tEnd;
  }
  return id;
};

registerCarrier({ tcp: [ISO_TSAP_PORT], heuristic: [0x03] }, checkIsoOnTcp);

/** TPKT + COTP DT (last data unit) around `data`: how the sub-table's examples travel. */
export function wrapCotp(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(7 + data.length);
  out[0] = 3;
  out[2] = (out.length >> 8) & 0xff;
  out[3] = out.length & 0xff;
  out[4] = 2;
  out[5] = 0xf0;
  out[6] = 0x80;
  out.set(data, 7);
  return out;
}

// otshell's pcapng block reader: SHB, IDB, EPB, SPB, ISB (and the obsolete
// Packet Block), both byte orders, any number of sections and interfaces,
// unknown blocks skipped, if_tsresol and if_tsoffset honoured.

import { CaptureError } from './errors.js';
import type { Analyzer } from './analyzer.js';
import { MAX_BLOCK, type RecordReader } from './reader.js';

export const BT_SHB = 0x0a0d0d0a;
export const BT_IDB = 1;
export const BT_PB = 2;
export const BT_SPB = 3;
export const BT_ISB = 5;
export const BT_EPB = 6;
const BOM = 0x1a2b3c4d;

export class PcapngReader implements RecordReader {
  base = 0;
  need = 0;
  private le = true;
  private inSection = false;
  private sections = 0;
  private totalInterfaces = 0;
  private orders = new Set<string>();
  private resolutions = new Set<string>();
  // interfaces of the current section
  private ifLink: number[] = [];
  private ifDiv: number[] = [];
  private ifOffset: number[] = [];
  private ifSnap: number[] = [];

  constructor(private readonly analyzer: Analyzer) {}

  private corrupt(what: string, p: number): never {
    throw new CaptureError(`${what} at byte ${this.base + p}; ${this.analyzer.packets} packets analysed`);
  }

  parse(buf: Uint8Array, dv: DataView, start: number, end: number): number {
    let p = start;
    const an = this.analyzer;
    this.need = 0;
    while (end - p >= 12) {
      const type0 = dv.getUint32(p, true);
      if (type0 === BT_SHB) {
        const bom = dv.getUint32(p + 8, true);
        if (bom === BOM) this.le = true;
        else if (bom === 0x4d3c2b1a) this.le = false;
        else this.corrupt(`pcapng section header with bad byte-order magic 0x${bom.toString(16)}`, p);
      } else if (!this.inSection) {
        this.corrupt('pcapng data before the first section header', p);
      }
      const le = this.le;
      const type = dv.getUint32(p, le);
      const len = dv.getUint32(p + 4, le);
      if (len < 12 || (len & 3) !== 0 || len > MAX_BLOCK) {
        this.corrupt(`corrupt pcapng block length ${len} (block type 0x${type.toString(16)})`, p);
      }
      if (end - p < len) {
        this.need = len;
        break;
      }
      if (dv.getUint32(p + len - 4, le) !== len) {
        this.corrupt(`pcapng block length mismatch (${len} at the start, ${dv.getUint32(p + len - 4, le)} at the end)`, p);
      }
      if (type === BT_EPB) {
        if (len < 32) this.corrupt('pcapng enhanced packet block too short', p);
        const ifId = dv.getUint32(p + 8, le);
        const caplen = dv.getUint32(p + 20, le);
        if (caplen > len - 32) this.corrupt(`pcapng packet length ${caplen} exceeds its block (${len})`, p);
        if (ifId >= this.ifLink.length) this.corrupt(`pcapng packet for undefined interface ${ifId}`, p);
        const ts = (dv.getUint32(p + 12, le) * 4294967296 + dv.getUint32(p + 16, le)) / this.ifDiv[ifId]! + this.ifOffset[ifId]!;
        an.packet(this.ifLink[ifId]!, buf, dv, p + 28, caplen, dv.getUint32(p + 24, le), ts);
      } else if (type === BT_SPB) {
        if (len < 16) this.corrupt('pcapng simple packet block too short', p);
        if (this.ifLink.length === 0) this.corrupt('pcapng simple packet block without an interface', p);
        const orig = dv.getUint32(p + 8, le);
        let caplen = len - 16;
        if (orig < caplen) caplen = orig;
        const snap = this.ifSnap[0]!;
        if (snap > 0 && snap < caplen) caplen = snap;
        an.packet(this.ifLink[0]!, buf, dv, p + 12, caplen, orig, NaN);
      } else if (type === BT_IDB) {
        if (len < 20) this.corrupt('pcapng interface description block too short', p);
        this.interface(buf, dv, p, len);
      } else if (type === BT_PB) {
        if (len < 32) this.corrupt('pcapng packet block too short', p);
        const ifId = dv.getUint16(p + 8, le);
        const caplen = dv.getUint32(p + 20, le);
        if (caplen > len - 32) this.corrupt(`pcapng packet length ${caplen} exceeds its block (${len})`, p);
        if (ifId >= this.ifLink.length) this.corrupt(`pcapng packet for undefined interface ${ifId}`, p);
        const ts = (dv.getUint32(p + 12, le) * 4294967296 + dv.getUint32(p + 16, le)) / this.ifDiv[ifId]! + this.ifOffset[ifId]!;
        an.packet(this.ifLink[ifId]!, buf, dv, p + 28, caplen, dv.getUint32(p + 24, le), ts);
      } else if (type === BT_SHB) {
        if (len < 28) this.corrupt('pcapng section header block too short', p);
        const major = dv.getUint16(p + 12, le);
        if (major !== 1) this.corrupt(`unsupported pcapng version ${major}.${dv.getUint16(p + 14, le)}`, p);
        this.inSection = true;
        this.sections++;
        this.orders.add(le ? 'little-endian' : 'big-endian');
        this.ifLink = [];
        this.ifDiv = [];
        this.ifOffset = [];
        this.ifSnap = [];
      }
      // BT_ISB and unknown block types are skipped.
      p += len;
    }
    return p;
  }

  private interface(buf: Uint8Array, dv: DataView, p: number, len: number): void {
    const le = this.le;
    const linkType = dv.getUint16(p + 8, le);
    const snap = dv.getUint32(p + 12, le);
    let div = 1e6;
    let offset = 0;
    let resolution = 'microsecond';
    const end = p + len - 4;
    let o = p + 16;
    while (end - o >= 4) {
      const code = dv.getUint16(o, le);
      const olen = dv.getUint16(o + 2, le);
      if (code === 0) break;
      const v = o + 4;
      if (v + olen > end) break; // malformed options: keep what was read
      if (code === 9 && olen >= 1) {
        const r = buf[v]!;
        const exp = r & 0x7f;
        if (r & 0x80) {
          div = 2 ** exp;
          resolution = `2^-${exp} s`;
        } else {
          div = 10 ** exp;
          resolution = exp === 9 ? 'nanosecond' : exp === 6 ? 'microsecond' : exp === 3 ? 'millisecond' : `10^-${exp} s`;
        }
        if (!(div > 0) || !Number.isFinite(div)) {
          div = 1e6;
          resolution = 'microsecond';
        }
      } else if (code === 14 && olen >= 8) {
        offset = dv.getInt32(v + (le ? 4 : 0), le) * 4294967296 + dv.getUint32(v + (le ? 0 : 4), le);
      }
      o = v + ((olen + 3) & ~3);
    }
    this.ifLink.push(linkType);
    this.ifDiv.push(div);
    this.ifOffset.push(offset);
    this.ifSnap.push(snap);
    this.totalInterfaces++;
    this.resolutions.add(resolution);
    this.analyzer.addLinkType(linkType);
  }

  truncatedMessage(offset: number, fileSize: number, packets: number): string {
    if (this.need > 0) {
      return `truncated at byte ${fileSize}; ${packets} packets analysed (pcapng block length ${this.need} at byte ${offset} runs past the end of the file)`;
    }
    return `truncated at byte ${fileSize}; ${packets} packets analysed (a partial pcapng block header at byte ${offset})`;
  }

  formatDetail(): string {
    const s = this.sections;
    const n = this.totalInterfaces;
    return `pcapng, ${s} section${s === 1 ? '' : 's'}, ${n} interface${n === 1 ? '' : 's'}, ${[...this.orders].join('/') || 'no byte order'}, ${
      [...this.resolutions].join('/') || 'no'
    } timestamps`;
  }
}

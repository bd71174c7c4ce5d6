// otshell's classic pcap reader: microsecond and nanosecond magic in either
// byte order, a bound on the record length, and detection of a truncated
// last record. (pcap-parser is kept in pcap-parser-reader.ts for comparison;
// the benchmark decided which one analyses files, see bench/capture.mjs.)

import { CaptureError } from './errors.js';
import type { Analyzer } from './analyzer.js';
import { MAX_BLOCK, MAX_RECORD, type RecordReader } from './reader.js';

export const PCAP_HEADER = 24;

export interface PcapHeader {
  littleEndian: boolean;
  nano: boolean;
  major: number;
  minor: number;
  snaplen: number;
  linkType: number;
}

/** Parses a classic pcap global header; throws CaptureError when it is not one. */
export function parsePcapHeader(b: Uint8Array, size: number): PcapHeader {
  if (size < PCAP_HEADER) throw new CaptureError(`too short for a pcap header (${size} bytes, need ${PCAP_HEADER})`);
  const dv = new DataView(b.buffer, b.byteOffset, PCAP_HEADER);
  const magicBE = dv.getUint32(0, false);
  let littleEndian: boolean;
  let nano: boolean;
  if (magicBE === 0xa1b2c3d4 || magicBE === 0xa1b23c4d) {
    littleEndian = false;
    nano = magicBE === 0xa1b23c4d;
  } else if (magicBE === 0xd4c3b2a1 || magicBE === 0x4d3cb2a1) {
    littleEndian = true;
    nano = magicBE === 0x4d3cb2a1;
  } else {
    throw new CaptureError(`not a pcap file (magic 0x${magicBE.toString(16).padStart(8, '0')})`);
  }
  const major = dv.getUint16(4, littleEndian);
  const minor = dv.getUint16(6, littleEndian);
  if (major !== 2) throw new CaptureError(`unsupported pcap version ${major}.${minor} (only 2.x is defined)`);
  return {
    littleEndian,
    nano,
    major,
    minor,
    snaplen: dv.getUint32(16, littleEndian),
    linkType: dv.getUint32(20, littleEndian) & 0xffff,
  };
}

/** The largest record length accepted for a snapshot length. */
export function recordBound(snaplen: number): number {
  return snaplen > MAX_RECORD && snaplen <= MAX_BLOCK ? snaplen : MAX_RECORD;
}

export class PcapReader implements RecordReader {
  base = 0;
  need = 0;
  private header: PcapHeader | null = null;
  private bound = MAX_RECORD;

  constructor(private readonly analyzer: Analyzer) {}

  parse(buf: Uint8Array, dv: DataView, start: number, end: number): number {
    let p = start;
    if (this.header === null) {
      if (end - p < PCAP_HEADER) {
        this.need = PCAP_HEADER;
        return p;
      }
      const h = parsePcapHeader(buf.subarray(p), end - p);
      this.header = h;
      this.bound = recordBound(h.snaplen);
      this.analyzer.addLinkType(h.linkType);
      p += PCAP_HEADER;
    }
    const h = this.header;
    const le = h.littleEndian;
    const scale = h.nano ? 1e-9 : 1e-6;
    const lt = h.linkType;
    const bound = this.bound;
    const an = this.analyzer;
    this.need = 0;
    while (end - p >= 16) {
      const caplen = dv.getUint32(p + 8, le);
      if (caplen > bound) {
        throw new CaptureError(
          `corrupt record length ${caplen} at byte ${this.base + p} (limit ${bound}); ${an.packets} packets analysed`,
        );
      }
      const rec = 16 + caplen;
      if (end - p < rec) {
        this.need = rec;
        break;
      }
      an.packet(lt, buf, dv, p + 16, caplen, dv.getUint32(p + 12, le), dv.getUint32(p, le) + dv.getUint32(p + 4, le) * scale);
      p += rec;
    }
    return p;
  }

  truncatedMessage(offset: number, fileSize: number, packets: number): string {
    const what = this.need > 0 ? `the record at byte ${offset} needs ${this.need} bytes` : `a partial record header at byte ${offset}`;
    return `truncated at byte ${fileSize}; ${packets} packets analysed (${what})`;
  }

  formatDetail(): string {
    const h = this.header;
    if (!h) return 'pcap';
    return `pcap ${h.major}.${h.minor}, ${h.nano ? 'nanosecond' : 'microsecond'} timestamps, ${
      h.littleEndian ? 'little' : 'big'
    }-endian, snaplen ${h.snaplen}`;
  }
}

// A small capture writer for synthetic fixtures: frames (Ethernet, VLAN,
// ARP, IPv4/IPv6, TCP/UDP, cooked/loopback/raw), classic pcap (micro/nano,
// either byte order) and pcapng (sections, interfaces with if_tsresol, EPB,
// SPB, ISB, unknown blocks, either byte order).

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Pkt {
  /** Seconds (fractions allowed). */
  ts: number;
  data: Uint8Array;
  origLen?: number;
}

const cat = (...parts: Uint8Array[]) => Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
const u16 = (v: number) => Buffer.from([(v >> 8) & 0xff, v & 0xff]);

export function mac(s: string): Buffer {
  return Buffer.from(s.split(':').map((h) => parseInt(h, 16)));
}
export function ip4(s: string): Buffer {
  return Buffer.from(s.split('.').map(Number));
}
export function ip6(s: string): Buffer {
  const [head, tail] = s.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.concat(groups.map((g) => u16(parseInt(g, 16))));
}

export const BROADCAST = 'ff:ff:ff:ff:ff:ff';

export function ether(dst: string, src: string, etherType: number, payload: Uint8Array, vlans: number[] = [], outerTpid = 0x8100): Buffer {
  const parts: Uint8Array[] = [mac(dst), mac(src)];
  vlans.forEach((vid, i) => parts.push(u16(i === 0 && vlans.length > 1 ? outerTpid : 0x8100), u16(vid)));
  parts.push(u16(etherType));
  parts.push(payload);
  const frame = cat(...parts);
  return frame.length < 60 ? cat(frame, Buffer.alloc(60 - frame.length)) : frame; // padding
}

export function arp(op: 1 | 2, senderMac: string, senderIp: string, targetIp: string): Buffer {
  return cat(u16(1), u16(0x0800), Buffer.from([6, 4]), u16(op), mac(senderMac), ip4(senderIp), Buffer.alloc(6), ip4(targetIp));
}

export function ipv4(src: string, dst: string, proto: number, payload: Uint8Array): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + payload.length, 2);
  h[8] = 64;
  h[9] = proto;
  ip4(src).copy(h, 12);
  ip4(dst).copy(h, 16);
  return cat(h, payload);
}

export function ipv6(src: string, dst: string, nextHeader: number, payload: Uint8Array): Buffer {
  const h = Buffer.alloc(40);
  h[0] = 0x60;
  h.writeUInt16BE(payload.length, 4);
  h[6] = nextHeader;
  h[7] = 64;
  ip6(src).copy(h, 8);
  ip6(dst).copy(h, 24);
  return cat(h, payload);
}

export function tcp(sport: number, dport: number, payload: Uint8Array = new Uint8Array(0), flags = 0x18, seq = 1): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt32BE(seq, 4);
  h[12] = 5 << 4;
  h[13] = flags;
  h.writeUInt16BE(65535, 14);
  return cat(h, payload);
}

export function udp(sport: number, dport: number, payload: Uint8Array): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt16BE(8 + payload.length, 4);
  return cat(h, payload);
}

/** Ethernet + IPv4 + TCP in one call. */
export function tcpFrame(
  srcMac: string,
  dstMac: string,
  src: string,
  dst: string,
  sport: number,
  dport: number,
  payload: Uint8Array = new Uint8Array(0),
  vlans: number[] = [],
): Buffer {
  return ether(dstMac, srcMac, 0x0800, ipv4(src, dst, 6, tcp(sport, dport, payload)), vlans);
}

export function udpFrame(srcMac: string, dstMac: string, src: string, dst: string, sport: number, dport: number, payload: Uint8Array): Buffer {
  return ether(dstMac, srcMac, 0x0800, ipv4(src, dst, 17, udp(sport, dport, payload)));
}

// --- application payloads ---------------------------------------------------

export function modbusRequest(transaction: number, unit = 1, fc = 3): Buffer {
  const pdu = Buffer.from([fc, 0x00, 0x00, 0x00, 0x0a]);
  const h = Buffer.alloc(7);
  h.writeUInt16BE(transaction, 0);
  h.writeUInt16BE(0, 2);
  h.writeUInt16BE(pdu.length + 1, 4);
  h[6] = unit;
  return cat(h, pdu);
}

/** CRC-16/DNP written independently of the library's table code (bitwise). */
export function dnpCrc(b: Uint8Array): number {
  let crc = 0;
  for (const byte of b) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa6bc : crc >>> 1;
  }
  return ~crc & 0xffff;
}

export function dnp3Frame(dst = 1, src = 3): Buffer {
  const h = Buffer.from([0x05, 0x64, 0x05, 0xc0, dst & 0xff, dst >> 8, src & 0xff, src >> 8]);
  const crc = dnpCrc(h);
  return cat(h, Buffer.from([crc & 0xff, crc >> 8]));
}

/** TPKT + COTP DT + a payload starting with `protocolId` (0x32 S7comm, 0x72 S7comm-plus). */
export function s7Frame(protocolId = 0x32): Buffer {
  const s7 =
    protocolId === 0x32
      ? Buffer.from([0x32, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0xf0, 0x00, 0x00, 0x01, 0x00, 0x01, 0x01, 0xe0])
      : Buffer.from([0x72, 0x01, 0x00, 0x10, 0x31, 0x00, 0x00, 0x04, 0xca, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01]);
  const cotp = Buffer.from([0x02, 0xf0, 0x80]);
  const tpkt = Buffer.alloc(4);
  tpkt[0] = 3;
  tpkt.writeUInt16BE(4 + cotp.length + s7.length, 2);
  return cat(tpkt, cotp, s7);
}

export function enipListIdentity(): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt16LE(0x0063, 0);
  return h;
}

export function bvlcFrame(): Buffer {
  const npdu = Buffer.from([0x01, 0x20, 0xff, 0xff, 0x00, 0xff, 0x10, 0x08]);
  const h = Buffer.from([0x81, 0x0b, 0, 0]);
  h.writeUInt16BE(4 + npdu.length, 2);
  return cat(h, npdu);
}

export function iec104StartDt(): Buffer {
  return Buffer.from([0x68, 0x04, 0x07, 0x00, 0x00, 0x00]);
}

export function gooseFrame(): Buffer {
  const pdu = Buffer.from([0x61, 0x03, 0x80, 0x01, 0x00]);
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x0001, 0);
  h.writeUInt16BE(8 + pdu.length, 2);
  return cat(h, pdu);
}

// --- file formats ------------------------------------------------------------

export interface PcapOptions {
  linkType?: number;
  nano?: boolean;
  bigEndian?: boolean;
  snaplen?: number;
}

export function writePcap(packets: Pkt[], o: PcapOptions = {}): Buffer {
  const le = !o.bigEndian;
  const w32 = (b: Buffer, v: number, at: number) => (le ? b.writeUInt32LE(v >>> 0, at) : b.writeUInt32BE(v >>> 0, at));
  const w16 = (b: Buffer, v: number, at: number) => (le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at));
  const head = Buffer.alloc(24);
  w32(head, o.nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w16(head, 2, 4);
  w16(head, 4, 6);
  w32(head, o.snaplen ?? 65535, 16);
  w32(head, o.linkType ?? 1, 20);
  const parts: Buffer[] = [head];
  for (const p of packets) {
    const h = Buffer.alloc(16);
    const sec = Math.floor(p.ts);
    const frac = Math.round((p.ts - sec) * (o.nano ? 1e9 : 1e6));
    w32(h, sec, 0);
    w32(h, frac, 4);
    w32(h, p.data.length, 8);
    w32(h, p.origLen ?? p.data.length, 12);
    parts.push(h, Buffer.from(p.data));
  }
  return Buffer.concat(parts);
}

export interface NgInterface {
  linkType: number;
  /** if_tsresol byte; omitted = microseconds. */
  tsresol?: number;
  snaplen?: number;
}
export type NgBlock =
  | { type: 'epb'; iface: number; ts: number; data: Uint8Array; origLen?: number }
  | { type: 'spb'; data: Uint8Array; origLen?: number }
  | { type: 'isb'; iface: number }
  | { type: 'unknown'; code: number; body: Uint8Array };
export interface NgSection {
  bigEndian?: boolean;
  interfaces: NgInterface[];
  blocks: NgBlock[];
}

function unitsPerSecond(tsresol: number | undefined): number {
  if (tsresol === undefined) return 1e6;
  return tsresol & 0x80 ? 2 ** (tsresol & 0x7f) : 10 ** tsresol;
}

export function writePcapng(sections: NgSection[]): Buffer {
  const out: Buffer[] = [];
  for (const sec of sections) {
    const le = !sec.bigEndian;
    const block = (type: number, body: Buffer) => {
      const pad = (4 - (body.length % 4)) % 4;
      const len = 12 + body.length + pad;
      const b = Buffer.alloc(len);
      if (le) {
        b.writeUInt32LE(type >>> 0, 0);
        b.writeUInt32LE(len, 4);
        b.writeUInt32LE(len, len - 4);
      } else {
        b.writeUInt32BE(type >>> 0, 0);
        b.writeUInt32BE(len, 4);
        b.writeUInt32BE(len, len - 4);
      }
      body.copy(b, 8);
      out.push(b);
    };
    const w = (size: number) => Buffer.alloc(size);
    const put32 = (b: Buffer, v: number, at: number) => (le ? b.writeUInt32LE(v >>> 0, at) : b.writeUInt32BE(v >>> 0, at));
    const put16 = (b: Buffer, v: number, at: number) => (le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at));
    // SHB
    const shb = w(16);
    put32(shb, 0x1a2b3c4d, 0);
    put16(shb, 1, 4);
    put16(shb, 0, 6);
    shb.writeInt32LE(-1, 8);
    shb.writeInt32LE(-1, 12);
    block(0x0a0d0d0a, shb);
    for (const itf of sec.interfaces) {
      const opts: Buffer[] = [];
      if (itf.tsresol !== undefined) {
        const o = w(8);
        put16(o, 9, 0);
        put16(o, 1, 2);
        o[4] = itf.tsresol;
        opts.push(o);
      }
      if (opts.length) opts.push(w(4)); // opt_endofopt
      const idb = w(8);
      put16(idb, itf.linkType, 0);
      put32(idb, itf.snaplen ?? 0, 4);
      block(1, Buffer.concat([idb, ...opts]));
    }
    for (const bl of sec.blocks) {
      if (bl.type === 'epb') {
        const units = unitsPerSecond(sec.interfaces[bl.iface]?.tsresol);
        const t = BigInt(Math.round(bl.ts * units));
        const h = w(20);
        put32(h, bl.iface, 0);
        put32(h, Number(t >> 32n), 4);
        put32(h, Number(t & 0xffffffffn), 8);
        put32(h, bl.data.length, 12);
        put32(h, bl.origLen ?? bl.data.length, 16);
        block(6, Buffer.concat([h, Buffer.from(bl.data)]));
      } else if (bl.type === 'spb') {
        const h = w(4);
        put32(h, bl.origLen ?? bl.data.length, 0);
        block(3, Buffer.concat([h, Buffer.from(bl.data)]));
      } else if (bl.type === 'isb') {
        const h = w(12);
        put32(h, bl.iface, 0);
        block(5, h);
      } else {
        block(bl.code, Buffer.from(bl.body));
      }
    }
  }
  return Buffer.concat(out);
}

let dir: string | null = null;
/** A per-test-file temp directory, removed after the file's tests. */
export function fixtureDir(): string {
  dir ??= mkdtempSync(path.join(tmpdir(), 'otshell-capture-'));
  return dir;
}
afterAll(() => {
  if (dir === null) return;
  try {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  } catch {
    /* best effort */
  }
  dir = null;
});
/** Writes a fixture into the temp directory and returns its path. */
export function fixture(name: string, data: Uint8Array): string {
  const file = path.join(fixtureDir(), name);
  writeFileSync(file, data);
  return file;
}

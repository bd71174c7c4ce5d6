// The capture readers' boundaries and messages one at a time (issue 17, mutation testing of
// src/capture/pcap.ts, pcapng.ts, sniff.ts): every corrupt-block message exactly, with its byte
// offset; the record bound at and past its limits; the format detail each header produces.
import { describe, expect, it } from 'vitest';
import { analyzeBuffer, captureDetails, sniffFormat } from '../../src/capture/index.js';
import { parsePcapHeader, recordBound } from '../../src/capture/pcap.js';
import { MAX_BLOCK, MAX_RECORD } from '../../src/capture/reader.js';
import { modbusRequest, tcpFrame, writePcap, writePcapng } from '../capture/helpers/writer.js';

const FRAME = tcpFrame('00:11:22:33:44:01', '00:11:22:33:44:02', '10.0.0.1', '10.0.0.2', 40000, 502, modbusRequest(1));

/** A pcapng block: type, body, total length (default: computed), trailing length (default: same). */
function block(type: number, body: Uint8Array, o: { le?: boolean; len?: number; trailer?: number } = {}): Buffer {
  const le = o.le ?? true;
  const pad = (4 - (body.length % 4)) % 4;
  const size = 12 + body.length + pad;
  const b = Buffer.alloc(size);
  const w = (v: number, at: number) => (le ? b.writeUInt32LE(v >>> 0, at) : b.writeUInt32BE(v >>> 0, at));
  w(type, 0);
  w(o.len ?? size, 4);
  Buffer.from(body).copy(b, 8);
  w(o.trailer ?? o.len ?? size, size - 4);
  return b;
}
const u32 = (...values: number[]) => {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32LE(v >>> 0, i * 4));
  return b;
};
/** Section header body: byte-order magic, version, section length -1. */
const shbBody = (major = 1, minor = 0) => {
  const b = Buffer.alloc(16, 0xff);
  b.writeUInt32LE(0x1a2b3c4d, 0);
  b.writeUInt16LE(major, 4);
  b.writeUInt16LE(minor, 6);
  return b;
};
const SHB = block(0x0a0d0d0a, shbBody());
/** An interface description: link type, snaplen, then options. */
const idb = (linkType = 1, snaplen = 0, options: Buffer = Buffer.alloc(0)) => {
  const h = Buffer.alloc(8);
  h.writeUInt16LE(linkType, 0);
  h.writeUInt32LE(snaplen, 4);
  return block(1, Buffer.concat([h, options]));
};
const option = (code: number, value: Buffer) => {
  const h = Buffer.alloc(4);
  h.writeUInt16LE(code, 0);
  h.writeUInt16LE(value.length, 2);
  const pad = Buffer.alloc((4 - (value.length % 4)) % 4);
  return Buffer.concat([h, value, pad]);
};
const END_OF_OPTIONS = Buffer.alloc(4);
const epb = (iface: number, data: Uint8Array, tsUnits = 0, caplen = data.length) =>
  block(6, Buffer.concat([u32(iface, Math.floor(tsUnits / 2 ** 32), tsUnits % 2 ** 32, caplen, data.length), Buffer.from(data)]));

const errorOf = (data: Uint8Array) => analyzeBuffer(data).error;
const detailOf = (data: Uint8Array) => captureDetails(analyzeBuffer(data)).formatDetail;

describe('sniffFormat', () => {
  const magic = (...bytes: number[]) => Uint8Array.from([...bytes, 0, 0, 0, 0]);
  it('sizes 0 and 1-3 are refused with their size', () => {
    expect(sniffFormat(new Uint8Array(0), 0)).toEqual({ error: 'empty file (0 bytes)' });
    expect(sniffFormat(Uint8Array.from([0xa1, 0xb2, 0xc3]), 3)).toEqual({ error: 'too short to be a capture file (3 bytes)' });
    expect(sniffFormat(Uint8Array.from([0xa1, 0xb2, 0xc3, 0xd4]), 4)).toBe('pcap');
  });
  it.each([
    [[0xa1, 0xb2, 0xc3, 0xd4], 'pcap'],
    [[0xd4, 0xc3, 0xb2, 0xa1], 'pcap'],
    [[0xa1, 0xb2, 0x3c, 0x4d], 'pcap'],
    [[0x4d, 0x3c, 0xb2, 0xa1], 'pcap'],
    [[0x0a, 0x0d, 0x0d, 0x0a], 'pcapng'],
  ])('magic %j is %s', (bytes, format) => {
    expect(sniffFormat(magic(...bytes), 8)).toBe(format);
  });
  it('Kuznetzov pcap in both orders, gzip with any flags, and anything else, each with its words', () => {
    expect(sniffFormat(magic(0xa1, 0xb2, 0xcd, 0x34), 8)).toEqual({ error: 'unsupported modified (Kuznetzov) pcap format (magic 0xa1b2cd34)' });
    expect(sniffFormat(magic(0x34, 0xcd, 0xb2, 0xa1), 8)).toEqual({ error: 'unsupported modified (Kuznetzov) pcap format (magic 0x34cdb2a1)' });
    expect(sniffFormat(magic(0x1f, 0x8b, 0x08, 0x00), 8)).toEqual({ error: 'a gzip-compressed file: decompress it first' });
    expect(sniffFormat(magic(0x1f, 0x8b, 0x08, 0x08), 8)).toEqual({ error: 'a gzip-compressed file: decompress it first' });
    expect(sniffFormat(magic(0x1f, 0x8c, 0x08, 0x00), 8)).toEqual({ error: 'not a pcap or pcapng file (wrong magic number 0x1f8c0800)' });
    expect(sniffFormat(magic(0, 0, 0, 1), 8)).toEqual({ error: 'not a pcap or pcapng file (wrong magic number 0x00000001)' });
  });
});

describe('classic pcap header and record bound', () => {
  it('a header cut short names its size', () => {
    expect(() => parsePcapHeader(new Uint8Array(23), 23)).toThrow('too short for a pcap header (23 bytes, need 24)');
  });
  it('a wrong magic is named in 8 hex digits', () => {
    const b = new Uint8Array(24);
    b[3] = 7;
    expect(() => parsePcapHeader(b, 24)).toThrow('not a pcap file (magic 0x00000007)');
  });
  it('only version 2.x is read', () => {
    const b = Buffer.from(writePcap([]));
    b.writeUInt16LE(1, 4);
    b.writeUInt16LE(9, 6);
    expect(() => parsePcapHeader(b, 24)).toThrow('unsupported pcap version 1.9 (only 2.x is defined)');
    b.writeUInt16LE(2, 4);
    expect(parsePcapHeader(b, 24)).toMatchObject({ major: 2, minor: 9 });
  });
  it('byte order, resolution, snaplen and the link type (low 16 bits) from each magic', () => {
    const le = Buffer.from(writePcap([], { snaplen: 1234, linkType: 0x10071 }));
    expect(parsePcapHeader(le, 24)).toEqual({ littleEndian: true, nano: false, major: 2, minor: 4, snaplen: 1234, linkType: 0x71 });
    const be = Buffer.from(writePcap([], { bigEndian: true, nano: true, snaplen: 99, linkType: 1 }));
    expect(parsePcapHeader(be, 24)).toEqual({ littleEndian: false, nano: true, major: 2, minor: 4, snaplen: 99, linkType: 1 });
    const leNano = Buffer.from(writePcap([], { nano: true }));
    expect(parsePcapHeader(leNano, 24)).toMatchObject({ littleEndian: true, nano: true });
    const beMicro = Buffer.from(writePcap([], { bigEndian: true }));
    expect(parsePcapHeader(beMicro, 24)).toMatchObject({ littleEndian: false, nano: false });
  });
  it('the record bound: the snaplen only between MAX_RECORD and MAX_BLOCK', () => {
    expect(recordBound(0)).toBe(MAX_RECORD);
    expect(recordBound(MAX_RECORD)).toBe(MAX_RECORD);
    expect(recordBound(MAX_RECORD + 1)).toBe(MAX_RECORD + 1);
    expect(recordBound(MAX_BLOCK)).toBe(MAX_BLOCK);
    expect(recordBound(MAX_BLOCK + 1)).toBe(MAX_RECORD);
  });
  it('a record exactly at the bound is read; one byte more is corrupt, with its offset and the limit', () => {
    const atBound = writePcap([{ ts: 1, data: new Uint8Array(MAX_RECORD) }]);
    expect(analyzeBuffer(atBound)).toMatchObject({ error: null, packets: 1 });
    const over = writePcap([{ ts: 1, data: FRAME }, { ts: 2, data: new Uint8Array(MAX_RECORD + 1) }]);
    expect(errorOf(over)).toBe(`corrupt record length ${MAX_RECORD + 1} at byte ${24 + 16 + FRAME.length} (limit ${MAX_RECORD}); 1 packets analysed`);
  });
  it('format detail of each header, and the truncation messages', () => {
    expect(detailOf(writePcap([{ ts: 1, data: FRAME }]))).toBe('pcap 2.4, microsecond timestamps, little-endian, snaplen 65535');
    expect(detailOf(writePcap([{ ts: 1, data: FRAME }], { nano: true, bigEndian: true, snaplen: 200 }))).toBe('pcap 2.4, nanosecond timestamps, big-endian, snaplen 200');
    const whole = writePcap([{ ts: 1, data: FRAME }, { ts: 2, data: FRAME }]);
    const second = 24 + 16 + FRAME.length;
    expect(errorOf(whole.subarray(0, second + 5))).toBe(`truncated at byte ${second + 5}; 1 packets analysed (a partial record header at byte ${second})`);
    expect(errorOf(whole.subarray(0, second + 16 + 3))).toBe(
      `truncated at byte ${second + 19}; 1 packets analysed (the record at byte ${second} needs ${16 + FRAME.length} bytes)`,
    );
  });
  it('a header alone (24 bytes) is a complete empty capture; 20 bytes are a truncated header', () => {
    expect(analyzeBuffer(writePcap([]))).toMatchObject({ error: 'no packets in the file', packets: 0, truncated: false });
    expect(errorOf(writePcap([]).subarray(0, 20))).toMatch(/^truncated at byte 20; 0 packets analysed/);
  });
  it('timestamps: microseconds and nanoseconds scale the fraction', () => {
    expect(analyzeBuffer(writePcap([{ ts: 1000.25, data: FRAME }])).firstTime).toBe('1970-01-01T00:16:40.250000Z');
    expect(analyzeBuffer(writePcap([{ ts: 1000.25, data: FRAME }], { nano: true })).firstTime).toBe('1970-01-01T00:16:40.250000Z');
  });
});

describe('pcapng blocks: each corrupt one named, with its byte offset', () => {
  const after = SHB.length + idb().length; // offset of the first block after SHB + IDB
  const cases: [string, Buffer, string][] = [
    ['a bad byte-order magic', block(0x0a0d0d0a, Buffer.from(u32(0x11223344, 0, 0, 0))), 'pcapng section header with bad byte-order magic 0x11223344 at byte 0; 0 packets analysed'],
    ['a block length under 12', Buffer.concat([SHB, idb(), block(5, u32(0, 0, 0), { len: 8 })]), `corrupt pcapng block length 8 (block type 0x5) at byte ${after}; 0 packets analysed`],
    ['a block length not a multiple of 4', Buffer.concat([SHB, idb(), block(5, u32(0, 0, 0), { len: 22 })]), `corrupt pcapng block length 22 (block type 0x5) at byte ${after}; 0 packets analysed`],
    ['a block length over 16 MiB', Buffer.concat([SHB, idb(), block(5, u32(0, 0, 0), { len: MAX_BLOCK + 4 })]), `corrupt pcapng block length ${MAX_BLOCK + 4} (block type 0x5) at byte ${after}; 0 packets analysed`],
    ['different lengths at the start and the end', Buffer.concat([SHB, idb(), block(5, u32(0, 0, 0), { trailer: 28 })]), `pcapng block length mismatch (24 at the start, 28 at the end) at byte ${after}; 0 packets analysed`],
    ['an enhanced packet block of 28 bytes', Buffer.concat([SHB, idb(), block(6, u32(0, 0, 0, 0))]), `pcapng enhanced packet block too short at byte ${after}; 0 packets analysed`],
    ['an enhanced packet longer than its block', Buffer.concat([SHB, idb(), epb(0, FRAME, 0, FRAME.length + 4)]), `pcapng packet length ${FRAME.length + 4} exceeds its block (${epb(0, FRAME).length}) at byte ${after}; 0 packets analysed`],
    ['an enhanced packet for interface 1 of 1', Buffer.concat([SHB, idb(), epb(1, FRAME)]), `pcapng packet for undefined interface 1 at byte ${after}; 0 packets analysed`],
    ['a simple packet block of 12 bytes', Buffer.concat([SHB, idb(), block(3, Buffer.alloc(0))]), `pcapng simple packet block too short at byte ${after}; 0 packets analysed`],
    ['a simple packet block before any interface', Buffer.concat([SHB, block(3, Buffer.concat([u32(FRAME.length), FRAME]))]), `pcapng simple packet block without an interface at byte ${SHB.length}; 0 packets analysed`],
    ['an interface block of 16 bytes', Buffer.concat([SHB, block(1, u32(1))]), `pcapng interface description block too short at byte ${SHB.length}; 0 packets analysed`],
    ['an obsolete packet block of 28 bytes', Buffer.concat([SHB, idb(), block(2, u32(0, 0, 0, 0))]), `pcapng packet block too short at byte ${after}; 0 packets analysed`],
    ['an obsolete packet longer than its block', Buffer.concat([SHB, idb(), block(2, Buffer.concat([u32(0, 0, 0, FRAME.length + 4, FRAME.length), FRAME]))]), `pcapng packet length ${FRAME.length + 4} exceeds its block (${32 + FRAME.length + ((4 - (FRAME.length % 4)) % 4)}) at byte ${after}; 0 packets analysed`],
    ['an obsolete packet for interface 2 of 1', Buffer.concat([SHB, idb(), block(2, Buffer.concat([u32(2, 0, 0, FRAME.length, FRAME.length), FRAME]))]), `pcapng packet for undefined interface 2 at byte ${after}; 0 packets analysed`],
    ['a section header block of 24 bytes', block(0x0a0d0d0a, shbBody().subarray(0, 12)), 'pcapng section header block too short at byte 0; 0 packets analysed'],
    ['version 2.0', block(0x0a0d0d0a, shbBody(2, 0)), 'unsupported pcapng version 2.0 at byte 0; 0 packets analysed'],
  ];
  it.each(cases)('%s', (_name, data, message) => {
    expect(errorOf(data)).toBe(message);
  });

  it('the packets before a corrupt block are counted in its message', () => {
    const data = Buffer.concat([SHB, idb(), epb(0, FRAME), epb(0, FRAME), epb(3, FRAME)]);
    expect(errorOf(data)).toBe(`pcapng packet for undefined interface 3 at byte ${after + 2 * epb(0, FRAME).length}; 2 packets analysed`);
  });

  it('blocks of exactly the minimum sizes are read', () => {
    const minimal = Buffer.concat([SHB, idb(), block(6, u32(0, 0, 0, 0, 0)), block(3, u32(0)), block(2, u32(0, 0, 0, 0, 0))]);
    expect(analyzeBuffer(minimal)).toMatchObject({ error: null, packets: 3 });
  });

  it('truncation: a partial block header, and a block running past the end', () => {
    const whole = Buffer.concat([SHB, idb(), epb(0, FRAME)]);
    expect(errorOf(whole.subarray(0, after + 8))).toBe(`truncated at byte ${after + 8}; 0 packets analysed (a partial pcapng block header at byte ${after})`);
    expect(errorOf(whole.subarray(0, after + 12))).toBe(
      `truncated at byte ${after + 12}; 0 packets analysed (pcapng block length ${epb(0, FRAME).length} at byte ${after} runs past the end of the file)`,
    );
  });
});

describe('pcapng packets and interfaces', () => {
  it('a simple packet is cut to its original length and to the interface snaplen', () => {
    const spb = (orig: number) => block(3, Buffer.concat([u32(orig), FRAME]));
    expect(analyzeBuffer(Buffer.concat([SHB, idb(), spb(FRAME.length)])).bytes).toBe(FRAME.length);
    // original shorter than the data: the data is cut to it
    const short = analyzeBuffer(Buffer.concat([SHB, idb(), spb(20)]));
    expect(short.bytes).toBe(20);
    expect(short.otProtocols).toEqual([]); // 20 bytes: no TCP payload reached
    // snaplen 30 cuts what is decoded, the original length still counts
    const snapped = analyzeBuffer(Buffer.concat([SHB, idb(1, 30), spb(FRAME.length)]));
    expect(snapped.bytes).toBe(FRAME.length);
    expect(snapped.otProtocols).toEqual([]);
    // snaplen 0 means no limit
    expect(analyzeBuffer(Buffer.concat([SHB, idb(1, 0), spb(FRAME.length)])).otProtocols.map((p) => p.name)).toEqual(['mbtcp']);
  });

  it('an enhanced packet uses its interface link type and the original length', () => {
    const data = Buffer.concat([SHB, idb(1), idb(147), epb(1, FRAME), epb(0, FRAME)]);
    const r = analyzeBuffer(data);
    expect(r.linkTypes).toEqual(['ETHERNET', 'USER0']);
    expect(r.otProtocols.map((p) => [p.name, p.packets])).toEqual([['mbtcp', 1]]);
  });

  it.each([
    [undefined, 'microsecond', 1_000_000],
    [6, 'microsecond', 1_000_000],
    [9, 'nanosecond', 1e9],
    [3, 'millisecond', 1000],
    [4, '10^-4 s', 10_000],
    [0x8a, '2^-10 s', 1024],
  ])('if_tsresol %s: %s timestamps', (tsresol, name, unitsPerSecond) => {
    const options = tsresol === undefined ? Buffer.alloc(0) : Buffer.concat([option(9, Buffer.from([tsresol])), END_OF_OPTIONS]);
    const data = Buffer.concat([SHB, idb(1, 0, options), epb(0, FRAME, 1000.5 * unitsPerSecond)]);
    const r = analyzeBuffer(data);
    expect(r.firstTime).toBe('1970-01-01T00:16:40.500000Z');
    expect(captureDetails(r).formatDetail).toBe(`pcapng, 1 section, 1 interface, little-endian, ${name} timestamps`);
  });

  it('if_tsoffset adds whole seconds, in either byte order', () => {
    const offset = Buffer.alloc(8);
    offset.writeBigInt64LE(100n);
    const le = Buffer.concat([SHB, idb(1, 0, Buffer.concat([option(14, offset), END_OF_OPTIONS])), epb(0, FRAME, 1_000_000)]);
    expect(analyzeBuffer(le).firstTime).toBe('1970-01-01T00:01:41.000000Z');
    const big = writePcapng([{ bigEndian: true, interfaces: [{ linkType: 1 }], blocks: [{ type: 'epb', iface: 0, ts: 1, data: FRAME }] }]);
    // Insert an if_tsoffset of 2^32 + 5 s into the big-endian IDB (its body starts at SHB length + 8).
    const shbLen = big.readUInt32BE(4);
    const idbLen = big.readUInt32BE(shbLen + 4);
    const opt = Buffer.alloc(16);
    opt.writeUInt16BE(14, 0);
    opt.writeUInt16BE(8, 2);
    opt.writeBigInt64BE(5n, 4);
    const newIdb = Buffer.alloc(idbLen + 16);
    big.copy(newIdb, 0, shbLen, shbLen + idbLen - 4);
    opt.copy(newIdb, idbLen - 4);
    newIdb.writeUInt32BE(idbLen + 16, 4);
    newIdb.writeUInt32BE(idbLen + 16, idbLen + 12);
    const rebuilt = Buffer.concat([big.subarray(0, shbLen), newIdb, big.subarray(shbLen + idbLen)]);
    expect(analyzeBuffer(rebuilt)).toMatchObject({ error: null, firstTime: '1970-01-01T00:00:06.000000Z' });
  });

  it('a negative if_tsoffset moves the time back', () => {
    const offset = Buffer.alloc(8);
    offset.writeBigInt64LE(-10n);
    const data = Buffer.concat([SHB, idb(1, 0, Buffer.concat([option(14, offset), END_OF_OPTIONS])), epb(0, FRAME, 100 * 1_000_000)]);
    expect(analyzeBuffer(data).firstTime).toBe('1970-01-01T00:01:30.000000Z');
  });

  it('options: end-of-options stops reading, a too-short value and an option running past the block are ignored', () => {
    const nano = option(9, Buffer.from([9]));
    const stopped = Buffer.concat([SHB, idb(1, 0, Buffer.concat([END_OF_OPTIONS, nano])), epb(0, FRAME, 5_000_000)]);
    expect(analyzeBuffer(stopped).firstTime).toBe('1970-01-01T00:00:05.000000Z'); // still microseconds
    const shortOffset = Buffer.concat([SHB, idb(1, 0, Buffer.concat([option(14, Buffer.alloc(4, 0xff)), END_OF_OPTIONS])), epb(0, FRAME, 5_000_000)]);
    expect(analyzeBuffer(shortOffset).firstTime).toBe('1970-01-01T00:00:05.000000Z');
    const emptyResol = Buffer.concat([SHB, idb(1, 0, Buffer.concat([option(9, Buffer.alloc(0)), END_OF_OPTIONS])), epb(0, FRAME, 5_000_000)]);
    expect(analyzeBuffer(emptyResol).firstTime).toBe('1970-01-01T00:00:05.000000Z');
    const runaway = Buffer.alloc(8);
    runaway.writeUInt16LE(9, 0);
    runaway.writeUInt16LE(200, 2);
    runaway[4] = 9;
    const past = Buffer.concat([SHB, idb(1, 0, runaway), epb(0, FRAME, 5_000_000)]);
    expect(analyzeBuffer(past)).toMatchObject({ error: null, firstTime: '1970-01-01T00:00:05.000000Z' });
    // options after another option are read: the padding of the first is skipped
    const two = Buffer.concat([SHB, idb(1, 0, Buffer.concat([option(2, Buffer.from('eth0x')), nano, END_OF_OPTIONS])), epb(0, FRAME, 5e9)]);
    expect(analyzeBuffer(two).firstTime).toBe('1970-01-01T00:00:05.000000Z');
  });

  it('several sections: counts, byte orders and resolutions in the format detail; interfaces reset per section', () => {
    const data = writePcapng([
      { interfaces: [{ linkType: 1 }, { linkType: 1, tsresol: 9 }], blocks: [{ type: 'epb', iface: 1, ts: 1, data: FRAME }] },
      { bigEndian: true, interfaces: [{ linkType: 1 }], blocks: [{ type: 'epb', iface: 0, ts: 2, data: FRAME }] },
    ]);
    const r = analyzeBuffer(data);
    expect(r).toMatchObject({ error: null, packets: 2 });
    expect(captureDetails(r).formatDetail).toBe('pcapng, 2 sections, 3 interfaces, little-endian/big-endian, microsecond/nanosecond timestamps');
    const stale = writePcapng([
      { interfaces: [{ linkType: 1 }, { linkType: 1 }], blocks: [] },
      { interfaces: [{ linkType: 1 }], blocks: [{ type: 'epb', iface: 1, ts: 2, data: FRAME }] },
    ]);
    expect(analyzeBuffer(stale).error).toMatch(/^pcapng packet for undefined interface 1 at byte \d+; 0 packets analysed$/);
  });

  it('a section without interfaces: no byte order lost, "no" timestamps', () => {
    expect(detailOf(SHB)).toBe('pcapng, 1 section, 0 interfaces, little-endian, no timestamps');
  });

  it('interface statistics and unknown blocks are skipped', () => {
    const data = Buffer.concat([SHB, idb(), block(5, u32(0, 0, 0)), block(0x0bad, u32(1, 2)), epb(0, FRAME)]);
    expect(analyzeBuffer(data)).toMatchObject({ error: null, packets: 1 });
  });
});

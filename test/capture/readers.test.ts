import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeBuffer, analyzeCapture, sniffFormat } from '../../src/capture/index.js';
import { analyzeCaptureWithPcapParser } from '../../src/capture/pcap-parser-reader.js';
import type { CaptureReport, HierarchyNode } from '../../src/capture/index.js';
import {
  BROADCAST,
  arp,
  ether,
  fixture,
  ipv4,
  ipv6,
  modbusRequest,
  tcp,
  tcpFrame,
  udp,
  writePcap,
  writePcapng,
  type Pkt,
} from './helpers/writer.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pcaps = path.resolve(repoRoot, '../shared/pcaps');

const A = '00:11:22:33:44:01';
const B = '00:11:22:33:44:02';

function node(r: CaptureReport, ...names: string[]): HierarchyNode | undefined {
  let list = r.hierarchy;
  let found: HierarchyNode | undefined;
  for (const n of names) {
    found = list.find((x) => x.name === n);
    if (!found) return undefined;
    list = found.children;
  }
  return found;
}

function modbusPackets(n: number, t0 = 1_700_000_000): Pkt[] {
  const out: Pkt[] = [];
  for (let i = 0; i < n; i++) {
    const req = i % 2 === 0;
    out.push({
      ts: t0 + i * 0.25,
      data: req
        ? tcpFrame(A, B, '10.0.0.1', '10.0.0.2', 40000, 502, modbusRequest(i))
        : tcpFrame(B, A, '10.0.0.2', '10.0.0.1', 502, 40000, modbusRequest(i)),
    });
  }
  return out;
}

describe('format sniffing', () => {
  it('recognises pcap in both byte orders and both resolutions, and pcapng, by magic', () => {
    for (const m of [
      [0xa1, 0xb2, 0xc3, 0xd4],
      [0xd4, 0xc3, 0xb2, 0xa1],
      [0xa1, 0xb2, 0x3c, 0x4d],
      [0x4d, 0x3c, 0xb2, 0xa1],
    ]) {
      expect(sniffFormat(Uint8Array.from(m), 4)).toBe('pcap');
    }
    expect(sniffFormat(Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a]), 4)).toBe('pcapng');
    expect(sniffFormat(Uint8Array.from([0x50, 0x4b, 0x03, 0x04]), 4)).toEqual({
      error: 'not a pcap or pcapng file (wrong magic number 0x504b0304)',
    });
  });

  it('ignores extensions: the shared .pcap that is pcapng and the .pcapng that is pcap', async () => {
    const a = await analyzeCapture(path.join(pcaps, 's7_S7-1511_db2_var1_HMI.pcap'));
    const b = await analyzeCapture(path.join(pcaps, 's7_snap7_s300_everything.pcapng'));
    expect(a.format).toBe('pcapng');
    expect(b.format).toBe('pcap');
    expect(a.error).toBeNull();
    expect(b.error).toBeNull();
  });
});

describe('classic pcap reader', () => {
  const pkts = modbusPackets(10);

  for (const [label, opts] of [
    ['microsecond little-endian', {}],
    ['microsecond big-endian', { bigEndian: true }],
    ['nanosecond little-endian', { nano: true }],
    ['nanosecond big-endian', { nano: true, bigEndian: true }],
  ] as const) {
    it(`reads ${label}`, () => {
      const r = analyzeBuffer(writePcap(pkts, opts));
      expect(r.error).toBeNull();
      expect(r.format).toBe('pcap');
      expect(r.packets).toBe(10);
      expect(r.bytes).toBe(pkts.reduce((s, p) => s + p.data.length, 0));
      expect(r.firstTime).toBe('2023-11-14T22:13:20.000000Z');
      expect(r.lastTime).toBe('2023-11-14T22:13:22.250000Z');
      expect(r.durationSeconds).toBeCloseTo(2.25, 6);
      expect(r.otProtocols.map((p) => p.name)).toEqual(['mbtcp']);
    });
  }

  it('keeps nanosecond precision in first/last time', () => {
    const r = analyzeBuffer(
      writePcap(
        [
          { ts: 1_600_000_000.123456, data: pkts[0]!.data },
          { ts: 1_600_000_000.654321, data: pkts[1]!.data },
        ],
        { nano: true },
      ),
    );
    expect(r.firstTime).toBe('2020-09-13T12:26:40.123456Z');
    expect(r.lastTime).toBe('2020-09-13T12:26:40.654321Z');
  });

  it('counts the original length when the snapshot cut the frame', () => {
    const frame = pkts[0]!.data;
    const r = analyzeBuffer(writePcap([{ ts: 1, data: frame.subarray(0, 40), origLen: frame.length }], { snaplen: 40 }));
    expect(r.packets).toBe(1);
    expect(r.bytes).toBe(frame.length);
    expect(r.error).toBeNull();
  });

  it('bins bytes per second for the peak rate', () => {
    const f = pkts[0]!.data; // 60+ bytes
    const list: Pkt[] = [
      { ts: 100.1, data: f },
      { ts: 100.9, data: f },
      { ts: 100.95, data: f },
      { ts: 101.5, data: f },
      { ts: 102.2, data: f },
    ];
    const r = analyzeBuffer(writePcap(list));
    expect(r.peakBitsPerSecond).toBe(3 * f.length * 8);
    // three one-second bins (100, 101, 102): the average is over the same bins as the peak
    expect(r.avgBitsPerSecond).toBe(Math.round((5 * f.length * 8) / 3));
  });

  it('agrees with the pcap-parser path on the shared classic captures', async () => {
    for (const name of ['ModbusTCP_ModbusTCP.pcap', 'IEC61850_Sample_File_MMS_and_GOOSE.pcap', 'bro_dnp3_dnp3_read_p20001.pcap']) {
      const file = path.join(pcaps, name);
      const own = await analyzeCapture(file);
      const viaParser = await analyzeCaptureWithPcapParser(file);
      expect({ ...viaParser, verdict: null }).toEqual({ ...own, verdict: null });
    }
  });

  it('pcap-parser path: nanosecond pcap, record bound and truncation', async () => {
    const ns = fixture('ns.pcap', writePcap(pkts, { nano: true }));
    const r = await analyzeCaptureWithPcapParser(ns);
    expect(r.packets).toBe(10);
    expect(r.lastTime).toBe('2023-11-14T22:13:22.250000Z');

    const good = writePcap(pkts);
    const corrupt = Buffer.from(good);
    corrupt.writeUInt32LE(0x7fffffff, 24 + 8); // first record's captured length
    const c = await analyzeCaptureWithPcapParser(fixture('corrupt-pp.pcap', corrupt));
    expect(c.error).toMatch(/^corrupt record length 2147483647 at byte 24/);

    const cut = await analyzeCaptureWithPcapParser(fixture('cut-pp.pcap', good.subarray(0, good.length - 5)));
    expect(cut.truncated).toBe(true);
    expect(cut.packets).toBe(9);
    expect(cut.error).toMatch(new RegExp(`^truncated at byte ${good.length - 5}; 9 packets analysed`));
  });

  it('streams files larger than one read chunk with records straddling chunk borders', async () => {
    // ~20 MB: three 8 MB chunks, with big frames so records cross chunk borders
    const big = new Uint8Array(9000);
    const frame = ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 17, udp(1000, 2000, big)));
    const list: Pkt[] = [];
    for (let i = 0; i < 2300; i++) list.push({ ts: 1000 + i, data: frame });
    const file = fixture('big.pcap', writePcap(list, { snaplen: 262144 }));
    const progress: number[] = [];
    const r = await analyzeCapture(file, { onProgress: (done) => progress.push(done) });
    expect(r.error).toBeNull();
    expect(r.packets).toBe(2300);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toBe(readFileSync(file).length);
    const ng = fixture('big.pcapng', writePcapng([{ interfaces: [{ linkType: 1 }], blocks: list.map((p) => ({ type: 'epb', iface: 0, ts: p.ts, data: p.data })) }]));
    const r2 = await analyzeCapture(ng);
    expect(r2.error).toBeNull();
    expect(r2.packets).toBe(2300);
  });

  it('stops early when the signal is aborted', async () => {
    const file = fixture('abort.pcap', writePcap(modbusPackets(1000)));
    const ac = new AbortController();
    ac.abort();
    const r = await analyzeCapture(file, { signal: ac.signal });
    expect(r.error).toMatch(/^interrupted after \d+ packets/);
  });
});

describe('pcapng reader', () => {
  const frames = modbusPackets(4).map((p) => p.data);

  for (const bigEndian of [false, true]) {
    it(`reads EPB, SPB, skips ISB and unknown blocks (${bigEndian ? 'big' : 'little'}-endian)`, () => {
      const buf = writePcapng([
        {
          bigEndian,
          interfaces: [{ linkType: 1 }],
          blocks: [
            { type: 'epb', iface: 0, ts: 1_700_000_000.5, data: frames[0]! },
            { type: 'unknown', code: 0x0bad, body: new Uint8Array(13) },
            { type: 'spb', data: frames[1]! },
            { type: 'isb', iface: 0 },
            { type: 'epb', iface: 0, ts: 1_700_000_001.75, data: frames[2]! },
          ],
        },
      ]);
      const r = analyzeBuffer(buf);
      expect(r.error).toBeNull();
      expect(r.format).toBe('pcapng');
      expect(r.packets).toBe(3);
      expect(r.linkTypes).toEqual(['ETHERNET']);
      expect(r.firstTime).toBe('2023-11-14T22:13:20.500000Z');
      expect(r.durationSeconds).toBeCloseTo(1.25, 6);
    });
  }

  it('honours if_tsresol (nanoseconds, and a power of two) per interface', () => {
    const buf = writePcapng([
      {
        interfaces: [{ linkType: 1, tsresol: 9 }, { linkType: 1, tsresol: 0x80 | 10 }],
        blocks: [
          { type: 'epb', iface: 0, ts: 1_650_000_000.000000123, data: frames[0]! },
          { type: 'epb', iface: 1, ts: 1_650_000_010.5, data: frames[1]! },
        ],
      },
    ]);
    const r = analyzeBuffer(buf);
    expect(r.error).toBeNull();
    expect(r.firstTime).toBe('2022-04-15T05:20:00.000000Z');
    expect(r.lastTime).toBe('2022-04-15T05:20:10.500000Z');
  });

  it('handles several sections with their own byte order and interfaces', () => {
    const sll = Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 6]), Buffer.from([0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0]), Buffer.from([0x08, 0x00]), ipv4('192.168.1.1', '192.168.1.2', 6, tcp(1, 502, Buffer.from(modbusRequest(1))))]);
    const buf = writePcapng([
      { interfaces: [{ linkType: 1 }], blocks: [{ type: 'epb', iface: 0, ts: 10, data: frames[0]! }] },
      {
        bigEndian: true,
        interfaces: [{ linkType: 113 }, { linkType: 1 }],
        blocks: [
          { type: 'epb', iface: 0, ts: 11, data: sll },
          { type: 'epb', iface: 1, ts: 12, data: frames[1]! },
        ],
      },
    ]);
    const r = analyzeBuffer(buf);
    expect(r.error).toBeNull();
    expect(r.packets).toBe(3);
    expect(r.linkTypes).toEqual(['ETHERNET', 'LINUX_SLL']);
    expect(node(r, 'sll', 'ip', 'tcp', 'mbtcp')?.packets).toBe(1);
    expect(node(r, 'eth', 'ip', 'tcp', 'mbtcp')?.packets).toBe(2);
  });

  it('rejects a packet for an interface that was never described', () => {
    const buf = writePcapng([{ interfaces: [{ linkType: 1 }], blocks: [{ type: 'epb', iface: 3, ts: 1, data: frames[0]! }] }]);
    const r = analyzeBuffer(buf);
    expect(r.error).toMatch(/undefined interface 3 at byte \d+; 0 packets analysed/);
  });
});

describe('link layers', () => {
  const payload = ipv4('10.1.1.1', '10.1.1.2', 6, tcp(40000, 502, modbusRequest(7)));

  it('Ethernet with 802.1Q and QinQ tags', () => {
    const r = analyzeBuffer(
      writePcap([
        { ts: 1, data: ether(B, A, 0x0800, payload, [10]) },
        { ts: 2, data: ether(B, A, 0x0800, payload, [100, 20], 0x88a8) },
      ]),
    );
    expect(node(r, 'eth', 'vlan', 'ip', 'tcp', 'mbtcp')?.packets).toBe(1);
    expect(node(r, 'eth', 'vlan', 'vlan', 'ip', 'tcp', 'mbtcp')?.packets).toBe(1);
    expect(node(r, 'eth', 'vlan')?.packets).toBe(2);
  });

  it('Linux cooked capture v1 and v2', () => {
    const v1 = Buffer.concat([Buffer.from([0, 1, 0, 1, 0, 6, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0, 0x08, 0x00]), payload]);
    const v2 = Buffer.concat([Buffer.from([0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 2, 6, 0, 0x11, 0x22, 0x33, 0x44, 0x66, 0, 0]), payload]);
    const r1 = analyzeBuffer(writePcap([{ ts: 1, data: v1 }], { linkType: 113 }));
    const r2 = analyzeBuffer(writePcap([{ ts: 1, data: v2 }], { linkType: 276 }));
    expect(r1.linkTypes).toEqual(['LINUX_SLL']);
    expect(r2.linkTypes).toEqual(['LINUX_SLL2']);
    expect(node(r1, 'sll', 'ip', 'tcp', 'mbtcp')?.packets).toBe(1);
    expect(node(r2, 'sll', 'ip', 'tcp', 'mbtcp')?.packets).toBe(1);
    expect(r1.traffic.broadcast).toBe(1); // packet type 1
    expect(r2.traffic.multicast).toBe(1); // packet type 2
    expect(r1.devices.macs).toBe(1);
  });

  it('BSD NULL loopback in either host byte order, LOOP, and raw IPv4/IPv6', () => {
    const v6 = ipv6('fd00::1', '2001:db8::2', 6, tcp(40000, 20000, Buffer.alloc(0)));
    const famLE = Buffer.from([2, 0, 0, 0]);
    const famBE = Buffer.from([0, 0, 0, 2]);
    const fam6 = Buffer.from([30, 0, 0, 0]);
    const nul = analyzeBuffer(
      writePcap(
        [
          { ts: 1, data: Buffer.concat([famLE, payload]) },
          { ts: 2, data: Buffer.concat([famBE, payload]) },
          { ts: 3, data: Buffer.concat([fam6, v6]) },
        ],
        { linkType: 0 },
      ),
    );
    expect(nul.linkTypes).toEqual(['NULL']);
    expect(node(nul, 'null', 'ip', 'tcp', 'mbtcp')?.packets).toBe(2);
    expect(node(nul, 'null', 'ipv6', 'tcp')?.packets).toBe(1);
    expect(nul.devices.ipv6).toEqual({ private: 1, public: 1 });

    const loop = analyzeBuffer(writePcap([{ ts: 1, data: Buffer.concat([famBE, payload]) }], { linkType: 108 }));
    expect(node(loop, 'null', 'ip', 'tcp', 'mbtcp')?.packets).toBe(1);

    for (const lt of [101, 228]) {
      const raw = analyzeBuffer(writePcap([{ ts: 1, data: payload }], { linkType: lt }));
      expect(node(raw, 'raw', 'ip', 'tcp', 'mbtcp')?.packets).toBe(1);
      expect(raw.traffic.unicast).toBe(1);
    }
    const raw6 = analyzeBuffer(writePcap([{ ts: 1, data: v6 }], { linkType: 229 }));
    expect(node(raw6, 'raw', 'ipv6', 'tcp')?.packets).toBe(1);
  });

  it('counts packets of an unsupported link type and names it', () => {
    const r = analyzeBuffer(writePcap([{ ts: 1, data: Buffer.alloc(20) }, { ts: 2, data: Buffer.alloc(30) }], { linkType: 195 }));
    expect(r.error).toBeNull();
    expect(r.packets).toBe(2);
    expect(r.linkTypes).toEqual(['IEEE802_15_4_WITHFCS']);
    const check = r.verdict.checks.find((c) => c.id === 'link-type');
    expect(check?.status).toBe('fail');
    expect(check?.detail).toContain('unsupported link type 195 (IEEE802_15_4_WITHFCS)');
    expect(r.verdict.status).toBe('fail');
  });

  it('classifies traffic by destination MAC and counts ARP', () => {
    const r = analyzeBuffer(
      writePcap([
        { ts: 1, data: ether(BROADCAST, A, 0x0806, arp(1, A, '10.0.0.1', '10.0.0.2')) },
        { ts: 2, data: ether(A, B, 0x0806, arp(2, B, '10.0.0.2', '10.0.0.1')) },
        { ts: 3, data: ether('01:00:5e:00:00:01', A, 0x0800, ipv4('10.0.0.1', '224.0.0.1', 17, udp(1, 2, Buffer.alloc(4)))) },
        { ts: 4, data: tcpFrame(A, B, '10.0.0.1', '8.8.8.8', 1, 2) },
      ]),
    );
    expect(r.traffic).toEqual({ unicast: 2, broadcast: 1, multicast: 1, arp: 2 });
    expect(r.devices.macs).toBe(2);
    expect(r.devices.ipv4).toEqual({ private: 1, public: 1 });
    expect(node(r, 'eth', 'arp')?.packets).toBe(2);
  });
});

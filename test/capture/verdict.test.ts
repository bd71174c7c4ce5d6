import { wrapText } from '../../src/output/wrap.js';
import { describe, it, expect } from 'vitest';
import { createStyle, toTerminal } from '../../src/output/style.js';
import { analyzeBuffer, captureExitCode, renderCaptureReport } from '../../src/capture/index.js';
import type { CaptureReport } from '../../src/capture/index.js';
import {
  BROADCAST,
  arp,
  bvlcFrame,
  dnp3Frame,
  enipListIdentity,
  ether,
  gooseFrame,
  iec104StartDt,
  ipv4,
  modbusRequest,
  s7Frame,
  tcpFrame,
  udp,
  udpFrame,
  writePcap,
  type Pkt,
} from './helpers/writer.js';

const PLC = '00:0e:8c:00:00:01';
const HMI = '00:0e:8c:00:00:02';
const SCADA = '00:0e:8c:00:00:03';
const T0 = 1_700_000_000;

const check = (r: CaptureReport, id: string) => r.verdict.checks.find((c) => c.id === id);

/** A healthy SPAN: Modbus and S7 both ways, a little ARP, broadcast, multicast, over 120 s. */
function healthySpan(vlans: number[] = []): Pkt[] {
  const out: Pkt[] = [];
  for (let i = 0; i < 240; i++) {
    const t = T0 + i * 0.5;
    out.push({ ts: t, data: tcpFrame(HMI, PLC, '192.168.0.20', '192.168.0.10', 50000, 502, modbusRequest(i), vlans) });
    out.push({ ts: t + 0.01, data: tcpFrame(PLC, HMI, '192.168.0.10', '192.168.0.20', 502, 50000, modbusRequest(i), vlans) });
    if (i % 4 === 0) {
      out.push({ ts: t + 0.02, data: tcpFrame(SCADA, PLC, '192.168.0.30', '192.168.0.10', 51000, 102, s7Frame(0x32), vlans) });
      out.push({ ts: t + 0.03, data: tcpFrame(PLC, SCADA, '192.168.0.10', '192.168.0.30', 102, 51000, s7Frame(0x32), vlans) });
    }
    if (i % 30 === 0) {
      out.push({ ts: t + 0.04, data: ether(BROADCAST, HMI, 0x0806, arp(1, HMI, '192.168.0.20', '192.168.0.10'), vlans) });
      out.push({ ts: t + 0.05, data: ether(HMI, PLC, 0x0806, arp(2, PLC, '192.168.0.10', '192.168.0.20'), vlans) });
      out.push({
        ts: t + 0.06,
        data: ether('01:00:5e:00:00:fb', HMI, 0x0800, ipv4('192.168.0.20', '224.0.0.251', 17, udp(5353, 5353, Buffer.alloc(20))), vlans),
      });
    }
  }
  return out;
}

describe('verdict fixtures (synthetic captures)', () => {
  it('ARP only: FAIL, the switch mirror is likely misconfigured', () => {
    const pkts: Pkt[] = [];
    for (let i = 0; i < 200; i++) {
      pkts.push({ ts: T0 + i, data: ether(BROADCAST, HMI, 0x0806, arp(1, HMI, '192.168.0.20', `192.168.0.${i % 200}`)) });
      pkts.push({ ts: T0 + i + 0.1, data: ether(HMI, PLC, 0x0806, arp(2, PLC, `192.168.0.${i % 200}`, '192.168.0.20')) });
    }
    const r = analyzeBuffer(writePcap(pkts), 'arp-only.pcap');
    expect(r.traffic.arp).toBe(400);
    expect(check(r, 'arp-share')).toMatchObject({ status: 'fail' });
    expect(check(r, 'arp-share')!.detail).toMatch(/most frames are ARP \(100\.0%\): the switch mirror is likely misconfigured/);
    expect(check(r, 'ot-protocols')?.status).toBe('warn');
    expect(r.verdict.status).toBe('fail');
    expect(captureExitCode([r])).toBe(1);
  });

  it('broadcast only: FAIL, no unicast', () => {
    const pkts: Pkt[] = [];
    for (let i = 0; i < 100; i++) {
      pkts.push({ ts: T0 + i, data: udpFrame(HMI, BROADCAST, '192.168.0.20', '255.255.255.255', 5000, 5001, Buffer.alloc(40)) });
    }
    const r = analyzeBuffer(writePcap(pkts), 'broadcast-only.pcap');
    expect(r.traffic).toEqual({ unicast: 0, broadcast: 100, multicast: 0, arp: 0 });
    expect(check(r, 'unicast')?.status).toBe('fail');
    expect(check(r, 'arp-share')?.status).toBe('pass');
    expect(r.verdict.status).toBe('fail');
    expect(r.devices.ipv4).toEqual({ private: 1, public: 0 });
  });

  it('one-way TCP: WARN about one-way mirroring', () => {
    const pkts: Pkt[] = [];
    for (let i = 0; i < 200; i++) {
      pkts.push({ ts: T0 + i, data: tcpFrame(HMI, PLC, '192.168.0.20', '192.168.0.10', 50000 + (i % 5), 502, modbusRequest(i)) });
    }
    const r = analyzeBuffer(writePcap(pkts), 'one-way.pcap');
    const c = check(r, 'tcp-directions');
    expect(c?.status).toBe('warn');
    expect(c?.detail).toMatch(/only 0 of 5 TCP conversations seen in both directions: the mirror may copy one direction only/);
    expect(check(r, 'unicast')?.status).toBe('pass');
    expect(check(r, 'ot-protocols')?.status).toBe('pass');
    expect(check(r, 'duration')?.status).toBe('pass');
    expect(r.verdict.status).toBe('warn');
  });

  it('a healthy mixed SPAN: PASS on every check', () => {
    const r = analyzeBuffer(writePcap(healthySpan()), 'healthy.pcap');
    expect(r.error).toBeNull();
    expect(r.verdict.checks.map((c) => [c.id, c.status])).toEqual([
      ['file-complete', 'pass'],
      ['unicast', 'pass'],
      ['arp-share', 'pass'],
      ['ot-protocols', 'pass'],
      ['tcp-directions', 'pass'],
      ['duration', 'pass'],
    ]);
    expect(r.verdict.status).toBe('pass');
    expect(captureExitCode([r])).toBe(0);
    expect(r.otProtocols.map((p) => [p.name, p.packets, p.ports])).toEqual([
      ['mbtcp', 480, [502]],
      ['s7comm', 120, [102]],
    ]);
    expect(r.devices.macs).toBe(3);
    expect(r.devices.ipv4).toEqual({ private: 3, public: 0 });
    expect(r.devices.topTalkers[0]).toMatchObject({ address: '192.168.0.10', kind: 'ipv4' });
    expect(r.durationSeconds).toBeGreaterThanOrEqual(60);
    const eth = r.hierarchy[0]!;
    expect(eth.name).toBe('eth');
    expect(eth.packets).toBe(r.packets);
    // each node's packets are at least its children's sum
    const walk = (n: typeof eth): void => {
      const sum = n.children.reduce((s, c) => s + c.packets, 0);
      expect(n.packets).toBeGreaterThanOrEqual(sum);
      n.children.forEach(walk);
    };
    walk(eth);
  });

  it('a short capture: WARN under 60 s', () => {
    const r = analyzeBuffer(writePcap(healthySpan().slice(0, 50)), 'short.pcap');
    expect(check(r, 'duration')).toMatchObject({ status: 'warn' });
    expect(check(r, 'duration')!.detail).toMatch(/record at least 60 s/);
  });

  it('VLAN-tagged traffic: decoded through the tags, same verdict', () => {
    const r = analyzeBuffer(writePcap(healthySpan([42])), 'vlan.pcap');
    expect(r.verdict.status).toBe('pass');
    const vlan = r.hierarchy[0]!.children.find((c) => c.name === 'vlan');
    expect(vlan?.packets).toBe(r.packets);
    expect(vlan?.children.map((c) => c.name).sort()).toEqual(['arp', 'ip']);
    expect(r.otProtocols.map((p) => p.name)).toEqual(['mbtcp', 's7comm']);
  });

  it('no OT protocol: WARN', () => {
    const pkts: Pkt[] = [];
    for (let i = 0; i < 100; i++) {
      pkts.push({ ts: T0 + i, data: tcpFrame(HMI, PLC, '10.0.0.1', '10.0.0.2', 40000, 80, Buffer.from('GET / HTTP/1.1\r\n\r\n')) });
      pkts.push({ ts: T0 + i + 0.5, data: tcpFrame(PLC, HMI, '10.0.0.2', '10.0.0.1', 80, 40000, Buffer.from('HTTP/1.1 200 OK\r\n\r\n')) });
    }
    const r = analyzeBuffer(writePcap(pkts), 'it-only.pcap');
    expect(check(r, 'ot-protocols')).toMatchObject({ status: 'warn', detail: 'no industrial protocols found' });
    expect(r.hierarchy[0]!.children[0]!.children[0]!.children.map((c) => c.name)).toEqual(['http']);
  });
});

describe('OT protocol detection: port table confirmed by payload, heuristics on other ports', () => {
  const both = (sp: number, dp: number, payload: Uint8Array, udpToo = false): Pkt[] => [
    { ts: T0, data: udpToo ? udpFrame(HMI, PLC, '10.0.0.1', '10.0.0.2', sp, dp, payload) : tcpFrame(HMI, PLC, '10.0.0.1', '10.0.0.2', sp, dp, payload) },
  ];
  const found = (pkts: Pkt[]) => analyzeBuffer(writePcap(pkts)).otProtocols.map((p) => `${p.name}:${p.ports.join('/')}`);

  it('finds each protocol on its registered port', () => {
    expect(found(both(40000, 502, modbusRequest(1)))).toEqual(['mbtcp:502']);
    expect(found(both(40000, 20000, dnp3Frame()))).toEqual(['dnp3:20000']);
    expect(found(both(40000, 102, s7Frame(0x32)))).toEqual(['s7comm:102']);
    expect(found(both(40000, 102, s7Frame(0x72)))).toEqual(['s7comm_plus:102']);
    expect(found(both(40000, 44818, enipListIdentity()))).toEqual(['enip:44818']);
    expect(found(both(47808, 47808, bvlcFrame(), true))).toEqual(['bvlc:47808']);
    expect(found(both(40000, 2404, iec104StartDt()))).toEqual(['iec60870_104:2404']);
    expect(found([{ ts: T0, data: ether('01:0c:cd:01:00:01', PLC, 0x88b8, gooseFrame()) }])).toEqual(['goose:']);
    expect(found([{ ts: T0, data: ether('01:0e:cf:00:00:00', PLC, 0x8892, Buffer.from([0xfe, 0xfe, 5, 0])) }])).toEqual(['pn_rt:']);
  });

  it('rejects a registered port whose payload does not match', () => {
    expect(found(both(40000, 502, Buffer.from('not modbus at all, just text')))).toEqual([]);
    const badCrc = dnp3Frame();
    badCrc[8]! ^= 0xff;
    expect(found(both(40000, 20000, badCrc))).toEqual([]);
    expect(found(both(40000, 102, Buffer.from([3, 0, 0, 7, 2, 0xf0, 0x80])))).toEqual([]);
  });

  it('finds DNP3, S7 and EtherNet/IP on non-standard ports by payload', () => {
    expect(found(both(51006, 20001, dnp3Frame()))).toEqual(['dnp3:20001']);
    expect(found(both(40000, 1102, s7Frame(0x32)))).toEqual(['s7comm:1102']);
    expect(found(both(40000, 9999, enipListIdentity()))).toEqual(['enip:9999']);
  });

  it('the shared capture with DNP3 on port 20001', async () => {
    const { analyzeCapture } = await import('../../src/capture/index.js');
    const path = await import('node:path');
    const { fileURLToPath } = await import('node:url');
    const pcaps = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/pcaps');
    const r = await analyzeCapture(path.join(pcaps, 'bro_dnp3_dnp3_read_p20001.pcap'));
    expect(r.otProtocols).toEqual([{ name: 'dnp3', packets: 2, bytes: 270, ports: [20001] }]);
  });
});

describe('text rendering', () => {
  const r = analyzeBuffer(writePcap(healthySpan()), '/captures/site-a/span-port-\u00e9t\u00e9.pcap');

  it('fits 80 columns, aligned, with every section', () => {
    // Tables are laid out to the width; text lines are wrapped by the output layer (as on an 80-column terminal).
    const text = wrapText(renderCaptureReport(r, createStyle({ ascii: false, color: false, width: 80 })), 80);
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    for (const s of ['Format', 'Link types', 'Packets', 'Bit rate', 'Traffic', 'Protocol hierarchy', 'OT protocols', 'Devices', 'Top talkers', 'Verdict']) {
      expect(text).toContain(s);
    }
    expect(text).toContain('[PASS] tcp-directions');
    // numbers right-aligned in one column
    const rows = text.split('\n').filter((l) => /^\s+(eth|ip|tcp|mbtcp)\s/.test(l));
    expect(new Set(rows.map((l) => l.length)).size).toBe(1);
  });

  it('ASCII only when asked, colour only when asked', () => {
    const ascii = renderCaptureReport(r, createStyle({ ascii: true, color: false, width: 80 }));
    expect(ascii).toMatch(/^[\x0a\x20-\x7e]*$/);
    expect(ascii).not.toContain('\x1b[');
    const color = toTerminal(renderCaptureReport(r, createStyle({ ascii: false, color: true, width: 80 })), { color: true, ascii: false });
    expect(color).toContain('\x1b[32mPASS\x1b[0m');
    const plain = renderCaptureReport(r, createStyle({ ascii: false, color: false, width: 80 }));
    expect(plain).not.toContain('\x1b[');
    expect(plain).toContain('→');
  });

  it('renders a failed file with its name and message only', () => {
    const bad = analyzeBuffer(Buffer.from('hello world'), 'notes.txt');
    const text = renderCaptureReport(bad, createStyle({ ascii: true, color: false, width: 80 }));
    expect(text.split('\n')[1]).toBe('notes.txt: not a pcap or pcapng file (wrong magic number 0x68656c6c)');
  });
});

// Every verdict threshold just below and just above its limit (issue 17). Each case goes through
// the public analyzeBuffer on a synthetic capture, so the whole path (counting, report, verdict)
// is checked; the limits are: ARP share over half of the decoded frames fails, fewer than half of
// the TCP conversations seen both ways warns, under 60 s captured warns, no unicast fails, no OT
// protocol warns.
import { describe, expect, it } from 'vitest';
import { analyzeBuffer, type CaptureReport } from '../../src/capture/index.js';
import { verdict } from '../../src/capture/report.js';
import { BROADCAST, arp, ether, modbusRequest, tcpFrame, udpFrame, writePcap, type Pkt } from './helpers/writer.js';

const PLC = '00:0e:8c:00:00:01';
const HMI = '00:0e:8c:00:00:02';
const T0 = 1_700_000_000;

const status = (r: CaptureReport, id: string) => r.verdict.checks.find((c) => c.id === id)?.status;
const detail = (r: CaptureReport, id: string) => r.verdict.checks.find((c) => c.id === id)?.detail;

function arpFrame(i: number): Pkt {
  return { ts: T0 + i * 0.01, data: ether(BROADCAST, HMI, 0x0806, arp(1, HMI, '192.168.0.20', `192.168.0.${1 + (i % 200)}`)) };
}
/** A unicast UDP frame that is not an OT protocol (so only the ARP share differs between cases). */
function unicastFrame(i: number): Pkt {
  return { ts: T0 + i * 0.01 + 0.005, data: udpFrame(HMI, PLC, '192.168.0.20', '192.168.0.10', 40000, 40001, Buffer.alloc(20)) };
}
function mix(arpCount: number, unicastCount: number): CaptureReport {
  const pkts: Pkt[] = [];
  for (let i = 0; i < arpCount; i++) pkts.push(arpFrame(i));
  for (let i = 0; i < unicastCount; i++) pkts.push(unicastFrame(i));
  pkts.sort((a, b) => a.ts - b.ts);
  return analyzeBuffer(writePcap(pkts), 'arp-mix.pcap');
}

describe('verdict: ARP share just below, at and just above half of the frames', () => {
  it.each([
    [49, 51, 'pass', '49.0%'],
    [50, 50, 'pass', '50.0%'],
    [51, 49, 'fail', '51.0%'],
    [501, 500, 'fail', '50.0%'], // 50.05%: over half by one frame
    [500, 501, 'pass', '50.0%'],
    [3, 97, 'pass', '3.0%'],
    [90, 10, 'fail', '90.0%'],
  ] as const)('%i ARP and %i unicast frames: arp-share %s', (arpCount, unicast, expected, shown) => {
    const r = mix(arpCount, unicast);
    expect(r.traffic.arp).toBe(arpCount);
    expect(r.packets).toBe(arpCount + unicast);
    expect(status(r, 'arp-share')).toBe(expected);
    expect(detail(r, 'arp-share')).toBe(
      expected === 'pass' ? `ARP is ${shown} of frames` : `most frames are ARP (${shown}): the switch mirror is likely misconfigured`,
    );
    expect(r.verdict.status).toBe(expected === 'fail' ? 'fail' : 'warn'); // no OT protocol and under 60 s: warn at best
  });
});

describe('verdict: TCP conversations seen both ways, just below and at half', () => {
  /** `twoWay` of `total` conversations answered; each on its own client port. */
  function conversations(twoWay: number, total: number): CaptureReport {
    const pkts: Pkt[] = [];
    for (let c = 0; c < total; c++) {
      const port = 50000 + c;
      pkts.push({ ts: T0 + c, data: tcpFrame(HMI, PLC, '192.168.0.20', '192.168.0.10', port, 502, modbusRequest(c)) });
      if (c < twoWay) pkts.push({ ts: T0 + c + 0.5, data: tcpFrame(PLC, HMI, '192.168.0.10', '192.168.0.20', 502, port, modbusRequest(c)) });
    }
    return analyzeBuffer(writePcap(pkts), 'tcp.pcap');
  }
  it.each([
    [1, 2, 'pass'],
    [2, 4, 'pass'],
    [2, 5, 'warn'],
    [1, 3, 'warn'],
    [3, 5, 'pass'],
    [0, 1, 'warn'],
    [1, 1, 'pass'],
  ] as const)('%i of %i conversations both ways: %s', (twoWay, total, expected) => {
    const r = conversations(twoWay, total);
    expect(status(r, 'tcp-directions')).toBe(expected);
    const text = `${twoWay} of ${total} TCP conversations seen in both directions`;
    expect(detail(r, 'tcp-directions')).toBe(expected === 'pass' ? text : `only ${text}: the mirror may copy one direction only`);
  });

  it('no TCP at all passes with its own reason', () => {
    const r = mix(0, 10);
    expect(status(r, 'tcp-directions')).toBe('pass');
    expect(detail(r, 'tcp-directions')).toBe('no TCP conversations to judge');
  });
});

describe('verdict: duration just under and at 60 s', () => {
  function lasting(seconds: number): CaptureReport {
    const pkts: Pkt[] = [
      { ts: T0, data: tcpFrame(HMI, PLC, '192.168.0.20', '192.168.0.10', 50000, 502, modbusRequest(1)) },
      { ts: T0 + seconds, data: tcpFrame(PLC, HMI, '192.168.0.10', '192.168.0.20', 502, 50000, modbusRequest(1)) },
    ];
    return analyzeBuffer(writePcap(pkts, { nano: true }), 'time.pcap');
  }
  it.each([
    [59.999, 'warn'],
    [59, 'warn'],
    [60, 'pass'],
    [60.001, 'pass'],
  ] as const)('%f s: %s', (seconds, expected) => {
    const r = lasting(seconds);
    expect(r.durationSeconds).toBeCloseTo(seconds, 3);
    expect(status(r, 'duration')).toBe(expected);
    expect(r.verdict.status).toBe(expected); // otherwise a healthy two-way Modbus exchange
  });
});

describe('verdict: unicast and OT protocols present', () => {
  it('one unicast frame among broadcasts is enough; none fails', () => {
    const broadcasts = (n: number) =>
      Array.from({ length: n }, (_, i): Pkt => ({ ts: T0 + i, data: udpFrame(HMI, BROADCAST, '192.168.0.20', '255.255.255.255', 5000, 5001, Buffer.alloc(8)) }));
    const none = analyzeBuffer(writePcap(broadcasts(5)));
    expect(status(none, 'unicast')).toBe('fail');
    expect(detail(none, 'unicast')).toBe('no unicast frames, only broadcast/multicast: the port is not receiving mirrored traffic');
    const one = analyzeBuffer(writePcap([...broadcasts(5), unicastFrame(600)]));
    expect(status(one, 'unicast')).toBe('pass');
    expect(detail(one, 'unicast')).toBe('1 unicast frames (16.7%)');
  });

  it('one Modbus frame is enough for ot-protocols; none warns', () => {
    expect(status(mix(0, 3), 'ot-protocols')).toBe('warn');
    expect(detail(mix(0, 3), 'ot-protocols')).toBe('no industrial protocols found');
    const r = analyzeBuffer(writePcap([{ ts: T0, data: tcpFrame(HMI, PLC, '192.168.0.20', '192.168.0.10', 50000, 502, modbusRequest(1)) }]));
    expect(status(r, 'ot-protocols')).toBe('pass');
    expect(detail(r, 'ot-protocols')).toBe('found mbtcp');
  });
});

describe('verdict: the overall status and the checks that end it early', () => {
  const base = analyzeBuffer(writePcap([unicastFrame(0)]), 'x.pcap');
  const with_ = (patch: Partial<CaptureReport>) => ({ ...base, ...patch }) as CaptureReport;

  it('a fail wins over a warn, in any order; warn over pass', () => {
    const failAndWarn = verdict(with_({ traffic: { unicast: 0, broadcast: 1, multicast: 0, arp: 0 }, durationSeconds: 1 }), []);
    expect(failAndWarn.status).toBe('fail');
    const warnOnly = verdict(with_({ durationSeconds: 1 }), []);
    expect(warnOnly.status).toBe('warn');
    const pass = verdict(with_({ durationSeconds: 60, otProtocols: [{ name: 'mbtcp', packets: 1, bytes: 1, ports: [502] }] }), []);
    expect(pass.status).toBe('pass');
    expect(pass.checks.every((c) => c.status === 'pass')).toBe(true);
    // a warn after a fail does not lower it back
    const failFirst = verdict(with_({ error: 'truncated', durationSeconds: 1 }), []);
    expect(failFirst.status).toBe('fail');
  });

  it('a file with an error fails file-complete with the error as detail', () => {
    const v = verdict(with_({ error: 'truncated at byte 7; 1 packets analysed' }), []);
    expect(v.checks[0]).toEqual({ id: 'file-complete', status: 'fail', detail: 'truncated at byte 7; 1 packets analysed' });
    expect(v.status).toBe('fail');
  });

  it('zero packets: only file-complete, and fail', () => {
    const v = verdict(with_({ packets: 0, error: null }), []);
    expect(v).toEqual({ status: 'fail', checks: [{ id: 'file-complete', status: 'pass', detail: 'the file was read to the end' }] });
  });

  it('unsupported link types: a failing link-type check, saying when nothing was decoded', () => {
    const some = verdict(with_({ packets: 3 }), ['unsupported link type 147 (USER0)'], undefined, 2);
    expect(some.checks.find((c) => c.id === 'link-type')).toEqual({
      id: 'link-type',
      status: 'fail',
      detail: 'unsupported link type 147 (USER0): 2 packets counted but not decoded',
    });
    expect(some.checks.map((c) => c.id)).toContain('unicast');
    const all = verdict(with_({ packets: 3 }), ['unsupported link type 147 (USER0)'], undefined, 3);
    expect(all.checks.find((c) => c.id === 'link-type')?.detail).toBe(
      'unsupported link type 147 (USER0): 3 packets counted but not decoded; not a SPAN capture of an Ethernet port',
    );
    // nothing decoded: no traffic checks, only file, link type and duration
    expect(all.checks.map((c) => c.id)).toEqual(['file-complete', 'link-type', 'duration']);
    expect(all.status).toBe('fail');
  });

  it('the ARP share is taken over decoded frames only', () => {
    // 4 packets, 2 of them undecoded; 1 ARP of the 2 decoded is half: pass. Over all 4 it would be a quarter.
    const half = verdict(with_({ packets: 4, traffic: { unicast: 1, broadcast: 1, multicast: 0, arp: 1 } }), ['x'], undefined, 2);
    expect(half.checks.find((c) => c.id === 'arp-share')).toEqual({ id: 'arp-share', status: 'pass', detail: 'ARP is 50.0% of frames' });
    const over = verdict(with_({ packets: 4, traffic: { unicast: 1, broadcast: 2, multicast: 0, arp: 2 } }), ['x'], undefined, 1);
    expect(over.checks.find((c) => c.id === 'arp-share')?.status).toBe('fail');
    expect(over.checks.find((c) => c.id === 'unicast')?.detail).toBe('1 unicast frames (33.3%)');
  });

  it('duration details: seconds, minutes, hours', () => {
    const d = (s: number) => verdict(with_({ durationSeconds: s }), []).checks.find((c) => c.id === 'duration')?.detail;
    expect(d(5)).toBe('only 5.000 s captured; record at least 60 s');
    expect(d(59.5)).toBe('only 59.5 s captured; record at least 60 s');
    expect(d(119.94)).toBe('119.9 s captured');
    expect(d(120)).toBe('2 min 0 s captured');
    expect(d(7199)).toBe('119 min 59 s captured');
    expect(d(7200)).toBe('2 h 0 min captured');
    expect(d(9.9999)).toBe('only 10.000 s captured; record at least 60 s');
  });
});

// The verdict's detail lines word for word when they list several names, its defaults, and
// fmtSeconds at its unit bounds (issue 17: survivors of the mutation run of the verdict).
import { describe, expect, it } from 'vitest';
import { analyzeBuffer, type CaptureReport } from '../../src/capture/index.js';
import { fmtSeconds, verdict } from '../../src/capture/report.js';
import { udpFrame, writePcap } from './helpers/writer.js';

const base = analyzeBuffer(writePcap([{ ts: 1_700_000_000, data: udpFrame('00:0e:8c:00:00:02', '00:0e:8c:00:00:01', '10.0.0.2', '10.0.0.1', 40000, 40001, Buffer.alloc(20)) }]), 'x.pcap');
const with_ = (patch: Partial<CaptureReport>) => ({ ...base, ...patch }) as CaptureReport;
const p = (name: string) => ({ name, packets: 1, bytes: 60, ports: [1] });
const line = (v: CaptureReport['verdict'], id: string) => v.checks.find((c) => c.id === id);

describe('verdict detail lines with several names', () => {
  it('OT protocols found, and others by port only, each list joined by ", "', () => {
    const v = verdict(with_({ otProtocols: [p('mbtcp'), p('dnp3')], otProtocolsByPortOnly: [p('opcua_tls'), p('mqtt_tls')] }), []);
    expect(line(v, 'ot-protocols')).toEqual({ id: 'ot-protocols', status: 'pass', detail: 'found mbtcp, dnp3; by port only: opcua_tls, mqtt_tls' });
  });
  it('only by port: a warning naming them', () => {
    const v = verdict(with_({ otProtocols: [], otProtocolsByPortOnly: [p('opcua_tls'), p('mqtt_tls')] }), []);
    expect(line(v, 'ot-protocols')).toEqual({
      id: 'ot-protocols',
      status: 'warn',
      detail: 'no industrial protocol confirmed by its payload; by port only: opcua_tls, mqtt_tls',
    });
  });
  it('two unsupported link types, some packets decoded', () => {
    const v = verdict(with_({ packets: 3 }), ['unsupported link type 147 (USER0)', 'unsupported link type 105 (IEEE802_11)'], { conversations: 0, twoWay: 0 }, 2);
    expect(line(v, 'link-type')).toEqual({
      id: 'link-type',
      status: 'fail',
      detail: 'unsupported link type 147 (USER0), unsupported link type 105 (IEEE802_11): 2 packets counted but not decoded',
    });
  });
});

describe('verdict defaults', () => {
  it('without TCP figures there are no TCP conversations to judge', () => {
    expect(line(verdict(base, []), 'tcp-directions')).toEqual({ id: 'tcp-directions', status: 'pass', detail: 'no TCP conversations to judge' });
  });
});

describe('fmtSeconds at its unit bounds', () => {
  it.each([
    [9.9994, '9.999 s'],
    [10, '10.0 s'],
    [119.94, '119.9 s'],
    [120, '2 min 0 s'],
    [7199, '119 min 59 s'],
    [7200, '2 h 0 min'],
  ])('%s s -> %s', (s, text) => {
    expect(fmtSeconds(s)).toBe(text);
  });
});

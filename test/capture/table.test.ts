import { describe, it, expect } from 'vitest';
import { KeyTable } from '../../src/capture/table.js';
import { analyzeBuffer } from '../../src/capture/index.js';
import { modbusRequest, tcpFrame, writePcap, type Pkt } from './helpers/writer.js';

describe('KeyTable', () => {
  it('finds every inserted key again across growth, for each key width', () => {
    const t1 = new KeyTable(1, true);
    const t2 = new KeyTable(2, false);
    const t3 = new KeyTable(3, false);
    const t4 = new KeyTable(4, true);
    const slots: number[][] = [];
    for (let i = 0; i < 20_000; i++) {
      const k = Math.imul(i, 2654435761) | 0;
      const s1 = t1.find1(k);
      t1.packets[s1]++;
      const s4 = t4.find4(k, i, -i, 7); // find before indexing: growth swaps the arrays
      t4.packets[s4]! += 2;
      slots.push([t2.find2(i & 0xffff, k), t3.find3(k, i, 1)]);
    }
    expect([t1.size, t2.size, t3.size, t4.size]).toEqual([20_000, 20_000, 20_000, 20_000]);
    for (let i = 0; i < 20_000; i++) {
      const k = Math.imul(i, 2654435761) | 0;
      expect(t1.packets[t1.find1(k)]).toBe(1);
      expect(t4.packets[t4.find4(k, i, -i, 7)]).toBe(2);
    }
    expect(t1.size).toBe(20_000);
    expect(t4.size).toBe(20_000);
  });

  it('refuses new keys beyond maxEntries (bounded memory) and still finds old ones', () => {
    const t = new KeyTable(1, true, 100);
    for (let i = 1; i <= 100; i++) expect(t.find1(i)).toBeGreaterThanOrEqual(0);
    expect(t.find1(1000)).toBe(-1);
    expect(t.saturated).toBe(true);
    expect(t.find1(50)).toBeGreaterThanOrEqual(0);
    expect(t.size).toBe(100);
  });
});

describe('IPv4 flow table fallback', () => {
  it('gives the same devices and conversations when the flow table is full', () => {
    const pkts: Pkt[] = [];
    for (let i = 0; i < 400; i++) {
      const c = `10.0.${i % 7}.${1 + (i % 50)}`;
      const port = 40000 + (i % 13);
      pkts.push({ ts: 1000 + i, data: tcpFrame('00:00:00:00:00:01', '00:00:00:00:00:02', c, '10.1.0.1', port, 502, modbusRequest(i)) });
      if (i % 3 !== 0) pkts.push({ ts: 1000 + i + 0.5, data: tcpFrame('00:00:00:00:00:02', '00:00:00:00:00:01', '10.1.0.1', c, 502, port, modbusRequest(i)) });
    }
    const buf = writePcap(pkts);
    const normal = analyzeBuffer(buf, 'x');
    const full = analyzeBuffer(buf, 'x', { maxFlows: 3 });
    expect(full).toEqual(normal);
    expect(normal.devices.ipv4.private).toBe(351); // lcm(7, 50) clients + the server
    const check = normal.verdict.checks.find((c) => c.id === 'tcp-directions')!;
    expect(check.detail).toMatch(/^\d+ of \d+ TCP conversations seen in both directions$/);
  });
});

// With the IPv4 flow table full, addresses are counted packet by packet: never 0.0.0.0 as a
// destination (issue 17: the last survivor of the analyzer's mutation run, analyzer.ts:459:19).
import { expect, it } from 'vitest';
import { ether, ipv4, udp } from './helpers/writer.js';
import { fed, reportOf } from './helpers/direct.js';

const A = '00:11:22:33:44:01';
const B = '00:11:22:33:44:02';
const v4 = (src: string, dst: string) => ether(B, A, 0x0800, ipv4(src, dst, 17, udp(68, 67, Buffer.alloc(4))));

it('a full flow table: a packet to 0.0.0.0 counts its source only', () => {
  const an = fed(1, [v4('10.0.0.1', '10.0.0.2'), v4('10.0.0.7', '0.0.0.0'), v4('0.0.0.0', '10.0.0.7')], {}, { maxFlows: 1 });
  expect(an.flows.size).toBe(1);
  const r = reportOf(an);
  expect(r.devices.ipv4).toEqual({ private: 3, public: 0 });
  expect(r.devices.topTalkers.map((t) => `${t.address} ${t.packets}`)).toEqual(['10.0.0.7 2', '10.0.0.1 1', '10.0.0.2 1']);
});

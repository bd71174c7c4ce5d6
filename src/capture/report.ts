// Turns the analyzer's counters into the stable CaptureReport and its verdict.

import type { Analyzer } from './analyzer.js';
import { formatIpv4, formatIpv6, formatMac, isPrivateIpv4, isPrivateIpv6 } from './addresses.js';
import { linkTypeName, unsupportedMessage } from './linktypes.js';
import { protoName } from './protocols.js';
import { protocols } from './protocols/index.js';
import type { CaptureCheck, CaptureDetails, CaptureReport, CheckStatus, HierarchyNode, TopTalker } from './types.js';

const details = new WeakMap<CaptureReport, CaptureDetails>();

/** How the file was read (format detail, unsupported link types), for the text view. */
export function captureDetails(report: CaptureReport): CaptureDetails {
  return details.get(report) ?? { formatDetail: report.format ?? 'unknown format', unsupported: [] };
}

export const MIN_DURATION_SECONDS = 60;
export const TOP_TALKERS = 10;

/** ISO 8601 UTC with microseconds; null when the time cannot be represented. */
export function isoTime(ts: number): string | null {
  if (!Number.isFinite(ts) || Math.abs(ts) > 8.64e12) return null;
  let sec = Math.floor(ts);
  let micros = Math.round((ts - sec) * 1e6);
  if (micros >= 1e6) {
    sec += 1;
    micros -= 1e6;
  }
  const iso = new Date(sec * 1000).toISOString();
  return `${iso.slice(0, -5)}.${String(micros).padStart(6, '0')}Z`;
}

export function emptyReport(file: string, error: string | null, format: CaptureReport['format'] = null): CaptureReport {
  const report: CaptureReport = {
    file,
    format,
    linkTypes: [],
    packets: 0,
    bytes: 0,
    firstTime: null,
    lastTime: null,
    durationSeconds: 0,
    avgBitsPerSecond: 0,
    peakBitsPerSecond: 0,
    truncated: false,
    error,
    traffic: { unicast: 0, broadcast: 0, multicast: 0, arp: 0 },
    hierarchy: [],
    otProtocols: [],
    otProtocolsByPortOnly: [],
    devices: { macs: 0, ipv4: { private: 0, public: 0 }, ipv6: { private: 0, public: 0 }, topTalkers: [] },
    verdict: { status: 'fail', checks: [] },
  };
  report.verdict = verdict(report, []);
  return report;
}

function hierarchy(an: Analyzer): HierarchyNode[] {
  const nodes: HierarchyNode[] = [];
  const out: HierarchyNode[] = [];
  for (let n = 1; n < an.nodeCount; n++) {
    nodes[n] = { name: protoName(an.nodeProto[n]!), packets: an.nodePackets[n]!, bytes: an.nodeBytes[n]!, children: [] };
  }
  for (let n = 1; n < an.nodeCount; n++) {
    const parent = an.nodeParent[n]!;
    (parent === 0 ? out : nodes[parent]!.children).push(nodes[n]!);
  }
  const sort = (list: HierarchyNode[]) => {
    list.sort((a, b) => b.packets - a.packets || b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
    for (const c of list) sort(c.children);
  };
  // counts were kept at leaves: sum subtrees
  const total = (node: HierarchyNode): void => {
    for (const c of node.children) {
      total(c);
      node.packets += c.packets;
      node.bytes += c.bytes;
    }
  };
  for (const r of out) total(r);
  sort(out);
  return out;
}

function devices(an: Analyzer): CaptureReport['devices'] {
  const talkers: TopTalker[] = [];
  const ipv4 = { private: 0, public: 0 };
  const ipv6 = { private: 0, public: 0 };
  const consider = (t: TopTalker) => {
    talkers.push(t);
    if (talkers.length > 4 * TOP_TALKERS) {
      talkers.sort(byTraffic);
      talkers.length = TOP_TALKERS;
    }
  };
  const t4 = an.ip4;
  t4.forEach((s) => {
    const a = t4.keys[s * 4]! >>> 0;
    if (isPrivateIpv4(a)) ipv4.private++;
    else ipv4.public++;
    if (t4.packets[s]! > 0) consider({ address: formatIpv4(a), kind: 'ipv4', packets: t4.packets[s]!, bytes: t4.bytes[s]! });
  });
  const t6 = an.ip6;
  t6.forEach((s) => {
    const w = t6.keys.subarray(s * 4, s * 4 + 4);
    if (isPrivateIpv6(w)) ipv6.private++;
    else ipv6.public++;
    if (t6.packets[s]! > 0) consider({ address: formatIpv6(w), kind: 'ipv6', packets: t6.packets[s]!, bytes: t6.bytes[s]! });
  });
  const tm = an.macTalkers;
  tm.forEach((s) => {
    consider({ address: formatMac(tm.keys[s * 4]!, tm.keys[s * 4 + 1]!), kind: 'mac', packets: tm.packets[s]!, bytes: tm.bytes[s]! });
  });
  talkers.sort(byTraffic);
  talkers.length = Math.min(talkers.length, TOP_TALKERS);
  return { macs: an.macs.size, ipv4, ipv6, topTalkers: talkers };
}

function byTraffic(a: TopTalker, b: TopTalker): number {
  return b.bytes - a.bytes || b.packets - a.packets || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);
}

/** Builds the report from what the analyzer saw; `error`/`truncated` come from the reader. */
export function buildReport(
  file: string,
  format: 'pcap' | 'pcapng',
  an: Analyzer,
  error: string | null,
  truncated: boolean,
  formatDetail: string,
): CaptureReport {
  an.finish();
  const hasTime = an.tMax >= an.tMin;
  const duration = hasTime ? an.tMax - an.tMin : 0;
  const otProtocols: CaptureReport['otProtocols'] = [];
  const otProtocolsByPortOnly: CaptureReport['otProtocolsByPortOnly'] = [];
  for (const p of protocols()) {
    const id = p.id;
    if (p.ot && an.otPackets[id]! > 0) {
      (p.byPortOnly ? otProtocolsByPortOnly : otProtocols).push({
        name: p.name,
        packets: an.otPackets[id]!,
        bytes: an.otBytes[id]!,
        ports: [...an.otPorts[id]!].sort((a, b) => a - b),
      });
    }
  }
  const byPackets = (a: { packets: number; name: string }, b: { packets: number; name: string }) =>
    b.packets - a.packets || (a.name < b.name ? -1 : 1);
  otProtocols.sort(byPackets);
  otProtocolsByPortOnly.sort(byPackets);
  const unsupported = [...an.unsupported.keys()].map(unsupportedMessage);
  if (error === null && an.packets === 0) error = 'no packets in the file';
  const report: CaptureReport = {
    file,
    format,
    linkTypes: [...new Set(an.linkTypes.map(linkTypeName))],
    packets: an.packets,
    bytes: an.bytes,
    firstTime: hasTime ? isoTime(an.tMin) : null,
    lastTime: hasTime ? isoTime(an.tMax) : null,
    durationSeconds: round(duration, 6),
    // over the same one-second bins as the peak, so never above it (see averageBitsPerSecond)
    avgBitsPerSecond: an.averageBitsPerSecond(),
    peakBitsPerSecond: an.peakBinBytes * 8,
    truncated,
    error,
    traffic: { unicast: an.unicast, broadcast: an.broadcast, multicast: an.multicast, arp: an.arp },
    hierarchy: hierarchy(an),
    otProtocols,
    otProtocolsByPortOnly,
    devices: devices(an),
    verdict: { status: 'pass', checks: [] },
  };
  const tcp = tcpDirections(an);
  const unsupportedPackets = [...an.unsupported.values()].reduce((a, b) => a + b, 0);
  report.verdict = verdict(report, unsupported, tcp, unsupportedPackets);
  details.set(report, { formatDetail, unsupported });
  return report;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

interface TcpDirections {
  conversations: number;
  twoWay: number;
}

function tcpDirections(an: Analyzer): TcpDirections {
  let conversations = 0;
  let twoWay = 0;
  an.conv.forEach((s) => {
    conversations++;
    if (an.conv.flags[s] === 3) twoWay++;
  });
  return { conversations, twoWay };
}

const pct = (n: number, d: number) => (d > 0 ? `${((100 * n) / d).toFixed(1)}%` : '0%');

export function verdict(
  r: CaptureReport,
  unsupported: string[],
  tcp: TcpDirections = { conversations: 0, twoWay: 0 },
  unsupportedPackets = 0,
): CaptureReport['verdict'] {
  const checks: CaptureCheck[] = [];
  if (r.error !== null) {
    checks.push({ id: 'file-complete', status: 'fail', detail: r.error });
  } else {
    checks.push({ id: 'file-complete', status: 'pass', detail: 'the file was read to the end' });
  }
  if (r.packets === 0) {
    return { status: 'fail', checks };
  }
  if (unsupported.length > 0) {
    const all = unsupportedPackets === r.packets;
    checks.push({
      id: 'link-type',
      status: 'fail',
      detail: `${unsupported.join(', ')}: ${unsupportedPackets} packets counted but not decoded${
        all ? '; not a SPAN capture of an Ethernet port' : ''
      }`,
    });
  }
  const decoded = r.packets - unsupportedPackets;
  if (decoded > 0) {
    const t = r.traffic;
    checks.push(
      t.unicast > 0
        ? { id: 'unicast', status: 'pass', detail: `${t.unicast} unicast frames (${pct(t.unicast, decoded)})` }
        : {
            id: 'unicast',
            status: 'fail',
            detail: 'no unicast frames, only broadcast/multicast: the port is not receiving mirrored traffic',
          },
    );
    checks.push(
      t.arp * 2 > decoded
        ? {
            id: 'arp-share',
            status: 'fail',
            detail: `most frames are ARP (${pct(t.arp, decoded)}): the switch mirror is likely misconfigured`,
          }
        : { id: 'arp-share', status: 'pass', detail: `ARP is ${pct(t.arp, decoded)} of frames` },
    );
    const byPort = r.otProtocolsByPortOnly.map((p) => p.name).join(', ');
    const alsoByPort = byPort ? `; by port only: ${byPort}` : '';
    checks.push(
      r.otProtocols.length > 0
        ? { id: 'ot-protocols', status: 'pass', detail: `found ${r.otProtocols.map((p) => p.name).join(', ')}${alsoByPort}` }
        : byPort
          ? { id: 'ot-protocols', status: 'warn', detail: `no industrial protocol confirmed by its payload; by port only: ${byPort}` }
          : { id: 'ot-protocols', status: 'warn', detail: 'no industrial protocols found' },
    );
    if (tcp.conversations === 0) {
      checks.push({ id: 'tcp-directions', status: 'pass', detail: 'no TCP conversations to judge' });
    } else if (tcp.twoWay * 2 < tcp.conversations) {
      checks.push({
        id: 'tcp-directions',
        status: 'warn',
        detail: `only ${tcp.twoWay} of ${tcp.conversations} TCP conversations seen in both directions: the mirror may copy one direction only`,
      });
    } else {
      checks.push({
        id: 'tcp-directions',
        status: 'pass',
        detail: `${tcp.twoWay} of ${tcp.conversations} TCP conversations seen in both directions`,
      });
    }
  }
  checks.push(
    r.durationSeconds >= MIN_DURATION_SECONDS
      ? { id: 'duration', status: 'pass', detail: `${fmtSeconds(r.durationSeconds)} captured` }
      : {
          id: 'duration',
          status: 'warn',
          detail: `only ${fmtSeconds(r.durationSeconds)} captured; record at least ${MIN_DURATION_SECONDS} s`,
        },
  );
  let status: CheckStatus = 'pass';
  for (const c of checks) {
    if (c.status === 'fail') status = 'fail';
    else if (c.status === 'warn' && status === 'pass') status = 'warn';
  }
  return { status, checks };
}

export function fmtSeconds(s: number): string {
  if (s < 10) return `${s.toFixed(3)} s`;
  if (s < 120) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

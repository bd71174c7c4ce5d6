// iputils `ping` output: written in its exact format (the simulator) and read
// back into numbers (real hosts, where iputils itself prints the lines).
import type { PingResult } from './diagnostics-port.js';

/** The probes the appliance's `ping` sends: five, one a second. */
export const PING_COUNT = 5;

/** A round-trip time as iputils prints it: fewer decimals as the time grows. */
export function iputilsTime(ms: number): string {
  const micros = Math.round(ms * 1000);
  if (micros >= 100_000) return String(Math.floor(micros / 1000));
  if (micros >= 10_000) return (Math.floor(micros / 100) / 10).toFixed(1);
  if (micros >= 1_000) return (Math.floor(micros / 10) / 100).toFixed(2);
  return (micros / 1000).toFixed(3);
}

/** min/avg/max/mdev of the replies, as iputils computes them (mdev: the standard deviation). */
export function rttSummary(times: number[]): PingResult['rtt'] {
  if (times.length === 0) return null;
  const avg = times.reduce((a, b) => a + b, 0) / times.length;
  const meanSquare = times.reduce((a, b) => a + b * b, 0) / times.length;
  return { min: Math.min(...times), avg, max: Math.max(...times), mdev: Math.sqrt(Math.max(0, meanSquare - avg * avg)) };
}

export interface SimulatedProbe {
  /** Round-trip time in ms, or null when the probe got no answer. */
  timeMs: number | null;
  ttl: number;
}

/** The lines iputils prints for `ping -c N -n -W 1 -I IFACE -- ADDRESS`, from the probes' outcomes. */
export function formatPing(options: {
  typed: string;
  address: string;
  source: string | null;
  iface: string | null;
  probes: SimulatedProbe[];
  /** Wall time of the run, ms (iputils' "time 4005ms"). */
  elapsedMs: number;
}): PingResult {
  const { typed, address, source, iface, probes } = options;
  const from = source && iface ? ` from ${source} ${iface}:` : '';
  const lines = [`PING ${typed} (${address})${from} 56(84) bytes of data.`];
  probes.forEach((probe, index) => {
    if (probe.timeMs !== null) lines.push(`64 bytes from ${address}: icmp_seq=${index + 1} ttl=${probe.ttl} time=${iputilsTime(probe.timeMs)} ms`);
  });
  const times = probes.flatMap((p) => (p.timeMs === null ? [] : [p.timeMs]));
  const transmitted = probes.length;
  const received = times.length;
  const lossPercent = transmitted === 0 ? 0 : Math.round(((transmitted - received) * 100) / transmitted);
  const rtt = rttSummary(times);
  lines.push('', `--- ${typed} ping statistics ---`, `${transmitted} packets transmitted, ${received} received, ${lossPercent}% packet loss, time ${Math.round(options.elapsedMs)}ms`);
  if (rtt) lines.push(`rtt min/avg/max/mdev = ${[rtt.min, rtt.avg, rtt.max, rtt.mdev].map((v) => v.toFixed(3)).join('/')} ms`);
  return { address: typed, interface: iface, transmitted, received, lossPercent, rtt, lines };
}

/** The numbers of a real iputils run, read from its output (its lines are kept as printed). */
export function parsePing(typed: string, iface: string | null, stdout: string): PingResult {
  const lines = stdout.replace(/\n$/, '').split('\n');
  const summary = /(\d+) packets transmitted, (\d+) received(?:, \+\d+ errors)?(?:, \+\d+ duplicates)?, (\d+(?:\.\d+)?)% packet loss/.exec(stdout);
  const rtt = /= ([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+) ms/.exec(stdout);
  return {
    address: typed,
    interface: iface,
    transmitted: summary ? Number(summary[1]) : 0,
    received: summary ? Number(summary[2]) : 0,
    lossPercent: summary ? Math.round(Number(summary[3])) : 100,
    rtt: rtt ? { min: Number(rtt[1]), avg: Number(rtt[2]), max: Number(rtt[3]), mdev: Number(rtt[4]) } : null,
    lines,
  };
}

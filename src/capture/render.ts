// The human text of a capture report: aligned columns laid out to the terminal
// width (80 columns when unknown), ASCII-only and colourless when asked.

import { captureDetails } from './report.js';
import type { CaptureReport, CheckStatus, HierarchyNode } from './types.js';

/**
 * What the renderer needs of the session's style (the commands' RenderStyle,
 * implemented by src/output): it never writes an escape byte itself.
 */
export interface CaptureRenderStyle {
  ascii: boolean;
  width: number;
  paint(tone: 'red' | 'green' | 'yellow' | 'bold' | 'dim', text: string): string;
  /** File names and error texts can hold anything: escaped and cut. */
  untrusted(text: string): string;
}

const num = (n: number) => Math.round(n).toLocaleString('en-US');

export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[i]}`;
}

export function formatBitRate(bps: number): string {
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s'];
  let i = 0;
  let v = bps;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? Math.round(v) : v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[i]}`;
}

function pct(n: number, d: number): string {
  return d > 0 ? `${((100 * n) / d).toFixed(1)}%` : '-';
}

/** Replaces anything outside printable ASCII (file names can hold anything). */
function asciiOnly(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}

function clip(s: string, width: number, ellipsis: string): string {
  return s.length <= width ? s : s.slice(0, Math.max(0, width - ellipsis.length)) + ellipsis;
}

export function renderCaptureReport(report: CaptureReport, style: CaptureRenderStyle): string {
  const width = Math.max(60, Math.min(style.width || 80, 120));
  const a = style.ascii;
  const ell = a ? '...' : '…';
  const arrow = a ? '->' : '→';
  const paint = (s: string, c: 'red' | 'green' | 'yellow' | 'bold' | 'dim') => style.paint(c, s);
  const statusText = (s: CheckStatus) => {
    const t = s.toUpperCase();
    return paint(t, s === 'pass' ? 'green' : s === 'warn' ? 'yellow' : 'red');
  };
  const lines: string[] = [];
  const label = (name: string, value: string) => {
    // Not wrapped here: the output layer wraps each line to the terminal's real width, under
    // the value column (src/output/wrap.ts hangingIndent), and leaves it whole in pipes and files.
    lines.push(`${name.padEnd(12)}${a ? asciiOnly(value) : value}`);
  };
  const file = a ? asciiOnly(style.untrusted(report.file)) : style.untrusted(report.file);
  const status = report.verdict.status;
  const tag = `${status.toUpperCase()}`;
  const rule = a ? '=' : '═';
  const title = clip(file, width - tag.length - 8, ell);
  const fill = Math.max(2, width - [...title].length - tag.length - 7);
  lines.push(`${rule}${rule} ${paint(title, 'bold')} ${rule.repeat(fill)} ${statusText(status)} ${rule}`.trimEnd());

  if (report.error !== null) {
    lines.push(paint(`${file}: ${style.untrusted(report.error)}`, 'red'));
  }
  if (report.format === null) {
    return lines.join('\n');
  }
  const d = captureDetails(report);
  label('Format', d.formatDetail);
  label('Link types', report.linkTypes.join(', ') || '-');
  for (const u of d.unsupported) label('', `${u}: packets counted, not decoded`);
  label('Packets', `${num(report.packets)}, ${formatBytes(report.bytes)}`);
  if (report.firstTime !== null || report.lastTime !== null) {
    const when = (t: string | null) => (t === null ? 'out of range' : t.replace('T', ' '));
    label('Time', `${when(report.firstTime)} ${arrow} ${when(report.lastTime)}`);
    label('Duration', `${report.durationSeconds.toFixed(3)} s`);
    label('Bit rate', `average ${formatBitRate(report.avgBitsPerSecond)}, peak ${formatBitRate(report.peakBitsPerSecond)} (1 s bins)`);
  }
  if (report.packets === 0) {
    verdictLines();
    return lines.join('\n');
  }
  const t = report.traffic;
  const decoded = t.unicast + t.broadcast + t.multicast;
  label(
    'Traffic',
    `unicast ${num(t.unicast)} (${pct(t.unicast, decoded)}), broadcast ${num(t.broadcast)} (${pct(
      t.broadcast,
      decoded,
    )}), multicast ${num(t.multicast)} (${pct(t.multicast, decoded)}), ARP ${num(t.arp)} (${pct(t.arp, report.packets)})`,
  );

  // tables: name column, then right-aligned packets / bytes
  const numW = 11;
  const nameW = width - 2 - 2 * (numW + 1);
  const row = (name: string, packets: string, bytes: string) =>
    `  ${clip(name, nameW, ell).padEnd(nameW)} ${packets.padStart(numW)} ${bytes.padStart(numW)}`;
  const heading = (name: string) => paint(`${name.padEnd(nameW + 2)} ${'packets'.padStart(numW)} ${'bytes'.padStart(numW)}`, 'bold');

  lines.push('');
  lines.push(heading('Protocol hierarchy'));
  const walk = (nodes: HierarchyNode[], depth: number) => {
    for (const n of nodes) {
      const ind = '  '.repeat(Math.min(depth, 12));
      lines.push(row(ind + n.name, num(n.packets), num(n.bytes)));
      walk(n.children, depth + 1);
    }
  };
  walk(report.hierarchy, 0);

  lines.push('');
  if (report.otProtocols.length === 0) {
    lines.push(`${paint('OT protocols', 'bold')}  none found`);
  } else {
    lines.push(heading('OT protocols'));
    for (const p of report.otProtocols) {
      lines.push(row(p.name, num(p.packets), num(p.bytes)));
      if (p.ports.length > 0) lines.push(`    ${clip(`port${p.ports.length > 1 ? 's' : ''} ${p.ports.join(', ')}`, width - 4, ell)}`);
    }
  }

  if (report.otProtocolsByPortOnly.length > 0) {
    lines.push(heading('OT protocols by port only (not confirmed by payload)'));
    for (const p of report.otProtocolsByPortOnly) {
      lines.push(row(p.name, num(p.packets), num(p.bytes)));
      if (p.ports.length > 0) lines.push(`    ${clip(`port${p.ports.length > 1 ? 's' : ''} ${p.ports.join(', ')}`, width - 4, ell)}`);
    }
  }

  lines.push('');
  const dv = report.devices;
  label(
    'Devices',
    `${num(dv.macs)} MAC addresses; IPv4 ${num(dv.ipv4.private)} private, ${num(dv.ipv4.public)} public; IPv6 ${num(
      dv.ipv6.private,
    )} private, ${num(dv.ipv6.public)} public`,
  );
  if (dv.topTalkers.length > 0) {
    lines.push(heading('Top talkers'));
    for (const tt of dv.topTalkers) lines.push(row(tt.address, num(tt.packets), num(tt.bytes)));
  }
  lines.push('');
  verdictLines();
  return lines.join('\n');

  function verdictLines(): void {
    lines.push(`${paint('Verdict', 'bold')}     ${statusText(report.verdict.status)}`);
    const idW = 15;
    for (const c of report.verdict.checks) {
      const head = `  [${c.status.toUpperCase()}] ${c.id.padEnd(idW)} `;
      lines.push((head + (a ? asciiOnly(c.detail) : c.detail)).replace(`[${c.status.toUpperCase()}]`, `[${statusText(c.status)}]`));
    }
  }
}

// Reference comparisons against Wireshark's tools (tshark, capinfos,
// mergecap). Skipped with a printed reason when a tool is missing, except on
// CI (CI=true), where a missing tool fails the run.

import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, execaSync } from 'execa';
import { OT_PROTOCOLS, analyzeCapture } from '../../src/capture/index.js';
import type { CaptureReport } from '../../src/capture/index.js';
import { fixture, ipv4, modbusRequest, tcp, writePcap } from './helpers/writer.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pcaps = path.resolve(repoRoot, '../shared/pcaps');

function hasTool(name: string): boolean {
  const r = execaSync(name, ['-v'], { reject: false, timeout: 20_000 });
  return r.exitCode === 0;
}
const missing = ['tshark', 'capinfos', 'mergecap'].filter((t) => !hasTool(t));
const onCi = process.env.CI === 'true';
if (missing.length > 0 && !onCi) {
  console.warn(`skipping Wireshark reference tests: ${missing.join(', ')} not installed (apt-get install tshark)`);
}
const ref = missing.length === 0 || onCi ? describe : describe.skip;

const files = readdirSync(pcaps)
  .filter((f) => /\.pcap(ng)?$/.test(f))
  .sort();
const labels = new Map(
  readFileSync(path.join(pcaps, 'LABELS.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t') as [string, string, string])
    .map(([file, expected]) => [file, expected]),
);

async function capinfosCount(file: string): Promise<number> {
  // capinfos exits non-zero on a file cut short but still prints the count
  const r = await execa('capinfos', ['-c', '-M', file], { reject: false });
  const m = /Number of packets:\s+(\d+)/.exec(r.stdout);
  if (!m) throw new Error(`capinfos printed no packet count for ${file}: ${r.stderr}`);
  return Number(m[1]);
}

async function tsharkProtocols(file: string): Promise<Set<string>> {
  const r = await execa('tshark', ['-n', '-q', '-z', 'io,phs', '-r', file], { reject: false });
  const names = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    const m = /^\s*(?:\.\.\.)?([a-z0-9_.]+)\s+frames:\d+/.exec(line);
    if (m) names.add(m[1]!);
  }
  return names;
}

ref('Wireshark reference comparisons on the shared captures', () => {
  it('the tools are installed (required on CI)', () => {
    expect(missing).toEqual([]);
  });

  it('LABELS.tsv covers every shared capture', () => {
    expect(files.length).toBe(24);
    for (const f of files) expect(labels.has(f), f).toBe(true);
  });

  const reports = new Map<string, Promise<CaptureReport>>();
  const report = (f: string) => {
    if (!reports.has(f)) reports.set(f, analyzeCapture(path.join(pcaps, f)));
    return reports.get(f)!;
  };

  for (const f of files) {
    it(`${f}: packets equal capinfos -c, OT protocols tshark shows are found, its label is found`, async () => {
      const file = path.join(pcaps, f);
      const [r, count, shown] = await Promise.all([report(f), capinfosCount(file), tsharkProtocols(file)]);
      expect(r.packets).toBe(count);
      // the phs parse saw the link layer root (guards the parser itself)
      if (count > 0) expect(['eth', 'null', 'wpan'].some((n) => shown.has(n))).toBe(true);

      const found = new Set(r.otProtocols.map((p) => p.name));
      const expectedOt = OT_PROTOCOLS.filter((p) => shown.has(p));
      for (const p of expectedOt) expect(found.has(p), `${p} shown by tshark`).toBe(true);

      const label = labels.get(f)!;
      if (label === 'none') {
        expect(r.packets).toBe(0);
        expect(r.error).toBe('no packets in the file');
      } else if (label === 'unsupported-linktype') {
        const c = r.verdict.checks.find((x) => x.id === 'link-type');
        expect(c?.status).toBe('fail');
        expect(c?.detail).toMatch(/^unsupported link type 195 \(IEEE802_15_4_WITHFCS\): 407 packets counted but not decoded/);
        expect(r.hierarchy.map((n) => n.name)).toEqual(['ieee802_15_4_withfcs']);
      } else if (!label.endsWith('(optional)')) {
        expect(found.has(label), `label ${label}`).toBe(true);
      }
    }, 120_000);
  }

  it('a mergecap-made pcapng with several interfaces of different link types', async () => {
    const payload = ipv4('10.9.0.1', '10.9.0.2', 6, tcp(40000, 502, modbusRequest(1)));
    const sll = fixture(
      'sll.pcap',
      writePcap([{ ts: 1_500_000_000, data: Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 6, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0, 0x08, 0x00]), payload]) }], {
        linkType: 113,
      }),
    );
    const raw = fixture('raw.pcap', writePcap([{ ts: 1_500_000_001, data: payload }, { ts: 1_500_000_002, data: payload }], { linkType: 101, nano: true }));
    const inputs = [
      path.join(pcaps, 'bro_modbus_modbusSmall.pcap'), // Ethernet
      path.join(pcaps, 'dnp3_opendnp3-3_conformance_6.1.2_dump.pcap'), // BSD NULL
      path.join(pcaps, 'Zigbee_control4-sample.pcap'), // unsupported
      sll,
      raw,
    ];
    const out = fixture('merged.pcapng', new Uint8Array(0));
    await execa('mergecap', ['-F', 'pcapng', '-w', out, ...inputs]);
    const r = await analyzeCapture(out);
    expect(r.format).toBe('pcapng');
    expect(r.error).toBeNull();
    expect(r.packets).toBe(await capinfosCount(out));
    expect(r.packets).toBe(166 + 79 + 407 + 1 + 2);
    expect([...r.linkTypes].sort()).toEqual(['ETHERNET', 'IEEE802_15_4_WITHFCS', 'LINUX_SLL', 'NULL', 'RAW']);
    const roots = Object.fromEntries(r.hierarchy.map((n) => [n.name, n.packets]));
    expect(roots).toEqual({ eth: 166, null: 79, ieee802_15_4_withfcs: 407, sll: 1, raw: 2 });
    const names = r.otProtocols.map((p) => p.name).sort();
    expect(names).toEqual(['dnp3', 'mbtcp']);
    expect(r.otProtocols.find((p) => p.name === 'mbtcp')!.packets).toBe(32 + 3);
    expect(r.verdict.checks.find((c) => c.id === 'link-type')?.detail).toMatch(/^unsupported link type 195/);
  }, 120_000);
});

import { createStyle } from '../../src/output/style.js';
import { describe, it, expect } from 'vitest';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { build } from 'esbuild';
import { analyzeCapture, captureExitCode, renderCaptureReport } from '../../src/capture/index.js';
import type { CaptureReport } from '../../src/capture/index.js';
import { fixture, fixtureDir, modbusRequest, tcpFrame, writePcap, writePcapng, type Pkt } from './helpers/writer.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pcaps = path.resolve(repoRoot, '../shared/pcaps');
const style = createStyle({ ascii: true, color: false, width: 80 });

const A = '00:11:22:33:44:01';
const B = '00:11:22:33:44:02';
const pkts: Pkt[] = Array.from({ length: 6 }, (_, i) => ({
  ts: 1000 + i,
  data: tcpFrame(A, B, '10.0.0.1', '10.0.0.2', 40000, 502, modbusRequest(i)),
}));
const good = writePcap(pkts);

/** The common contract: a clear message naming the file, exit code 2, no stack trace. */
function expectUnreadable(r: CaptureReport, file: string, message: RegExp): string {
  expect(r.error).toMatch(message);
  expect(captureExitCode([r])).toBe(2);
  const text = renderCaptureReport(r, style);
  expect(text.replace(/\s+/g, ' ')).toContain(`${file}: ${r.error}`);
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack frames
  expect(r.verdict.status).toBe('fail');
  expect(r.verdict.checks.find((c) => c.id === 'file-complete')?.status).toBe('fail');
  return text;
}

describe('bad input: each gets a clear message naming the file and exit code 2', () => {
  it('a truncated last record keeps the results: "truncated at byte N; X packets analysed"', async () => {
    const cut = good.subarray(0, good.length - 7);
    const file = fixture('truncated.pcap', cut);
    const r = await analyzeCapture(file);
    expectUnreadable(r, file, new RegExp(`^truncated at byte ${cut.length}; 5 packets analysed`));
    expect(r.truncated).toBe(true);
    expect(r.packets).toBe(5);
    expect(r.otProtocols[0]?.name).toBe('mbtcp');
  });

  it('a record header cut short is a truncation too', async () => {
    const cut = good.subarray(0, 24 + 16 + pkts[0]!.data.length + 9);
    const file = fixture('truncated-header.pcap', cut);
    const r = await analyzeCapture(file);
    expectUnreadable(r, file, new RegExp(`^truncated at byte ${cut.length}; 1 packets analysed`));
  });

  it('the shared MELSEC capture that ends mid-packet', async () => {
    const file = path.join(pcaps, 'MELSEC_melsoft_129_clean.pcap');
    const r = await analyzeCapture(file);
    expectUnreadable(r, file, /^truncated at byte 331776; 2041 packets analysed/);
    expect(r.packets).toBe(2041);
  });

  it('a zero-packet file (the shared opendnp3 6.4.2 dump and a synthetic pcapng)', async () => {
    const file = path.join(pcaps, 'dnp3_opendnp3-3_conformance_6.4.2_dump.pcap');
    const r = await analyzeCapture(file);
    expectUnreadable(r, file, /^no packets in the file$/);
    expect(r.format).toBe('pcap');
    const ng = fixture('empty.pcapng', writePcapng([{ interfaces: [{ linkType: 1 }], blocks: [] }]));
    expectUnreadable(await analyzeCapture(ng), ng, /^no packets in the file$/);
  });

  it('a 0-byte file', async () => {
    const file = fixture('zero.pcap', new Uint8Array(0));
    const r = await analyzeCapture(file);
    expectUnreadable(r, file, /^empty file \(0 bytes\)$/);
    expect(r.format).toBeNull();
  });

  it('a corrupt record length (bounded: no buffering of the rest of the file)', async () => {
    const bad = Buffer.from(good);
    const second = 24 + 16 + pkts[0]!.data.length;
    bad.writeUInt32LE(0x40000000, second + 8);
    const file = fixture('corrupt-length.pcap', bad);
    const r = await analyzeCapture(file);
    expectUnreadable(r, file, new RegExp(`^corrupt record length 1073741824 at byte ${second} \\(limit 262144\\); 1 packets analysed$`));
    expect(r.packets).toBe(1);
  });

  it('a wrong magic number', async () => {
    const file = fixture('not-a-capture.pcap', Buffer.from('PK\x03\x04 this is a zip file, not a capture'));
    const r = await analyzeCapture(file);
    expectUnreadable(r, file, /^not a pcap or pcapng file \(wrong magic number 0x504b0304\)$/);
  });

  it('a directory', async () => {
    const dir = path.join(fixtureDir(), 'a-directory.pcap');
    mkdirSync(dir, { recursive: true });
    expectUnreadable(await analyzeCapture(dir), dir, /^is a directory, not a capture file$/);
  });

  it('a missing file', async () => {
    const file = path.join(fixtureDir(), 'does-not-exist.pcap');
    expectUnreadable(await analyzeCapture(file), file, /^no such file$/);
  });

  it('an unreadable file (permission denied, checked as an unprivileged user)', async () => {
    const file = fixture('unreadable.pcap', good);
    chmodSync(file, 0o000);
    if (process.getuid?.() !== 0) {
      expectUnreadable(await analyzeCapture(file), file, /^permission denied: the file is not readable$/);
      return;
    }
    // root reads anything: run the analysis as "nobody" in a child process
    const dir = fixtureDir();
    chmodSync(dir, 0o755);
    const bundle = path.join(dir, 'capture-lib.mjs');
    await build({
      entryPoints: [path.join(repoRoot, 'src/capture/index.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'silent',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    chmodSync(bundle, 0o644);
    const script = `import(${JSON.stringify(bundle)}).then(async (m) => { const r = await m.analyzeCapture(${JSON.stringify(file)}); process.stdout.write(JSON.stringify(r)); })`;
    const child = await execa(process.execPath, ['--input-type=module', '-e', script], { uid: 65534, gid: 65534, cwd: '/' });
    const r = JSON.parse(child.stdout) as CaptureReport;
    expect(r.error).toBe('permission denied: the file is not readable');
    expect(captureExitCode([r])).toBe(2);
    expect(r.file).toBe(file);
  });

  it('an I/O error while reading (/proc/self/mem opens but cannot be read at offset 0)', async () => {
    const r = await analyzeCapture('/proc/self/mem');
    // st.size is 0 and the read fails: either way it is unreadable, with a message
    expectUnreadable(r, '/proc/self/mem', /^(input\/output error while reading at byte 0|empty file \(0 bytes\)|cannot read: \w+ at byte 0)$/);
  });

  it('a pcapng block length that runs past the end of the file', async () => {
    const ng = writePcapng([
      {
        interfaces: [{ linkType: 1 }],
        blocks: pkts.map((p) => ({ type: 'epb' as const, iface: 0, ts: p.ts, data: p.data })),
      },
    ]);
    const bad = Buffer.from(ng);
    // the last EPB: make its length claim 4096 bytes more than the file has
    const lastLen = 32 + ((pkts.at(-1)!.data.length + 3) & ~3);
    const lastAt = bad.length - lastLen;
    expect(bad.readUInt32LE(lastAt)).toBe(6);
    bad.writeUInt32LE(lastLen + 4096, lastAt + 4);
    const file = fixture('block-past-end.pcapng', bad);
    const r = await analyzeCapture(file);
    expectUnreadable(
      r,
      file,
      new RegExp(`^truncated at byte ${bad.length}; 5 packets analysed \\(pcapng block length ${lastLen + 4096} at byte ${lastAt} runs past the end of the file\\)$`),
    );
    expect(r.truncated).toBe(true);
  });

  it('a corrupt pcapng block length (not a multiple of 4, or huge) is reported, not buffered', async () => {
    const ng = Buffer.from(writePcapng([{ interfaces: [{ linkType: 1 }], blocks: [{ type: 'epb', iface: 0, ts: 1, data: pkts[0]!.data }] }]));
    const idbAt = 28; // SHB with no options is 28 bytes
    expect(ng.readUInt32LE(idbAt)).toBe(1);
    for (const len of [0x7ffffff0, 13]) {
      const bad = Buffer.from(ng);
      bad.writeUInt32LE(len, idbAt + 4);
      const file = fixture(`bad-block-${len}.pcapng`, bad);
      expectUnreadable(await analyzeCapture(file), file, new RegExp(`^corrupt pcapng block length ${len} \\(block type 0x1\\) at byte ${idbAt}; 0 packets analysed$`));
    }
  });

  it('other files in the same call are still analysed', async () => {
    const files = [
      path.join(fixtureDir(), 'missing.pcap'),
      path.join(pcaps, 'ModbusTCP_ModbusTCP.pcap'),
      fixture('zero2.pcap', new Uint8Array(0)),
      path.join(pcaps, 'bro_dnp3_dnp3_read_p20001.pcap'),
    ];
    const reports = await Promise.all(files.map((f) => analyzeCapture(f)));
    expect(reports.map((r) => r.error === null)).toEqual([false, true, false, true]);
    expect(reports[1]!.packets).toBe(15387);
    expect(reports[3]!.otProtocols.map((p) => p.name)).toContain('dnp3');
    expect(captureExitCode(reports)).toBe(2);
    expect(captureExitCode([reports[1]!, reports[3]!])).toBe(1);
  });

  it('exit codes: 0 when every file passes', async () => {
    const healthy = path.join(pcaps, 'ModbusTCP_ModbusTCP.pcap');
    const r = await analyzeCapture(healthy);
    expect(r.verdict.status).toBe('pass');
    expect(captureExitCode([r])).toBe(0);
    expect(readFileSync(healthy).length).toBeGreaterThan(0);
  });
});

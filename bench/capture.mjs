#!/usr/bin/env node
// Capture analysis benchmark (`npm run bench:capture`), issue 4.
//
// Builds a ~500 MB capture by concatenating the shared Ethernet captures
// (`mergecap -a`), as classic pcap and as pcapng, in .bench/ (gitignored),
// then reports per format, as medians over RUNS runs (default 3):
//   - `cat FILE > /dev/null`: the page-cached read limit;
//   - `tshark -q -z io,phs` (the reference), peak RSS via /usr/bin/time -v;
//   - otshell's analyzeCapture (own readers), in a child process that reports
//     its own peak RSS (process.resourceUsage().maxRSS);
//   - for classic pcap also the pcap-parser path, which decides the reader.
// Target: otshell >= 25x tshark on both formats, peak RSS < 200 MB.
//
// BIG=1 also builds a ~2 GB pcap and checks the RSS bound on it.
// SIZE_MB=... changes the size of the main capture; RUNS=... the run count.

import { build } from 'esbuild';
import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, renameSync as rename0, statSync } from 'node:fs';
const rename = async (a, b) => rename0(a, b);
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(repoRoot, '.bench');
const bundle = path.join(benchDir, 'capture.mjs');
const pcapsDir = path.resolve(repoRoot, '../shared/pcaps');

// ---- child mode: analyse one file, print figures as JSON -----------------
if (process.argv[2] === '--child') {
  const [, , , file, reader] = process.argv;
  const lib = await import(pathToFileURL(bundle).href);
  const t0 = performance.now();
  const report = reader === 'pcap-parser' ? await lib.analyzeCaptureWithPcapParser(file) : await lib.analyzeCapture(file);
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(
    JSON.stringify({
      seconds,
      packets: report.packets,
      error: report.error,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    }),
  );
  process.exit(0);
}

const RUNS = Number(process.env.RUNS ?? 3);
const SIZE_MB = Number(process.env.SIZE_MB ?? 500);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mb = (bytes) => bytes / 1e6;
const fmt = (n, d = 1) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

async function buildBundle() {
  mkdirSync(benchDir, { recursive: true });
  await build({
    // the library plus the pcap-parser path, which the product does not ship
    stdin: {
      contents:
        "export * from './src/capture/index.ts';\nexport { analyzeCaptureWithPcapParser } from './src/capture/pcap-parser-reader.ts';\n",
      resolveDir: repoRoot,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: bundle,
    logLevel: 'warning',
  });
}

/** The shared captures that are complete Ethernet captures (by otshell's own sniffing). */
async function ethernetInputs() {
  const lib = await import(pathToFileURL(bundle).href);
  const out = [];
  for (const name of readdirSync(pcapsDir).sort()) {
    if (!/\.pcap(ng)?$/.test(name)) continue;
    const file = path.join(pcapsDir, name);
    const r = await lib.analyzeCapture(file);
    if (r.error === null && r.linkTypes.length === 1 && r.linkTypes[0] === 'ETHERNET') out.push(file);
  }
  return out;
}

async function makeCapture(out, format, inputs, targetBytes) {
  if (existsSync(out) && Math.abs(statSync(out).size - targetBytes) < targetBytes * 0.2) return;
  const tmp = `${out}.tmp`;
  if (format === 'pcap') {
    const once = inputs.reduce((sum, f) => sum + statSync(f).size, 0);
    const repeat = Math.max(1, Math.round(targetBytes / once));
    const args = ['-a', '-F', 'pcap', '-w', tmp];
    for (let i = 0; i < repeat; i++) args.push(...inputs);
    process.stderr.write(`building ${path.basename(out)} (mergecap -a of ${repeat} x ${inputs.length} captures)...\n`);
    await execa('mergecap', args);
  } else {
    // the same packets as pcapng (mergecap -a -F pcapng of thousands of inputs is very slow)
    process.stderr.write(`building ${path.basename(out)} (mergecap -F pcapng of the pcap)...\n`);
    await execa('mergecap', ['-F', 'pcapng', '-w', tmp, inputs[0]]);
  }
  await rename(tmp, out);
}

async function timeCat(file) {
  const t0 = performance.now();
  await execa('cat', [file], { stdout: 'ignore' });
  return { seconds: (performance.now() - t0) / 1000 };
}

async function timeTshark(file) {
  const t0 = performance.now();
  const r = await execa('/usr/bin/time', ['-v', 'tshark', '-n', '-q', '-z', 'io,phs', '-r', file], { reject: false });
  const seconds = (performance.now() - t0) / 1000;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const packets = /frames:(\d+)/.exec(r.stdout);
  return { seconds, maxRssBytes: rss ? Number(rss[1]) * 1024 : NaN, packets: packets ? Number(packets[1]) : NaN };
}

async function timeOtshell(file, reader = 'own') {
  const r = await execa(process.execPath, [fileURLToPath(import.meta.url), '--child', file, reader]);
  return JSON.parse(r.stdout);
}

async function measure(fn, file, warm = true) {
  if (warm) await fn(file); // warm the page cache (and otshell's child start-up path)
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await fn(file));
  return {
    seconds: median(runs.map((r) => r.seconds)),
    maxRssBytes: Math.max(...runs.map((r) => r.maxRssBytes ?? 0)),
    packets: runs[0].packets,
    error: runs[0].error ?? null,
  };
}

function line(format, tool, size, m, tsharkSeconds) {
  const mbs = mb(size) / m.seconds;
  const pps = m.packets ? m.packets / m.seconds : NaN;
  const ratio = tsharkSeconds ? tsharkSeconds / m.seconds : NaN;
  return [
    format.padEnd(7),
    tool.padEnd(24),
    `${fmt(mbs)} MB/s`.padStart(14),
    Number.isFinite(pps) ? `${fmt(pps, 0)} pkt/s`.padStart(18) : '-'.padStart(18),
    m.maxRssBytes ? `${fmt(mb(m.maxRssBytes), 0)} MB RSS`.padStart(13) : '-'.padStart(13),
    Number.isFinite(ratio) ? `${fmt(ratio)}x tshark`.padStart(14) : '',
  ].join(' ');
}

await buildBundle();
const inputs = await ethernetInputs();
const files = {
  pcap: path.join(benchDir, `capture-${SIZE_MB}m.pcap`),
  pcapng: path.join(benchDir, `capture-${SIZE_MB}m.pcapng`),
};
await makeCapture(files.pcap, 'pcap', inputs, SIZE_MB * 1e6);
await makeCapture(files.pcapng, 'pcapng', [files.pcap], SIZE_MB * 1e6 * 1.15);

const { stdout: tsharkVersion } = await execa('tshark', ['--version']);
console.log(`capture benchmark: ${inputs.length} shared Ethernet captures concatenated; medians of ${RUNS} runs`);
console.log(`node ${process.version}; ${tsharkVersion.split('\n')[0]}`);
const verdicts = [];
for (const [format, file] of Object.entries(files)) {
  const size = statSync(file).size;
  console.log(`\n${format}: ${path.relative(repoRoot, file)}, ${fmt(mb(size))} MB`);
  const cat = await measure(timeCat, file);
  const tshark = await measure(timeTshark, file, false);
  const own = await measure((f) => timeOtshell(f, 'own'), file);
  console.log(line(format, 'cat > /dev/null', size, cat));
  console.log(line(format, 'tshark -q -z io,phs', size, tshark, tshark.seconds));
  console.log(line(format, 'otshell', size, own, tshark.seconds));
  if (own.packets !== tshark.packets) console.log(`  ! packet counts differ: otshell ${own.packets}, tshark ${tshark.packets}`);
  if (own.error) console.log(`  ! otshell reported: ${own.error}`);
  const ratio = tshark.seconds / own.seconds;
  verdicts.push(
    `${format}: otshell ${fmt(ratio)}x tshark (target 25x) ${ratio >= 25 ? 'MET' : 'MISSED'}; peak RSS ${fmt(
      mb(own.maxRssBytes),
      0,
    )} MB (target < 200 MB) ${own.maxRssBytes < 200e6 ? 'MET' : 'MISSED'}`,
  );
  if (format === 'pcap') {
    const pp = await measure((f) => timeOtshell(f, 'pcap-parser'), file);
    console.log(line(format, 'otshell via pcap-parser', size, pp, tshark.seconds));
    const ppRatio = tshark.seconds / pp.seconds;
    verdicts.push(
      `pcap via pcap-parser: ${fmt(ppRatio)}x tshark ${ppRatio >= 25 ? 'MET' : 'MISSED'}; own reader is ${fmt(
        pp.seconds / own.seconds,
      )}x faster than the pcap-parser path`,
    );
  }
}

if (process.env.BIG === '1') {
  const big = path.join(benchDir, 'capture-2g.pcap');
  if (!existsSync(big) || statSync(big).size < 1.9e9) {
    const repeat = Math.ceil(2e9 / statSync(files.pcap).size);
    process.stderr.write(`building ${path.basename(big)}...\n`);
    await execa('mergecap', ['-a', '-F', 'pcap', '-w', `${big}.tmp`, ...Array(repeat).fill(files.pcap)]);
    await rename(`${big}.tmp`, big);
  }
  const size = statSync(big).size;
  const r = await timeOtshell(big, 'own');
  console.log(`\nBIG: ${path.relative(repoRoot, big)}, ${fmt(mb(size))} MB`);
  console.log(line('pcap', 'otshell', size, r));
  verdicts.push(`2 GB file: peak RSS ${fmt(mb(r.maxRssBytes), 0)} MB (target < 200 MB) ${r.maxRssBytes < 200e6 ? 'MET' : 'MISSED'}`);
}

console.log('');
for (const v of verdicts) console.log(v);

// Fuzzing the readers and decoders with mutated shared captures: bit flips,
// truncations, corrupted record/block length fields and byte splices. At
// least 10,000 cases per run (FUZZ_CASES to change, FUZZ_SEED to replay).
// No case may throw, hang (each is timed), produce an internal error, or
// leave a promise rejection unhandled.

import { createStyle } from '../../src/output/style.js';
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeBuffer, analyzeCapture, renderCaptureReport } from '../../src/capture/index.js';
import type { CaptureReport } from '../../src/capture/index.js';
import { fixture } from './helpers/writer.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pcaps = path.resolve(repoRoot, '../shared/pcaps');
const CASES = Number(process.env.FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const MAX_INPUT = 48 * 1024; // keep cases fast: the first 48 kB of each capture
const CASE_LIMIT_MS = 2_000;

/** mulberry32: small, seedable, good enough for mutation choices. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sample {
  name: string;
  data: Buffer;
  /** Offsets of length fields (4 bytes) and whether they are little-endian. */
  lengths: { at: number; le: boolean }[];
}

function lengthFields(b: Buffer): { at: number; le: boolean }[] {
  const out: { at: number; le: boolean }[] = [];
  const magic = b.readUInt32BE(0);
  if (magic === 0x0a0d0d0a) {
    let le = true;
    for (let p = 0; p + 12 <= b.length; ) {
      if (b.readUInt32LE(p) === 0x0a0d0d0a) le = b.readUInt32LE(p + 8) === 0x1a2b3c4d;
      const len = le ? b.readUInt32LE(p + 4) : b.readUInt32BE(p + 4);
      out.push({ at: p + 4, le });
      const type = le ? b.readUInt32LE(p) : b.readUInt32BE(p);
      if (type === 6 && p + 24 <= b.length) out.push({ at: p + 20, le }); // EPB captured length
      if (len < 12 || p + len > b.length) break;
      out.push({ at: p + len - 4, le });
      p += len;
    }
  } else {
    const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
    for (let p = 24; p + 16 <= b.length; ) {
      const caplen = le ? b.readUInt32LE(p + 8) : b.readUInt32BE(p + 8);
      out.push({ at: p + 8, le }, { at: p + 12, le });
      p += 16 + caplen;
    }
  }
  return out;
}

const samples: Sample[] = readdirSync(pcaps)
  .filter((f) => /\.pcap(ng)?$/.test(f))
  .sort()
  .map((name) => {
    const full = readFileSync(path.join(pcaps, name));
    const data = full.subarray(0, Math.min(full.length, MAX_INPUT));
    return { name, data, lengths: lengthFields(data) };
  })
  .filter((s) => s.data.length >= 24);

function mutate(s: Sample, r: () => number): { data: Buffer; what: string } {
  const d = Buffer.from(s.data);
  const int = (n: number) => Math.floor(r() * n);
  const kind = int(6);
  switch (kind) {
    case 0: {
      const flips = 1 + int(8);
      for (let i = 0; i < flips; i++) {
        const at = r() < 0.5 ? int(Math.min(d.length, 256)) : int(d.length);
        d[at]! ^= 1 << int(8);
      }
      return { data: d, what: `${flips} bit flips` };
    }
    case 1: {
      const len = int(d.length);
      return { data: d.subarray(0, len), what: `truncated to ${len}` };
    }
    case 2: {
      if (s.lengths.length === 0) return { data: d.subarray(0, int(d.length)), what: 'truncated' };
      const f = s.lengths[int(s.lengths.length)]!;
      const old = f.le ? d.readUInt32LE(f.at) : d.readUInt32BE(f.at);
      const choices = [0, 1, 11, 12, 13, old + 1, old - 1, old + 4, old - 4, old * 2, 0x7fffffff, 0xffffffff, 0x10000, 262145, 16 * 1024 * 1024 + 4, int(2 ** 32)];
      const v = choices[int(choices.length)]! >>> 0;
      if (f.le) d.writeUInt32LE(v, f.at);
      else d.writeUInt32BE(v, f.at);
      return { data: d, what: `length at ${f.at}: ${old} -> ${v}` };
    }
    case 3: {
      // corrupt a length and cut the file
      const f = s.lengths.length ? s.lengths[int(s.lengths.length)]! : { at: 8, le: true };
      if (f.at + 4 <= d.length) d.writeUInt32LE(int(2 ** 32) >>> 0, f.at);
      return { data: d.subarray(0, int(d.length) + 1), what: `random length at ${f.at} and cut` };
    }
    case 4: {
      // splice: copy a random range over another (shifted headers)
      const from = int(d.length);
      const to = int(d.length);
      const len = int(64);
      d.copy(d, to, from, Math.min(d.length, from + len));
      return { data: d, what: `splice ${from}->${to} (${len})` };
    }
    default: {
      // overwrite a random run with random bytes
      const at = int(d.length);
      const len = 1 + int(32);
      for (let i = at; i < Math.min(d.length, at + len); i++) d[i] = int(256);
      return { data: d, what: `random bytes at ${at} (${len})` };
    }
  }
}

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
process.on('unhandledRejection', onUnhandled);
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

function sane(rep: CaptureReport, label: string): void {
  if (rep.error !== null && rep.error.startsWith('internal error')) throw new Error(`${label}: ${rep.error}`);
  if (!Number.isFinite(rep.packets) || rep.packets < 0) throw new Error(`${label}: packets ${rep.packets}`);
  if (!['pass', 'warn', 'fail'].includes(rep.verdict.status)) throw new Error(`${label}: verdict ${rep.verdict.status}`);
  const rootPackets = rep.hierarchy.reduce((n, h) => n + h.packets, 0);
  if (rootPackets !== rep.packets) throw new Error(`${label}: hierarchy holds ${rootPackets} of ${rep.packets} packets`);
  JSON.stringify(rep);
}

describe('fuzz: mutated shared captures', () => {
  it(`survives ${CASES} mutated cases (seed ${SEED})`, () => {
    expect(samples.length).toBeGreaterThanOrEqual(20);
    const r = rng(SEED);
    let slowest = 0;
    let errors = 0;
    for (let i = 0; i < CASES; i++) {
      const s = samples[i % samples.length]!;
      const { data, what } = mutate(s, r);
      const label = `case ${i} (seed ${SEED}): ${s.name}, ${what}`;
      const t0 = performance.now();
      let rep: CaptureReport;
      try {
        rep = analyzeBuffer(data, s.name);
        if (i % 5 === 0) renderCaptureReport(rep, createStyle({ ascii: i % 10 === 0, color: false, width: 80 }));
      } catch (e) {
        throw new Error(`${label}: threw ${(e as Error).stack}`);
      }
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      if (ms > CASE_LIMIT_MS) throw new Error(`${label}: took ${ms.toFixed(0)} ms`);
      sane(rep, label);
      if (rep.error !== null) errors++;
    }
    // the mutations do reach the error paths, and not every case is an error
    expect(errors).toBeGreaterThan(CASES / 10);
    expect(errors).toBeLessThan(CASES);
    console.log(`fuzz: ${CASES} cases, seed ${SEED}, ${errors} reported an error, slowest ${slowest.toFixed(1)} ms`);
  }, 120_000);

  it('the streaming file path survives mutated files too, without unhandled rejections', async () => {
    const r = rng(SEED ^ 0x5bd1e995);
    for (let i = 0; i < 200; i++) {
      const s = samples[i % samples.length]!;
      const { data, what } = mutate(s, r);
      const file = fixture(`fuzz-${i % 8}.pcap`, data);
      const rep = await analyzeCapture(file);
      sane(rep, `file case ${i}: ${s.name}, ${what}`);
      // same bytes, same report, whichever entry point
      expect({ ...rep, file: '' }).toEqual({ ...analyzeBuffer(data, ''), file: '' });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  }, 120_000);
});

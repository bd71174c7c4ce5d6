// Hostile suite, item 8's smaller cases: the wizard's give-up message, Ctrl-C during
// validate-capture, an average bit rate never above the peak, and --last N for any
// positive integer. Each asserts the exact outcome.
import { execa } from 'execa';
import { closeSync, mkdtempSync, openSync, readFileSync, readlinkSync, readdirSync, rmSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runLine, useSimulators } from '../helpers/command-harness.js';
import { BIN, runOtshell, tempStateDir } from '../helpers/cli.js';
import { LinePrompter } from '../../src/cli/line-prompter.js';
import { LineSource } from '../../src/cli/line-source.js';
import { analyzeBuffer } from '../../src/capture/index.js';
import { EXIT } from '../../src/errors.js';
import { writePcap, type Pkt } from '../capture/helpers/writer.js';
import { expectExit, expectNoStackTrace } from './helpers.js';

const GIVE_UP = '20 invalid answers: cancelled.';

function linePrompter(answers: string[]): { prompter: LinePrompter; output: () => string } {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  const prompter = new LinePrompter(new LineSource(Readable.from([answers.map((a) => `${a}\n`).join('')])), out, true);
  return { prompter, output: () => text };
}

describe('the wizard gives up after 20 invalid answers and says so', () => {
  const simulator = useSimulators();

  it('20 invalid addresses: "20 invalid answers: cancelled. No changes were made.", exit 130, state unchanged', async () => {
    const sim = simulator();
    await sim.getNetworkSettings();
    const before = readFileSync(sim.statePath);
    const { prompter, output } = linePrompter(['y', ...Array<string>(20).fill('10.1.0.999')]);
    const outcome = await runLine(sim, 'network edit-settings', prompter);
    expectExit(outcome.exitCode, EXIT.INTERRUPTED);
    expect(outcome.text).toBe(`${GIVE_UP} No changes were made.`);
    expect(output()).not.toMatch(/Input closed/);
    expect(readFileSync(sim.statePath).equals(before)).toBe(true);
    expect((await sim.readAudit()).entries).toEqual([]);
  });

  it('20 answers that are neither y nor n to the first question', async () => {
    const sim = simulator();
    const { prompter, output } = linePrompter(Array<string>(20).fill('maybe'));
    const outcome = await runLine(sim, 'network edit-settings', prompter);
    expectExit(outcome.exitCode, EXIT.INTERRUPTED);
    expect(outcome.text).toBe(`${GIVE_UP} No changes were made.`);
    expect(output().match(/Please answer y or n\./g)).toHaveLength(20);
  });

  it('19 invalid answers and then a valid one still go on (the bound is exactly 20)', async () => {
    const sim = simulator();
    const { prompter } = linePrompter(['y', ...Array<string>(19).fill('10.1.0.999'), '10.1.0.30', 'n', 'n', 'n', 'n', 'n', 'n']);
    const outcome = await runLine(sim, 'network edit-settings', prompter);
    expectExit(outcome.exitCode, EXIT.OK);
    expect(outcome.text).toMatch(/^Summary of changes:|No changes were made\.|Settings saved/m);
  });

  it('closed input is still "Input closed: cancelled."', async () => {
    const sim = simulator();
    const { prompter } = linePrompter(['y', '10.1.0.999']);
    const outcome = await runLine(sim, 'network edit-settings', prompter);
    expectExit(outcome.exitCode, EXIT.INTERRUPTED);
    expect(outcome.text).toBe('Input closed: cancelled. No changes were made.');
  });

  it('system reboot: 20 invalid answers to "Are you sure?"', async () => {
    const sim = simulator();
    await sim.getNetworkSettings();
    const before = readFileSync(sim.statePath);
    const { prompter } = linePrompter(Array<string>(20).fill('perhaps'));
    const outcome = await runLine(sim, 'system reboot', prompter);
    expectExit(outcome.exitCode, EXIT.INTERRUPTED);
    expect(outcome.text).toBe(`${GIVE_UP} The sensor was not restarted.`);
    expect(readFileSync(sim.statePath).equals(before)).toBe(true);
  });

  it('piped to the real binary: the last line says what happened', async () => {
    const { dir, cleanup } = tempStateDir();
    try {
      const r = await runOtshell(['network', 'edit-settings'], { stateDir: dir, input: `y\n${'300.1.1.1\n'.repeat(20)}` });
      expectExit(r.exitCode, EXIT.INTERRUPTED);
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`${GIVE_UP} No changes were made.`);
      expectNoStackTrace(r.stderr);
    } finally {
      cleanup();
    }
  });
});

describe('Ctrl-C during validate-capture exits 130', () => {
  const work = mkdtempSync(join(tmpdir(), 'otshell-sigint-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  /** A valid pcap header and 8 GB of zero-length records (sparse: costs no disk), slow to read to the end. */
  const big = join(work, 'big.pcap');
  const fd = openSync(big, 'w');
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  writeSync(fd, header);
  ftruncateSync(fd, 8 * 1024 ** 3);
  closeSync(fd);

  /** Starts otshell, waits until it has the capture open, sends SIGINT. */
  async function interrupted(args: string[], input: string) {
    const { dir, cleanup } = tempStateDir();
    try {
      const child = execa('node', [BIN, '--state-dir', dir, ...args], { input, reject: false, timeout: 20_000, env: { LANG: 'C.UTF-8', NO_COLOR: '1' } });
      const deadline = Date.now() + 15_000;
      for (;;) {
        let open = false;
        try {
          open = readdirSync(`/proc/${child.pid}/fd`).some((fdName) => {
            try {
              return readlinkSync(`/proc/${child.pid}/fd/${fdName}`) === big;
            } catch {
              return false;
            }
          });
        } catch {
          // not started yet, or gone
        }
        if (open || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.kill('SIGINT');
      const r = await child;
      return { exitCode: r.exitCode ?? -1, signal: r.signal, stdout: String(r.stdout), stderr: String(r.stderr) };
    } finally {
      cleanup();
    }
  }

  it('one-shot: exit 130 (not 2), no stack trace', async () => {
    const r = await interrupted(['network', 'validate-capture', big], '');
    expect(r.signal).toBeUndefined();
    expectExit(r.exitCode, EXIT.INTERRUPTED);
    expectNoStackTrace(r.stdout + r.stderr);
  });

  it('one-shot with --json: exit 130', async () => {
    const r = await interrupted(['network', 'validate-capture', big, '--json'], '');
    expectExit(r.exitCode, EXIT.INTERRUPTED);
    expectNoStackTrace(r.stderr);
  });

  it('in a piped script: exit 130 and the script stops there', async () => {
    const r = await interrupted([], `network validate-capture ${big}\nnetwork list\n`);
    expectExit(r.exitCode, EXIT.INTERRUPTED);
    expect(r.stdout).not.toMatch(/eth0: flags=/);
    expectNoStackTrace(r.stderr);
  });
});

describe('the average bit rate can never exceed the peak', () => {
  const frame = Buffer.alloc(100, 1);
  const at = (...times: number[]): Pkt[] => times.map((ts) => ({ ts, data: frame }));

  it('two packets 0.2 s apart across a second boundary (was: average twice the peak)', () => {
    const r = analyzeBuffer(writePcap(at(10.9, 11.1)));
    expect(r.peakBitsPerSecond).toBe(100 * 8);
    expect(r.avgBitsPerSecond).toBe(100 * 8);
  });

  it('a burst spanning three bins in 1.2 s', () => {
    const r = analyzeBuffer(writePcap(at(0.95, 1.5, 2.15)));
    expect(r.avgBitsPerSecond).toBeLessThanOrEqual(r.peakBitsPerSecond);
    expect(r.avgBitsPerSecond).toBe(Math.round((3 * 100 * 8) / 3));
  });

  it('timestamps out of order, returning to earlier seconds', () => {
    const r = analyzeBuffer(writePcap(at(5.1, 6.2, 5.3, 6.4, 5.5, 7.9)));
    expect(r.peakBitsPerSecond).toBe(3 * 100 * 8);
    expect(r.avgBitsPerSecond).toBe(Math.round((6 * 100 * 8) / 3));
  });

  it('2,000 random captures: average <= peak every time', () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 2000; run += 1) {
      const n = 1 + Math.floor(random() * 12);
      const start = random() * 100;
      const spread = [0.05, 0.5, 1, 3, 50][run % 5]!;
      const pkts = Array.from({ length: n }, () => ({ ts: start + random() * spread, data: Buffer.alloc(60 + Math.floor(random() * 1400)) }));
      const r = analyzeBuffer(writePcap(pkts));
      expect(r.avgBitsPerSecond, JSON.stringify(pkts.map((p) => p.ts))).toBeLessThanOrEqual(r.peakBitsPerSecond);
    }
  });
});

describe('system audit --last N takes any positive integer', () => {
  const simulator = useSimulators();

  async function withThreeChanges() {
    const sim = simulator();
    for (const ip of ['10.1.0.31', '10.1.0.32', '10.1.0.33']) {
      expectExit((await runLine(sim, `network edit-settings --ip ${ip} --yes`)).exitCode, EXIT.OK);
    }
    return sim;
  }

  it.each([
    ['9999999', '9999999', 3],
    ['10^30', `1${'0'.repeat(30)}`, 3], // all of them
    ['400 nines', '9'.repeat(400), 3], // beyond any float: all of them
    ['2', '2', 2],
    ['007', '007', 3],
    ['1', '1', 1],
  ])('--last %s', async (_label, n, shown) => {
    const sim = await withThreeChanges();
    const outcome = await runLine(sim, `system audit --last ${n} --json`);
    expectExit(outcome.exitCode, EXIT.OK);
    const result = JSON.parse(outcome.text) as { entries: { new: { ip: string } }[]; total: number };
    expect(result.total).toBe(3);
    expect(result.entries.map((e) => e.new.ip)).toEqual(['10.1.0.31', '10.1.0.32', '10.1.0.33'].slice(-shown));
  });

  it.each(['0', '000', '-1', '1.5', '1e3', 'all', ''])('--last "%s" is a usage error, exit 64', async (n) => {
    const sim = simulator();
    const outcome = await runLine(sim, `system audit --last="${n}"`);
    expectExit(outcome.exitCode, EXIT.USAGE);
    expect(outcome.text).toBe(`--last takes a whole number of entries, at least 1, not "${n}".`);
  });

});

// Hostile suite, class 7 (hangs): a capture path swapped for a FIFO between the
// stat and the open must not hang validate-capture (open-capture.ts opens with
// O_NONBLOCK and checks the handle with fstat). A child process swaps the path
// between a regular capture and a FIFO (hard links, rename) as fast as it can;
// every try is bounded by a timeout. Also a FIFO, /dev/zero, a socket and a
// directory given directly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa, type ResultPromise } from 'execa';
import { constants, lstatSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCapture, captureExitCode } from '../../src/capture/index.js';
import type { CaptureReport } from '../../src/capture/index.js';
import { BIN } from '../helpers/cli.js';
import { modbusRequest, tcpFrame, writePcap } from '../capture/helpers/writer.js';
import { expectExit, expectNoStackTrace } from './helpers.js';

const A = '00:11:22:33:44:01';
const B = '00:11:22:33:44:02';
const capture = writePcap(Array.from({ length: 6 }, (_, i) => ({ ts: 1000 + i, data: tcpFrame(A, B, '10.0.0.1', '10.0.0.2', 40000, 502, modbusRequest(i)) })));

const TRIES = 240;
const CLI_TRIES = 8;
const HANG = Symbol('hang');

let dir: string;
let regular: string;
let fifo: string;
let swapped: string;

/** Releases any reader stuck in open() on the FIFO (only the old, unsafe code would have one). */
function releaseFifo(): void {
  try {
    closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // ENXIO: no reader waits
  }
}

function bounded<T>(work: Promise<T>, ms: number): Promise<T | typeof HANG> {
  let timer: NodeJS.Timeout;
  return Promise.race([work, new Promise<typeof HANG>((resolve) => (timer = setTimeout(() => resolve(HANG), ms)))]).finally(() => clearTimeout(timer));
}

/** A normal report of the capture, or the refusal: nothing else. */
function classify(report: CaptureReport): 'report' | 'refused' {
  if (report.error === null) {
    expect(report.packets).toBe(6);
    return 'report';
  }
  expect(report.error).toMatch(/^is not a regular file( \(a FIFO\))?$/);
  expect(captureExitCode([report])).toBe(2);
  return 'refused';
}

const SWAPPER = `
const fs = require('fs');
const [regular, fifo, target] = process.argv.slice(1);
const tmp = target + '.swap';
for (let i = 0; ; i++) {
  try { fs.unlinkSync(tmp); } catch {}
  fs.linkSync(i & 1 ? fifo : regular, tmp);
  fs.renameSync(tmp, target);
}`;

describe('hostile: a capture path swapped for a FIFO cannot hang validate-capture', () => {
  let swapper: ResultPromise | null = null;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otshell-fifo-'));
    regular = join(dir, 'regular.pcap');
    fifo = join(dir, 'fifo.pcap');
    swapped = join(dir, 'swapped.pcap');
    writeFileSync(regular, capture);
    await execa('mkfifo', [fifo]);
    writeFileSync(swapped, capture);
  });
  afterAll(async () => {
    swapper?.kill('SIGKILL');
    await swapper?.catch(() => undefined);
    releaseFifo();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${TRIES} in-process tries and ${CLI_TRIES} through the CLI while the path is swapped: 0 hangs, each a report or the refusal`, { timeout: 60_000 }, async () => {
    swapper = execa('node', ['-e', SWAPPER, regular, fifo, swapped], { reject: false, stdio: 'ignore' });
    // Race only once the swapper is running: wait until the path has been the FIFO at least once
    // (lstat never opens it), not for a fixed time a loaded machine can overrun.
    const swapping = Date.now() + 15_000;
    let started = false;
    while (!(started = lstatSync(swapped).isFIFO()) && Date.now() < swapping) await new Promise((r) => setTimeout(r, 5));
    expect(started, 'the swapper started').toBe(true);
    const outcomes = { report: 0, refused: 0, hang: 0 };
    try {
      // the CLI tries run alongside the in-process ones
      const cli = Promise.all(
        Array.from({ length: CLI_TRIES }, async () => {
          const run = execa('node', [BIN, 'network', 'validate-capture', swapped, '--json'], { reject: false, env: { LANG: 'C.UTF-8', NO_COLOR: '1' } });
          const result = await bounded(run, 15_000);
          if (result === HANG) {
            run.kill('SIGKILL');
            outcomes.hang += 1;
            return;
          }
          expectNoStackTrace(String(result.stderr));
          const report = JSON.parse(String(result.stdout)) as CaptureReport;
          const kind = classify(report);
          expect(result.exitCode).toBe(kind === 'refused' ? 2 : captureExitCode([report]));
          outcomes[kind] += 1;
        }),
      );
      for (let i = 0; i < TRIES; i += 1) {
        const report = await bounded(analyzeCapture(swapped), 3000);
        if (report === HANG) {
          outcomes.hang += 1;
          releaseFifo();
          continue;
        }
        outcomes[classify(report)] += 1;
      }
      await cli;
    } finally {
      swapper.kill('SIGKILL');
      await swapper.catch(() => undefined);
      swapper = null;
      releaseFifo();
    }
    console.log(`fifo race: ${JSON.stringify(outcomes)}`);
    expect(outcomes.hang).toBe(0);
    expect(outcomes.report + outcomes.refused).toBe(TRIES + CLI_TRIES);
    // Both sides of the swap were met (else the race was not exercised).
    expect(outcomes.report).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('a FIFO given directly: refused at once ("is not a regular file (a FIFO)")', async () => {
    const report = await bounded(analyzeCapture(fifo), 3000);
    expect(report).not.toBe(HANG);
    expect((report as CaptureReport).error).toBe('is not a regular file (a FIFO)');
    expect(captureExitCode([report as CaptureReport])).toBe(2);
  });

  it('a FIFO given directly through the CLI: exit 2, one message naming the file', async () => {
    const result = await execa('node', [BIN, '--ascii', 'network', 'validate-capture', fifo], { reject: false, timeout: 15_000, env: { LANG: 'C.UTF-8', NO_COLOR: '1' } });
    expect(result.timedOut).toBe(false);
    expectExit(result.exitCode ?? -1, 2);
    expect(`${result.stdout}\n${result.stderr}`.replace(/\s+/g, ' ')).toContain(`${fifo}: is not a regular file (a FIFO)`);
    expectNoStackTrace(String(result.stderr));
  });

  it('/dev/zero: refused as a device, not read forever', async () => {
    const report = await bounded(analyzeCapture('/dev/zero'), 3000);
    expect(report).not.toBe(HANG);
    expect((report as CaptureReport).error).toBe('is not a regular file (a device)');
  });

  it('a socket: refused as a socket', async () => {
    const path = join(dir, 'socket.pcap');
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      const report = await bounded(analyzeCapture(path), 3000);
      expect(report).not.toBe(HANG);
      expect((report as CaptureReport).error).toBe('is not a regular file (a socket)');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a directory: refused as a directory', async () => {
    const report = await analyzeCapture(dir);
    expect(report.error).toBe('is a directory, not a capture file');
    expect(captureExitCode([report])).toBe(2);
  });
});

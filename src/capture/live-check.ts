// The live SPAN check (issue 12, `network capture-check`): captures on the
// sensor's own monitor interfaces through the CapturePort (dumpcap on real
// hosts, generated traffic on the simulator), feeds each stream into the same
// analyser as validate-capture, and gives the same report and verdict per
// interface and overall. This function is the entry point other flows call
// (troubleshoot span): it takes the port and options, never a terminal.

import { cut } from '../cut.js';
import { EXIT, OtshellError } from '../errors.js';
import { Analyzer } from './analyzer.js';
import { fmtSeconds } from './report.js';
import { StreamAnalysis, overallReport } from './stream.js';
import type { CaptureCheck, CaptureReport, CheckStatus } from './types.js';

export const DEFAULT_SECONDS = 60;
export const MAX_SECONDS = 24 * 3600;
/** Past the asked duration, how long a capture may take to end by itself before it is stopped. */
const END_GRACE_MS = 10_000;
export const OVERALL_LABEL = 'all interfaces';

// What the check needs of the SystemAdapter's CapturePort (src/system/capture-port.ts),
// declared here so the capture library does not import the system layer; the
// port satisfies it as it is.
export interface LiveCapture {
  readonly stream: AsyncIterable<Uint8Array>;
  stop(): void;
  readonly finished: Promise<string | null>;
}
export interface CaptureSave {
  write(index: number, chunk: Uint8Array): Promise<void>;
  commit(): Promise<void>;
  discard(): Promise<void>;
}
export interface CapturePort {
  monitorInterfaces(): Promise<string[]>;
  interfaceNames(): Promise<string[]>;
  start(iface: string, seconds: number): LiveCapture;
  prepareSave(path: string, streams: number): Promise<CaptureSave>;
}

export interface CaptureCheckOptions {
  /** Interfaces to capture on; default: every monitor interface of the settings. */
  interfaces?: string[];
  seconds?: number;
  /** Keep the capture in this file (on the machine otshell runs on). */
  save?: string;
  /** Aborting stops the capture early; what was seen is still reported. */
  signal?: AbortSignal;
  onProgress?: (p: CaptureProgress) => void;
}

export interface CaptureProgress {
  packets: number;
  bytes: number;
  elapsedSeconds: number;
  seconds: number;
}

export interface CaptureCheckResult {
  seconds: number;
  elapsedSeconds: number;
  /** Stopped before the asked duration (Ctrl-C). */
  interrupted: boolean;
  /** The file the capture was kept in, or null. */
  saved: string | null;
  interfaces: CaptureReport[];
  /** Every interface's packets in one report; the overall verdict. */
  overall: CaptureReport;
}

export class CaptureCheckError extends OtshellError {}

/** --seconds: a whole number from 1 to 86400. */
export function parseSeconds(value: string | undefined): number {
  if (value === undefined) return DEFAULT_SECONDS;
  if (!/^[0-9]{1,6}$/.test(value) || Number(value) < 1 || Number(value) > MAX_SECONDS) {
    throw new CaptureCheckError(`--seconds must be a whole number from 1 to ${MAX_SECONDS}, not "${cut(value, 40)}".`, EXIT.USAGE);
  }
  return Number(value);
}

async function chooseInterfaces(port: CapturePort, asked: string[] | undefined): Promise<string[]> {
  const known = await port.interfaceNames();
  if (asked === undefined || asked.length === 0) {
    const monitor = await port.monitorInterfaces();
    if (monitor.length === 0) {
      throw new CaptureCheckError('No monitor interfaces are configured: name the interfaces to capture on (network capture-check eth1).');
    }
    return monitor;
  }
  const seen = new Set<string>();
  for (const name of asked) {
    if (!known.includes(name)) {
      throw new CaptureCheckError(`No interface named "${cut(name, 40)}"; interfaces: ${known.join(', ') || 'none'}.`, EXIT.USAGE);
    }
    if (seen.has(name)) throw new CaptureCheckError(`Interface ${name} is named twice.`, EXIT.USAGE);
    seen.add(name);
  }
  return asked;
}

/** The live view of the file checks: the capture ran its time (or was stopped), and packets came. */
function liveChecks(r: CaptureReport, seconds: number, elapsed: number, interrupted: boolean): CaptureReport {
  const checks: CaptureCheck[] = r.verdict.checks.map((c) => {
    if (c.id === 'file-complete') {
      if (r.packets === 0) {
        const why = r.error && r.error !== 'no packets in the file' && r.error !== 'no packets captured' ? r.error : null;
        return {
          id: c.id,
          status: 'fail',
          detail: why ?? `no packets captured in ${fmtSeconds(elapsed)}: nothing reaches this port; check the switch's mirror session`,
        };
      }
      return c.status === 'pass' ? { ...c, detail: 'the capture was read to its end' } : c;
    }
    if (c.id === 'duration') {
      return interrupted
        ? { id: c.id, status: 'warn', detail: `stopped after ${fmtSeconds(elapsed)} of ${seconds} s asked` }
        : { id: c.id, status: 'pass', detail: `captured for ${fmtSeconds(elapsed)} as asked` };
    }
    return c;
  });
  if (r.packets === 0 && r.error === 'no packets in the file') r.error = 'no packets captured';
  let status: CheckStatus = 'pass';
  for (const c of checks) {
    if (c.status === 'fail') status = 'fail';
    else if (c.status === 'warn' && status === 'pass') status = 'warn';
  }
  r.verdict = { status, checks };
  return r;
}

/** Runs the live check: every capture started, read to its end (or stopped), reaped, reported. */
export async function runCaptureCheck(port: CapturePort, options: CaptureCheckOptions = {}): Promise<CaptureCheckResult> {
  const seconds = options.seconds ?? DEFAULT_SECONDS;
  const signal = options.signal ?? new AbortController().signal;
  const names = await chooseInterfaces(port, options.interfaces);
  const save: CaptureSave | null = options.save !== undefined ? await port.prepareSave(options.save, names.length) : null;
  const overall = new Analyzer();
  const analyses = names.map(() => new StreamAnalysis([overall]));
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  let captures: LiveCapture[] = [];
  let interrupted = false;
  const stopAll = () => {
    for (const c of captures) c.stop();
  };
  const onAbort = () => {
    interrupted = elapsed() < seconds;
    stopAll();
  };
  const progress = setInterval(() => {
    options.onProgress?.({
      packets: analyses.reduce((n, a) => n + a.packets, 0),
      bytes: analyses.reduce((n, a) => n + a.bytes, 0),
      elapsedSeconds: Math.min(seconds, elapsed()),
      seconds,
    });
  }, 250);
  const overdue = setTimeout(stopAll, seconds * 1000 + END_GRACE_MS);
  let saveFailed: unknown = null;
  try {
    captures = names.map((name) => port.start(name, seconds));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    // On Ctrl-C the reports are made at once from what was read: the process is
    // stopped (and reaped by finished) but its last bytes are not waited for.
    const aborted = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    const reads = captures.map(async (capture, i) => {
      for await (const chunk of capture.stream) {
        const bytes = chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk as ArrayBufferLike);
        analyses[i]!.push(bytes);
        if (save && saveFailed === null) await save.write(i, bytes).catch((e: unknown) => (saveFailed = e));
        if (signal.aborted) break;
      }
    });
    await Promise.race([Promise.all(reads), aborted]);
    const failures = await Promise.race([
      Promise.all(captures.map((c) => c.finished)),
      aborted.then(() => captures.map(() => null)),
    ]);
    const took = Math.min(elapsed(), seconds);
    const interfaces = names.map((name, i) => liveChecks(analyses[i]!.report(name, failures[i] ?? null), seconds, took, interrupted));
    const failed = failures.filter((f): f is string => f !== null);
    const overallReportDone = liveChecks(
      overallReport(OVERALL_LABEL, overall, failed.length === names.length ? failed[0]! : null),
      seconds,
      took,
      interrupted,
    );
    let saved: string | null = null;
    if (save && signal.aborted) {
      // Ctrl-C: the report comes first (a one-shot exits moments after); a
      // half-joined file is never left, so nothing is kept
      await save.discard();
    } else if (save) {
      if (saveFailed !== null) throw saveFailed;
      await save.commit();
      saved = options.save!;
    }
    return { seconds, elapsedSeconds: Math.round(took * 10) / 10, interrupted, saved, interfaces, overall: overallReportDone };
  } catch (error) {
    await save?.discard();
    throw error;
  } finally {
    clearInterval(progress);
    clearTimeout(overdue);
    signal.removeEventListener('abort', onAbort);
    stopAll();
  }
}

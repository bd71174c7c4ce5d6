// Signals during a critical section (a settings change and its audit line, an
// atomic write) are deferred until the section ends, then honoured: exit 128+n.
// A bound (DEFER_BOUND_MS) keeps a stuck section from ignoring the user forever.
// Temp files in flight are tracked here, so a deferred or bounded exit (and any
// process.exit) removes them. Used by both adapters and by atomic-write.ts.
import { unlinkSync } from 'node:fs';
import { SIGNAL_EXIT } from '../errors.js';

const SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
type DeferredSignal = (typeof SIGNALS)[number];

/** How long a signal may wait for the section to end before it is honoured anyway. */
export const DEFER_BOUND_MS = 10_000;
/** How long cleanups (lock release) may take on a deferred exit. */
const CLEANUP_BOUND_MS = 2_000;

const liveTemps = new Set<string>();
const exitCleanups = new Set<() => Promise<void>>();
let depth = 0;
let deferred: DeferredSignal | null = null;
let boundTimer: NodeJS.Timeout | null = null;
/** The bound of the outermost running section. */
let boundMs = DEFER_BOUND_MS;
let saved = new Map<DeferredSignal, ((...args: unknown[]) => void)[]>();

process.on('exit', removeLiveTemps);

/** Registers a temp file being written; call the returned function once it is renamed or removed. */
export function trackTemp(path: string): () => void {
  liveTemps.add(path);
  return () => {
    liveTemps.delete(path);
  };
}

/** Removes every temp file still in flight (synchronously: safe in exit paths). */
export function removeLiveTemps(): void {
  for (const path of liveTemps) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  liveTemps.clear();
}

/** Work to do (e.g. release a lock) when a deferred signal ends the process; returns the unregister function. */
export function onSignalExit(cleanup: () => Promise<void>): () => void {
  exitCleanups.add(cleanup);
  return () => {
    exitCleanups.delete(cleanup);
  };
}

/** Whether a critical section is running (tests, diagnostics). */
export function inCriticalSection(): boolean {
  return depth > 0;
}

function onSignal(signal: DeferredSignal): void {
  deferred ??= signal;
  boundTimer ??= setTimeout(() => {
    removeLiveTemps();
    process.exit(SIGNAL_EXIT[deferred!]);
  }, boundMs);
  boundTimer.unref();
}

const handlers = Object.fromEntries(SIGNALS.map((signal) => [signal, () => onSignal(signal)])) as Record<DeferredSignal, () => void>;

function enter(bound: number): void {
  depth += 1;
  if (depth > 1) return;
  boundMs = bound;
  saved = new Map();
  for (const signal of SIGNALS) {
    // Other listeners (the CLI's Ctrl-C handler, Ink's) would end the process mid-change: set aside until the end.
    saved.set(signal, process.rawListeners(signal) as ((...args: unknown[]) => void)[]);
    process.removeAllListeners(signal);
    process.on(signal, handlers[signal]);
  }
}

async function leave(): Promise<void> {
  depth -= 1;
  if (depth > 0) return;
  for (const signal of SIGNALS) {
    process.removeListener(signal, handlers[signal]);
    for (const listener of saved.get(signal) ?? []) process.on(signal, listener);
  }
  saved = new Map();
  const signal = deferred;
  if (signal === null) return;
  await honour(signal);
}

async function honour(signal: DeferredSignal): Promise<never> {
  removeLiveTemps();
  const cleanups = [...exitCleanups].map((cleanup) => cleanup().catch(() => {}));
  await Promise.race([Promise.all(cleanups), new Promise((resolve) => setTimeout(resolve, CLEANUP_BOUND_MS).unref())]);
  process.exit(SIGNAL_EXIT[signal]);
}

/**
 * Runs work with SIGTERM, SIGHUP and SIGINT deferred: a signal that arrives
 * meanwhile ends the process (128+n) only once the work is done (or after
 * `bound` ms, DEFER_BOUND_MS by default). Sections nest; the outermost one
 * honours the signal.
 */
export async function critical<T>(work: () => Promise<T>, bound: number = DEFER_BOUND_MS): Promise<T> {
  enter(bound);
  try {
    return await work();
  } finally {
    await leave();
  }
}

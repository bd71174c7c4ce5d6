// The simulated sensor's persistent state: one JSON file, checked on load
// (state-shape.ts) so a corrupt or foreign file gives a clear message, never a crash.
import { rename } from '../../lazy-fs.js';
import { join } from 'node:path';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../atomic-write.js';
import { stateDirErrorOf } from '../errors.js';
import { EXIT, OtshellError } from '../../errors.js';
import { SENSOR_SERVICES, PROFILE } from './sensor-model.js';
import { defaultUsers } from './accounts.js';
import { checkState, STATE_FORMAT, STATE_VERSION, type SimulatedInterface, type SimulatorState } from './state-shape.js';
import { ShapeError, type Path } from './shape-check.js';

export const STATE_FILE_NAME = 'simulator.json';
export { STATE_FORMAT, STATE_VERSION, type SimulatorState, type SimulatedInterface } from './state-shape.js';

/** A realistic factory-fresh sensor: management on eth0, two SPAN ports, one spare for a bridge. */
export function defaultSimulatorState(now: Date = new Date()): SimulatorState {
  const bootedAt = now.getTime() - (17 * 3600 + 26 * 60 + 28) * 1000;
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    hostname: 'D4Iot',
    profile: PROFILE,
    createdAt: now.toISOString(),
    settings: {
      managementInterface: 'eth0',
      ip: '10.1.0.20',
      prefixLength: 24,
      gateway: '10.1.0.1',
      dns: ['10.1.0.2'],
      inputInterfaces: ['eth1', 'eth2'],
      bridgeInterface: null,
    },
    pendingSettings: null,
    unavailableUntil: null,
    poweredOff: false,
    interfaces: [
      simulatedInterface('eth0', '02:42:ac:12:00:02', 1_843_221, 740_021_554, 1_402_118, 512_889_003, 12, 410, 9, 380),
      simulatedInterface('eth1', '02:42:ac:12:00:03', 48_922_871, 21_304_566_902, 0, 0, 2400, 420, 0, 0),
      simulatedInterface('eth2', '02:42:ac:12:00:04', 9_120_334, 1_930_441_208, 0, 0, 600, 210, 0, 0),
      simulatedInterface('eth3', '02:42:ac:12:00:05', 0, 0, 0, 0, 0, 0, 0, 0),
      { ...simulatedInterface('lo', '00:00:00:00:00:00', 88_412, 9_921_004, 88_412, 9_921_004, 3, 110, 3, 110), mtu: 65536 },
    ],
    // Staggered starts, as a real boot brings services up one after another.
    services: SENSOR_SERVICES.map((name, index) => ({
      name,
      startedAt: new Date(bootedAt + index * 2000).toISOString(),
      fault: 'none' as const,
    })),
    users: defaultUsers(),
    signInPolicy: { maxFailures: 5, lockSeconds: 300 },
    sourceLocks: [],
  };
}

function simulatedInterface(
  name: string,
  mac: string,
  rxPackets: number,
  rxBytes: number,
  txPackets: number,
  txBytes: number,
  rxRate: number,
  rxSize: number,
  txRate: number,
  txSize: number,
): SimulatedInterface {
  return {
    name,
    mac,
    mtu: 1500,
    txqueuelen: 1000,
    rxPacketsBase: rxPackets,
    rxBytesBase: rxBytes,
    txPacketsBase: txPackets,
    txBytesBase: txBytes,
    rxPacketsPerSecond: rxRate,
    rxBytesPerPacket: rxSize,
    txPacketsPerSecond: txRate,
    txBytesPerPacket: txSize,
    rxDropped: 0,
  };
}

/** A state file that exists but cannot be used. The message names the file and the way out. */
export class StateFileError extends OtshellError {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(
      `The simulator state file ${path} ${problem}. ` +
        `Start a fresh simulated sensor with "otshell --reset-simulator" (the old file is kept beside it as a .bad copy).`,
      EXIT.CONFIG,
    );
  }
}

export class SimulatorStore {
  readonly path: string;
  /**
   * The text last read and what it parsed to. A command reads the file more than once
   * (the caller's role, then the command's own read); the same bytes parse to the same
   * state, so the second JSON parse and check of every field is skipped.
   * Keyed by the whole text, never by inode, size or time, which a rewrite can repeat.
   */
  private lastRead: { text: string; state: SimulatorState } | undefined;

  constructor(readonly stateDir: string) {
    this.path = join(stateDir, STATE_FILE_NAME);
  }

  /** Loads the state, creating a fresh sensor on first use. */
  async load(): Promise<SimulatorState> {
    let text: string;
    try {
      text = readStateText(this.path);
    } catch (error) {
      if (error instanceof StateFileError) throw error;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        const fresh = defaultSimulatorState();
        await this.save(fresh);
        return fresh;
      }
      throw stateDirErrorOf(error, 'read', this.path);
    }
    if (this.lastRead?.text === text) return structuredClone(this.lastRead.state);
    const state = parseState(this.path, text);
    // Copies both ways: a caller may change what it got (the next save writes it).
    this.lastRead = { text, state: structuredClone(state) };
    return state;
  }

  async save(state: SimulatorState): Promise<void> {
    await writeFileAtomic(this.path, `${JSON.stringify(state, null, 2)}\n`);
  }

  /** Moves a bad file aside (nothing is lost) and writes a fresh sensor. */
  async reset(): Promise<string | null> {
    const backup = `${this.path}.bad-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    let moved: string | null = backup;
    try {
      await rename(this.path, backup);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw stateDirErrorOf(error, 'move aside', this.path);
      moved = null;
    }
    await this.save(defaultSimulatorState());
    return moved;
  }
}

/** Far above any real state file (256 interfaces, 64 users, the sections): refused unread. */
const MAX_STATE_BYTES = 64 * 1024 * 1024;

/**
 * The state file's text, read synchronously: a few kilobytes from a local disk. Through
 * fs/promises a read started Node's thread pool and took turns of the event loop, about
 * 3 ms of every one-shot command (docs/benchmarks-startup.md). Opened without blocking and
 * checked before reading: a FIFO, a device or a directory in its place is refused at once,
 * never waited on (a synchronous read could not even be interrupted with Ctrl-C).
 */
function readStateText(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw new StateFileError(path, 'is a directory');
    if (!info.isFile()) throw new StateFileError(path, 'is not a regular file');
    if (info.size > MAX_STATE_BYTES) throw new StateFileError(path, `is larger than ${MAX_STATE_BYTES / 1024 / 1024} MiB`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

export function parseState(path: string, text: string): SimulatorState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new StateFileError(path, 'is not valid JSON (it may be truncated or edited by hand)');
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== STATE_FORMAT) {
    throw new StateFileError(path, 'is not an otshell simulator state file');
  }
  if ((raw as { version?: unknown }).version !== STATE_VERSION) {
    const version = (raw as { version?: unknown }).version;
    const shown = typeof version === 'number' && Number.isSafeInteger(version) ? `version ${version}` : 'an unknown version';
    throw new StateFileError(path, `has ${shown}, this otshell reads version ${STATE_VERSION}`);
  }
  try {
    return checkState(raw, []);
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new StateFileError(path, `is invalid: ${fieldPath(error.path)}: ${error.expected}`);
  }
}

/** interfaces[2].rxBytesBase */
function fieldPath(path: Path): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('') || '(the whole file)';
}

// The simulated sensor's persistent state: one JSON file, validated with a
// schema on load so a corrupt or foreign file gives a clear message, never a crash.
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { writeFileAtomic } from '../atomic-write.js';
import { SENSOR_SERVICES, PROFILE } from './sensor-model.js';

export const STATE_FORMAT = 'otshell-simulator';
export const STATE_VERSION = 1;
export const STATE_FILE_NAME = 'simulator.json';

const settingsSchema = z.object({
  managementInterface: z.string(),
  ip: z.string(),
  prefixLength: z.number().check(z.int(), z.minimum(0), z.maximum(32)),
  gateway: z.string(),
  dns: z.array(z.string()),
  inputInterfaces: z.array(z.string()),
  bridgeInterface: z.nullable(z.string()),
});

const interfaceSchema = z.object({
  name: z.string(),
  mac: z.string(),
  mtu: z.int(),
  txqueuelen: z.int(),
  /** Counters at `createdAt`; they grow by the rates below as time passes. */
  rxPacketsBase: z.number(),
  rxBytesBase: z.number(),
  txPacketsBase: z.number(),
  txBytesBase: z.number(),
  rxPacketsPerSecond: z.number(),
  rxBytesPerPacket: z.number(),
  txPacketsPerSecond: z.number(),
  txBytesPerPacket: z.number(),
  rxDropped: z._default(z.int(), 0),
});

const serviceSchema = z.object({
  name: z.string(),
  /** ISO time the service (re)started; in the future while it is starting. */
  startedAt: z.string(),
  /** A fault a trainer set: stopped, or hung (its check never answers). */
  fault: z._default(z.enum(['none', 'stopped', 'hung']), 'none'),
});

export const simulatorStateSchema = z.object({
  format: z.literal(STATE_FORMAT),
  version: z.literal(STATE_VERSION),
  hostname: z.string(),
  profile: z.string(),
  createdAt: z.string(),
  settings: settingsSchema,
  /** Applied with edit-settings, effective after the next restart. */
  pendingSettings: z.nullable(settingsSchema),
  /** While set and in the future, the sensor is restarting and unreachable. */
  unavailableUntil: z.nullable(z.string()),
  /** Set by shutdown; the sensor answers nothing until "otshell --power-on". Absent in older files. */
  poweredOff: z._default(z.boolean(), false),
  interfaces: z.array(interfaceSchema),
  services: z.array(serviceSchema),
});

export type SimulatorState = z.infer<typeof simulatorStateSchema>;
export type SimulatedInterface = z.infer<typeof interfaceSchema>;

/** A realistic factory-fresh sensor: management on eth0, two SPAN ports, one spare for a bridge. */
export function defaultSimulatorState(now: Date = new Date()): SimulatorState {
  const bootedAt = now.getTime() - (17 * 3600 + 26 * 60 + 28) * 1000;
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    hostname: 'sensor-01',
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
export class StateFileError extends Error {
  readonly exitCode = 78; // EX_CONFIG
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(
      `The simulator state file ${path} ${problem}. ` +
        `Start a fresh simulated sensor with "otshell --reset-simulator" (the old file is kept beside it as a .bad copy).`,
    );
    this.name = 'StateFileError';
  }
}

export class SimulatorStore {
  readonly path: string;

  constructor(readonly stateDir: string) {
    this.path = join(stateDir, STATE_FILE_NAME);
  }

  /** Loads the state, creating a fresh sensor on first use. */
  async load(): Promise<SimulatorState> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        const fresh = defaultSimulatorState();
        await this.save(fresh);
        return fresh;
      }
      if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw new StateFileError(this.path, 'is a directory');
      throw new StateFileError(this.path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    return parseState(this.path, text);
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
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      moved = null;
    }
    await this.save(defaultSimulatorState());
    return moved;
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
    throw new StateFileError(path, `has version ${String((raw as { version?: unknown }).version)}, this otshell reads version ${STATE_VERSION}`);
  }
  const parsed = simulatorStateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StateFileError(path, `has an invalid field "${issue?.path.join('.') ?? '?'}" (expected ${(issue as { expected?: string })?.expected ?? 'another value'})`);
  }
  return parsed.data;
}

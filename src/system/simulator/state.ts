// The simulated sensor's persistent state: one JSON file, validated with a
// schema on load so a corrupt or foreign file gives a clear message, never a crash.
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { spanStateSchema } from './span-state.js';
import ipaddr from 'ipaddr.js';
import { writeFileAtomic } from '../atomic-write.js';
import { stateDirErrorOf } from '../errors.js';
import { EXIT, OtshellError } from '../../errors.js';
import { SENSOR_SERVICES, PROFILE } from './sensor-model.js';
import { defaultUsers } from './accounts.js';
import { diagnosticsStateSchema } from './diagnostics-state.js';
import { simulatorNtpSchema } from './ntp.js';
import { simulatorBackupSchema } from './backup-state.js';
import { siteNetworkSchema } from './site-network.js';
import { simulatorDiskSchema } from './disk-state.js';

export const STATE_FORMAT = 'otshell-simulator';
export const STATE_VERSION = 1;
export const STATE_FILE_NAME = 'simulator.json';

// Every value is checked here, not where it is shown: a state file edited by hand
// (or by a hostile user) must not put NaN, null, escape sequences or 5 MB strings
// on anyone's screen. Each leaf says what it expects; parseState names the field.

/** A leaf: a predicate and the words a user reads when it fails. */
function leaf<T>(accepts: (value: unknown) => boolean, expected: string) {
  return z.custom<T>((value) => value !== undefined && accepts(value), { error: `expected ${expected}` });
}

/** Linux rules (1-15 bytes, not "." or "..", no "/", ":" or whitespace), printable ASCII only. */
export function isInterfaceName(value: unknown): boolean {
  return typeof value === 'string' && /^[!-~]{1,15}$/.test(value) && !/[/:]/.test(value) && value !== '.' && value !== '..';
}

function isIpv4(value: unknown): boolean {
  return typeof value === 'string' && ipaddr.IPv4.isValidFourPartDecimal(value) && !/(^|\.)0\d/.test(value);
}

/** An ISO 8601 time as toISOString writes it (a zone is required), that Date can represent. */
export function isIsoTime(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    Number.isFinite(Date.parse(value))
  );
}

function wholeNumber(min: number, max: number) {
  return (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

/** Printable text: no control, format (bidi), private-use or unassigned characters. */
function printableText(max: number) {
  return (value: unknown) => typeof value === 'string' && value.length >= 1 && value.length <= max && !/[\p{C}]/u.test(value);
}

const MAX_COUNTER = Number.MAX_SAFE_INTEGER;
const ifname = leaf<string>(isInterfaceName, 'an interface name: 1 to 15 printable ASCII characters, no "/", ":" or spaces');
const ipv4 = leaf<string>(isIpv4, 'an IPv4 address such as 10.1.0.20');
const isoTime = leaf<string>(isIsoTime, 'an ISO date and time such as 2026-01-31T12:00:00.000Z');
const counter = leaf<number>(wholeNumber(0, MAX_COUNTER), `a whole number from 0 to ${MAX_COUNTER}`);
const rate = leaf<number>(
  (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1e9,
  'a number from 0 to 1000000000',
);
const packetSize = leaf<number>(wholeNumber(0, 65_536), 'a whole number of bytes from 0 to 65536');

const settingsSchema = z.object({
  managementInterface: ifname,
  ip: ipv4,
  prefixLength: leaf<number>(wholeNumber(0, 32), 'a prefix length, a whole number from 0 to 32'),
  gateway: ipv4,
  dns: z.array(ipv4).check(z.maxLength(3, { error: 'expected at most 3 DNS servers' })),
  inputInterfaces: z.array(ifname).check(z.maxLength(64, { error: 'expected at most 64 interfaces' })),
  bridgeInterface: z.nullable(ifname),
});

const interfaceSchema = z.object({
  name: ifname,
  mac: leaf<string>((v) => typeof v === 'string' && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(v), 'a MAC address such as 02:42:ac:12:00:02'),
  mtu: leaf<number>(wholeNumber(68, 65_536), 'an MTU, a whole number from 68 to 65536'),
  txqueuelen: leaf<number>(wholeNumber(0, 0xffff_ffff), 'a whole number from 0 to 4294967295'),
  /** Counters at `createdAt`; they grow by the rates below as time passes. */
  rxPacketsBase: counter,
  rxBytesBase: counter,
  txPacketsBase: counter,
  txBytesBase: counter,
  rxPacketsPerSecond: rate,
  rxBytesPerPacket: packetSize,
  txPacketsPerSecond: rate,
  txBytesPerPacket: packetSize,
  rxDropped: z._default(counter, 0),
});

const serviceSchema = z.object({
  name: leaf<string>(printableText(64), 'a service name: 1 to 64 printable characters'),
  /** ISO time the service (re)started; in the future while it is starting. */
  startedAt: isoTime,
  /** A fault a trainer set: stopped, hung (its check never answers) or crashing (restarts, dies, restarts: never up). */
  fault: z._default(z.enum(['none', 'stopped', 'hung', 'crashing'], { error: 'expected "none", "stopped", "hung" or "crashing"' }), 'none'),
});

const hex = (bytes: number) =>
  leaf<string>((v) => typeof v === 'string' && v.length === bytes * 2 && /^[0-9a-f]+$/.test(v), `${bytes} bytes in lower-case hex`);
const userName = leaf<string>((v) => typeof v === 'string' && /^[a-z_][a-z0-9_-]{0,31}$/.test(v), 'a user name: a-z, 0-9, "_" and "-", at most 32 characters');

const userSchema = z.object({
  name: userName,
  role: z.enum(['viewer', 'support', 'root'], { error: 'expected "viewer", "support" or "root"' }),
  // Bounded scrypt parameters: a tampered file must not make a sign-in take minutes or gigabytes.
  hash: z.object({
    algorithm: z.literal('scrypt'),
    N: leaf<number>((v) => typeof v === 'number' && [1024, 2048, 4096, 8192, 16384, 32768].includes(v), 'a power of two from 1024 to 32768'),
    r: leaf<number>(wholeNumber(1, 16), 'a whole number from 1 to 16'),
    p: leaf<number>(wholeNumber(1, 4), 'a whole number from 1 to 4'),
    salt: hex(16),
    key: hex(32),
  }),
  defaultPassword: z._default(z.boolean(), false),
  mustChange: z._default(z.boolean(), false),
  lastSignIn: z._default(z.nullable(z.object({ time: isoTime, source: leaf<string>(printableText(64), 'a source: 1 to 64 printable characters') })), null),
  failuresSinceLast: z._default(leaf<number>(wholeNumber(0, 1_000_000), 'a whole number from 0 to 1000000'), 0),
});

const sourceLockSchema = z.object({
  source: leaf<string>(printableText(64), 'a source: 1 to 64 printable characters'),
  failures: leaf<number>(wholeNumber(0, 100), 'a whole number from 0 to 100'),
  lockedUntil: z.nullable(isoTime),
});

export const simulatorStateSchema = z.object({
  format: z.literal(STATE_FORMAT),
  version: z.literal(STATE_VERSION),
  hostname: leaf<string>(
    (v) => typeof v === 'string' && v.length <= 253 && /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(v),
    'a host name: letters, digits, "-" and ".", at most 253 characters',
  ),
  profile: leaf<string>(printableText(32), 'a profile name: 1 to 32 printable characters'),
  createdAt: isoTime,
  settings: settingsSchema,
  /** Applied with edit-settings, effective after the next restart. */
  pendingSettings: z.nullable(settingsSchema),
  /** While set and in the future, the sensor is restarting and unreachable. */
  unavailableUntil: z.nullable(isoTime),
  /** Set by shutdown; the sensor answers nothing until "otshell --power-on". Absent in older files. */
  poweredOff: z._default(z.boolean(), false),
  interfaces: z.array(interfaceSchema).check(
    z.minLength(1, { error: 'expected at least one interface' }),
    z.maxLength(256, { error: 'expected at most 256 interfaces' }),
    z.refine((list) => new Set(list.map((i) => i.name)).size === list.length, { error: 'expected each interface name once' }),
  ),
  services: z.array(serviceSchema).check(z.maxLength(64, { error: 'expected at most 64 services' })),
  /** The simulated sign-in (absent in older files: the factory users). */
  users: z._default(
    z.array(userSchema).check(
      z.minLength(1, { error: 'expected at least one user' }),
      z.maxLength(64, { error: 'expected at most 64 users' }),
      z.refine((list) => new Set(list.map((u) => u.name)).size === list.length, { error: 'expected each user name once' }),
    ),
    () => defaultUsers(),
  ),
  /** Failed sign-ins that lock a source, and for how long. */
  signInPolicy: z._default(
    z.object({
      maxFailures: leaf<number>(wholeNumber(1, 100), 'a whole number of failures from 1 to 100'),
      lockSeconds: leaf<number>(wholeNumber(1, 86_400), 'a whole number of seconds from 1 to 86400'),
    }),
    () => ({ maxFailures: 5, lockSeconds: 300 }),
  ),
  /** Ping's site network, version, clock and LEDs (src/system/simulator/diagnostics-state.ts); absent in older files. */
  diagnostics: z.optional(diagnosticsStateSchema),
  sourceLocks: z._default(z.array(sourceLockSchema).check(z.maxLength(256, { error: 'expected at most 256 sources' })), () => []),
  /** NTP servers and the hosts that answer NTP (simulator/ntp.ts); absent in older files. */
  ntp: z.optional(simulatorNtpSchema),
  /** Backup folder and how many to keep (simulator/backup.ts); absent in older files. */
  backup: z.optional(simulatorBackupSchema),
  /** The simulated site network `network requirements` probes (absent: every path open). */
  siteNetwork: z.optional(siteNetworkSchema),
  /** The monitor ports' mirror (issue 12); absent: healthy. */
  span: z.optional(spanStateSchema),
  /** The disk (training's full backup disk, simulator/disk-state.ts); absent: room for everything. */
  disk: z.optional(simulatorDiskSchema),
});

export type SimulatorState = z.infer<typeof simulatorStateSchema>;
export type SimulatedInterface = z.infer<typeof interfaceSchema>;

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
      throw stateDirErrorOf(error, 'read', this.path);
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
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw stateDirErrorOf(error, 'move aside', this.path);
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
    const version = (raw as { version?: unknown }).version;
    const shown = typeof version === 'number' && Number.isSafeInteger(version) ? `version ${version}` : 'an unknown version';
    throw new StateFileError(path, `has ${shown}, this otshell reads version ${STATE_VERSION}`);
  }
  const parsed = simulatorStateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StateFileError(path, `is invalid: ${fieldPath(issue.path)}: ${describeIssue(issue, raw)}`);
  }
  return parsed.data;
}

/** interfaces[2].rxBytesBase */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('') || '(the whole file)';
}

/** What was expected, never the value itself (it may be 5 MB or carry escape sequences). */
function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  let value: unknown = raw;
  for (const key of issue.path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  if (value === undefined) return 'missing';
  if (issue.code === 'custom' || issue.code === 'too_big' || issue.code === 'too_small') return issue.message;
  if (issue.code === 'invalid_type') return `expected ${article(issue.expected)}`;
  if (issue.code === 'invalid_value' && issue.message.startsWith('expected')) return issue.message;
  return 'expected another value';
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

// The shape of the simulator's state file, and its types.
//
// Every value is checked here, not where it is shown: a state file edited by hand
// (or by a hostile user) must not put NaN, null, escape sequences or 5 MB strings
// on anyone's screen. Each leaf says what it expects; parseState names the field.
// The core is checked by shape-check.ts (why not zod: there); the optional sections
// are zod schemas of their own modules, built only when a file has them.
import type * as z from 'zod/mini';
import ipaddr from 'ipaddr.js';
import { array, boolean, exactly, leaf, nullable, object, oneOf, optional, ShapeError, withDefault, type Check, type Checked, type Path } from './shape-check.js';
import { defaultUsers } from './accounts.js';
import { spanStateSchema } from './span-state.js';
import { diagnosticsStateSchema } from './diagnostics-state.js';
import { simulatorNtpSchema } from './ntp.js';
import { simulatorBackupSchema } from './backup-state.js';
import { siteNetworkSchema } from './site-network.js';
import { simulatorDiskSchema } from './disk-state.js';

export const STATE_FORMAT = 'otshell-simulator';
export const STATE_VERSION = 1;

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
const rate = leaf<number>((value) => typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1e9, 'a number from 0 to 1000000000');
const packetSize = leaf<number>(wholeNumber(0, 65_536), 'a whole number of bytes from 0 to 65536');
const hex = (bytes: number) => leaf<string>((v) => typeof v === 'string' && v.length === bytes * 2 && /^[0-9a-f]+$/.test(v), `${bytes} bytes in lower-case hex`);
const source = leaf<string>(printableText(64), 'a source: 1 to 64 printable characters');
const unique = <T>(key: (item: T) => string) => (list: T[]) => new Set(list.map(key)).size === list.length;

const settings = object({
  managementInterface: ifname,
  ip: ipv4,
  prefixLength: leaf<number>(wholeNumber(0, 32), 'a prefix length, a whole number from 0 to 32'),
  gateway: ipv4,
  dns: array(ipv4, { max: [3, 'expected at most 3 DNS servers'] }),
  inputInterfaces: array(ifname, { max: [64, 'expected at most 64 interfaces'] }),
  bridgeInterface: nullable(ifname),
});

const simulatedInterface = object({
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
  rxDropped: withDefault(counter, () => 0),
});

const service = object({
  name: leaf<string>(printableText(64), 'a service name: 1 to 64 printable characters'),
  /** ISO time the service (re)started; in the future while it is starting. */
  startedAt: isoTime,
  /** A fault a trainer set: stopped, hung (its check never answers) or crashing (restarts, dies, restarts: never up). */
  fault: withDefault(oneOf(['none', 'stopped', 'hung', 'crashing'], 'expected "none", "stopped", "hung" or "crashing"'), () => 'none'),
});

const user = object({
  name: leaf<string>((v) => typeof v === 'string' && /^[a-z_][a-z0-9_-]{0,31}$/.test(v), 'a user name: a-z, 0-9, "_" and "-", at most 32 characters'),
  role: oneOf(['viewer', 'support', 'root'], 'expected "viewer", "support" or "root"'),
  // Bounded scrypt parameters: a tampered file must not make a sign-in take minutes or gigabytes.
  hash: object({
    algorithm: exactly('scrypt'),
    N: leaf<number>((v) => typeof v === 'number' && [1024, 2048, 4096, 8192, 16384, 32768].includes(v), 'a power of two from 1024 to 32768'),
    r: leaf<number>(wholeNumber(1, 16), 'a whole number from 1 to 16'),
    p: leaf<number>(wholeNumber(1, 4), 'a whole number from 1 to 4'),
    salt: hex(16),
    key: hex(32),
  }),
  defaultPassword: withDefault(boolean, () => false),
  mustChange: withDefault(boolean, () => false),
  lastSignIn: withDefault(nullable(object({ time: isoTime, source })), () => null),
  failuresSinceLast: withDefault(leaf<number>(wholeNumber(0, 1_000_000), 'a whole number from 0 to 1000000'), () => 0),
});

const sourceLock = object({
  source,
  failures: leaf<number>(wholeNumber(0, 100), 'a whole number from 0 to 100'),
  lockedUntil: nullable(isoTime),
});

/** An optional section: its zod schema (a z.lazy, built on first use) checks it when the file has it. */
function section<T>(schema: z.ZodMiniType<T>) {
  return optional<T>((value, path) => {
    const parsed = schema.safeParse(value, { jitless: true });
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    throw new ShapeError([...path, ...(issue.path as Path)], describeIssue(issue, value));
  });
}

/** What a zod issue expected, in the words of the checks above; never the value itself. */
function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  let value: unknown = raw;
  for (const key of issue.path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  if (value === undefined) return 'missing';
  if (issue.code === 'custom' || issue.code === 'too_big' || issue.code === 'too_small') return issue.message;
  if (issue.code === 'invalid_type') return `expected ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
  if (issue.code === 'invalid_value' && issue.message.startsWith('expected')) return issue.message;
  return 'expected another value';
}

/** The whole file after its format and version (parseState checks those first). */
export const checkState = object({
  format: exactly(STATE_FORMAT),
  version: leaf<typeof STATE_VERSION>((v) => v === STATE_VERSION, `version ${STATE_VERSION}`),
  hostname: leaf<string>(
    (v) => typeof v === 'string' && v.length <= 253 && /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(v),
    'a host name: letters, digits, "-" and ".", at most 253 characters',
  ),
  profile: leaf<string>(printableText(32), 'a profile name: 1 to 32 printable characters'),
  createdAt: isoTime,
  settings,
  /** Applied with edit-settings, effective after the next restart. */
  pendingSettings: nullable(settings),
  /** While set and in the future, the sensor is restarting and unreachable. */
  unavailableUntil: nullable(isoTime),
  /** Set by shutdown; the sensor answers nothing until "otshell --power-on". Absent in older files. */
  poweredOff: withDefault(boolean, () => false),
  interfaces: array(simulatedInterface, {
    min: [1, 'expected at least one interface'],
    max: [256, 'expected at most 256 interfaces'],
    all: [unique((i) => i.name), 'expected each interface name once'],
  }),
  services: array(service, { max: [64, 'expected at most 64 services'] }),
  /** The simulated sign-in (absent in older files: the factory users). */
  users: withDefault(array(user, { min: [1, 'expected at least one user'], max: [64, 'expected at most 64 users'], all: [unique((u) => u.name), 'expected each user name once'] }), () => defaultUsers()),
  /** Failed sign-ins that lock a source, and for how long. */
  signInPolicy: withDefault(
    object({
      maxFailures: leaf<number>(wholeNumber(1, 100), 'a whole number of failures from 1 to 100'),
      lockSeconds: leaf<number>(wholeNumber(1, 86_400), 'a whole number of seconds from 1 to 86400'),
    }),
    () => ({ maxFailures: 5, lockSeconds: 300 }),
  ),
  /** Ping's site network, version, clock and LEDs (src/system/simulator/diagnostics-state.ts); absent in older files. */
  diagnostics: section(diagnosticsStateSchema),
  sourceLocks: withDefault(array(sourceLock, { max: [256, 'expected at most 256 sources'] }), () => []),
  /** NTP servers and the hosts that answer NTP (simulator/ntp.ts); absent in older files. */
  ntp: section(simulatorNtpSchema),
  /** Backup folder and how many to keep (simulator/backup.ts); absent in older files. */
  backup: section(simulatorBackupSchema),
  /** The simulated site network `network requirements` probes (absent: every path open). */
  siteNetwork: section(siteNetworkSchema),
  /** The monitor ports' mirror (issue 12); absent: healthy. */
  span: section(spanStateSchema),
  /** The disk (training's full backup disk, simulator/disk-state.ts); absent: room for everything. */
  disk: section(simulatorDiskSchema),
});

export type SimulatorState = Checked<typeof checkState>;
export type SimulatedInterface = Checked<typeof simulatedInterface>;
export type SimulatedSettings = Checked<typeof settings>;

/** Network settings as a backup holds them: the same checks as the file's. */
export const checkSettings: Check<SimulatedSettings> = settings;

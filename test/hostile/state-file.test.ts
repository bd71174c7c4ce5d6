import { dirname } from 'node:path';
// Hostile suite, items 8 and class 5: the simulator state file is validated fully by
// its schema. One case per rule broken; each is exit 78 with one line naming the file
// and the field, never echoing the value (it may be 5 MB or carry escape sequences),
// and the file is left byte-identical. In-process through the shell's dispatcher,
// plus spawned cases that check stdout (--json) and stderr of the real binary.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLine } from '../helpers/command-harness.js';
import { runOtshell } from '../helpers/cli.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import { defaultSimulatorState } from '../../src/system/simulator/state.js';
import { EXIT } from '../../src/errors.js';
import { expectExit, expectNoStackTrace, RAW_CONTROL } from './helpers.js';

const IFNAME = 'expected an interface name: 1 to 15 printable ASCII characters, no "/", ":" or spaces';
const IPV4 = 'expected an IPv4 address such as 10.1.0.20';
const TIME = 'expected an ISO date and time such as 2026-01-31T12:00:00.000Z';
const COUNTER = 'expected a whole number from 0 to 9007199254740991';
const RATE = 'expected a number from 0 to 1000000000';
const SIZE = 'expected a whole number of bytes from 0 to 65536';
const PREFIX = 'expected a prefix length, a whole number from 0 to 32';
const MTU = 'expected an MTU, a whole number from 68 to 65536';
const MAC = 'expected a MAC address such as 02:42:ac:12:00:02';
const HOST = 'expected a host name: letters, digits, "-" and ".", at most 253 characters';
const PROFILE = 'expected a profile name: 1 to 32 printable characters';
const SERVICE = 'expected a service name: 1 to 64 printable characters';
const RESET_HINT = 'Start a fresh simulated sensor with "otshell --reset-simulator" (the old file is kept beside it as a .bad copy).';
/** From the binary the hint repeats the --state-dir given, so following it resets this state. */
const binaryHint = (path: string) => RESET_HINT.replace('"otshell --', `"otshell --state-dir ${dirname(path)} --`);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = Record<string, any>;

const base = mkdtempSync(join(tmpdir(), 'otshell-state-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let counter = 0;

/** A state directory holding `text` as simulator.json. */
function stateDir(text: string): { dir: string; path: string } {
  const dir = join(base, `case-${counter++}`);
  rmSync(dir, { recursive: true, force: true });
  const path = join(dir, 'simulator.json');
  mkdirSync(dir);
  writeFileSync(path, text);
  return { dir, path };
}

function stateText(mutate: (state: Mutable) => void): string {
  const state = JSON.parse(JSON.stringify(defaultSimulatorState(new Date('2026-01-10T08:00:00.000Z')))) as Mutable;
  mutate(state);
  return `${JSON.stringify(state, null, 2)}\n`;
}

const longString = 'a'.repeat(5 * 1024 * 1024);

/** [what is broken, the change, field path, what the message says is expected] */
const CASES: [string, (s: Mutable) => void, string, string][] = [
  ['an address with an octet over 255', (s) => (s.settings.ip = '10.1.0.300'), 'settings.ip', IPV4],
  ['an address with a leading zero', (s) => (s.settings.ip = '10.1.0.020'), 'settings.ip', IPV4],
  ['an address as a number', (s) => (s.settings.ip = 167837716), 'settings.ip', IPV4],
  ['an IPv6 gateway', (s) => (s.settings.gateway = '::1'), 'settings.gateway', IPV4],
  ['a DNS server that is a name', (s) => (s.settings.dns = ['10.1.0.2', 'dns.example']), 'settings.dns[1]', IPV4],
  ['four DNS servers', (s) => (s.settings.dns = ['10.1.0.2', '10.1.0.3', '10.1.0.4', '10.1.0.5']), 'settings.dns', 'expected at most 3 DNS servers'],
  ['a prefix length of 33', (s) => (s.settings.prefixLength = 33), 'settings.prefixLength', PREFIX],
  ['a negative prefix length', (s) => (s.settings.prefixLength = -1), 'settings.prefixLength', PREFIX],
  ['a fractional prefix length', (s) => (s.settings.prefixLength = 24.5), 'settings.prefixLength', PREFIX],
  ['a prefix length as text', (s) => (s.settings.prefixLength = '24'), 'settings.prefixLength', PREFIX],
  ['a bad address in the pending settings', (s) => (s.pendingSettings = { ...s.settings, ip: '999.1.1.1' }), 'pendingSettings.ip', IPV4],
  ['a creation date that is a word', (s) => (s.createdAt = 'yesterday'), 'createdAt', TIME],
  ['a creation date that does not exist', (s) => (s.createdAt = '2026-13-45T99:99:99Z'), 'createdAt', TIME],
  ['an empty service start time', (s) => (s.services[3].startedAt = ''), 'services[3].startedAt', TIME],
  ['a restart end without a time of day', (s) => (s.unavailableUntil = '2026-01-01'), 'unavailableUntil', TIME],
  ['a negative byte counter', (s) => (s.interfaces[1].rxBytesBase = -5), 'interfaces[1].rxBytesBase', COUNTER],
  ['a fractional packet counter', (s) => (s.interfaces[1].rxPacketsBase = 1.5), 'interfaces[1].rxPacketsBase', COUNTER],
  ['a huge counter (1e300)', (s) => (s.interfaces[2].txBytesBase = 1e300), 'interfaces[2].txBytesBase', COUNTER],
  ['a counter just past 2^53', (s) => (s.interfaces[2].txPacketsBase = 2 ** 53 + 2), 'interfaces[2].txPacketsBase', COUNTER],
  ['a counter "NaN" as text', (s) => (s.interfaces[0].rxBytesBase = 'NaN'), 'interfaces[0].rxBytesBase', COUNTER],
  ['a counter that is null', (s) => (s.interfaces[0].txPacketsBase = null), 'interfaces[0].txPacketsBase', COUNTER],
  ['a negative rate', (s) => (s.interfaces[0].rxPacketsPerSecond = -1), 'interfaces[0].rxPacketsPerSecond', RATE],
  ['a fractional packet size', (s) => (s.interfaces[0].txBytesPerPacket = 60.5), 'interfaces[0].txBytesPerPacket', SIZE],
  ['an MTU of 0', (s) => (s.interfaces[0].mtu = 0), 'interfaces[0].mtu', MTU],
  ['a negative dropped count', (s) => (s.interfaces[3].rxDropped = -1), 'interfaces[3].rxDropped', COUNTER],
  ['a MAC address that is not hex', (s) => (s.interfaces[1].mac = 'zz:42:ac:12:00:03'), 'interfaces[1].mac', MAC],
  ['a missing MAC address', (s) => delete s.interfaces[1].mac, 'interfaces[1].mac', 'missing'],
  ['missing settings', (s) => delete s.settings, 'settings', 'missing'],
  ['interfaces as an object', (s) => (s.interfaces = {}), 'interfaces', 'expected an array'],
  ['DNS as one string', (s) => (s.settings.dns = '10.1.0.2'), 'settings.dns', 'expected an array'],
  ['poweredOff as text', (s) => (s.poweredOff = 'yes'), 'poweredOff', 'expected a boolean'],
  ['extra nesting: DNS servers in a nested list', (s) => (s.settings.dns = [['10.1.0.2']]), 'settings.dns[0]', IPV4],
  ['extra nesting: the address in an object', (s) => (s.settings.ip = { address: '10.1.0.20' }), 'settings.ip', IPV4],
  ['extra nesting: a counter in a list', (s) => (s.interfaces[0].rxBytesBase = [1]), 'interfaces[0].rxBytesBase', COUNTER],
  ['a 5 MB host name', (s) => (s.hostname = longString), 'hostname', HOST],
  ['a 5 MB service name', (s) => (s.services[0].name = longString), 'services[0].name', SERVICE],
  ['an interface name with an OSC title sequence', (s) => (s.interfaces[1].name = 'eth1\u001b]0;pwned\u0007'), 'interfaces[1].name', IFNAME],
  ['an interface name with a slash', (s) => (s.interfaces[1].name = 'eth/1'), 'interfaces[1].name', IFNAME],
  ['an interface name of 16 characters', (s) => (s.interfaces[1].name = 'eth1234567890123'), 'interfaces[1].name', IFNAME],
  ['an interface name with a space', (s) => (s.interfaces[1].name = 'eth 1'), 'interfaces[1].name', IFNAME],
  ['an interface named ".."', (s) => (s.interfaces[1].name = '..'), 'interfaces[1].name', IFNAME],
  ['an empty management interface', (s) => (s.settings.managementInterface = ''), 'settings.managementInterface', IFNAME],
  ['a bridge name with a right-to-left override', (s) => (s.settings.bridgeInterface = '\u202eeth3'), 'settings.bridgeInterface', IFNAME],
  ['an input interface with DEL', (s) => (s.settings.inputInterfaces = ['eth1\u007f']), 'settings.inputInterfaces[0]', IFNAME],
  ['a service name with a bidi override', (s) => (s.services[2].name = 'Core\u202eIPA'), 'services[2].name', SERVICE],
  ['a service name that clears the screen', (s) => (s.services[2].name = '\u001b[2JCore API'), 'services[2].name', SERVICE],
  ['a profile with a CSI sequence', (s) => (s.profile = '\u001b[31mmedium'), 'profile', PROFILE],
  ['an unknown service fault', (s) => (s.services[0].fault = 'exploded'), 'services[0].fault', 'expected "none", "stopped", "hung" or "crashing"'],
  ['two interfaces with the same name', (s) => (s.interfaces[2].name = 'eth1'), 'interfaces', 'expected each interface name once'],
  ['no interfaces', (s) => (s.interfaces = []), 'interfaces', 'expected at least one interface'],
];

describe('simulator state file schema: exit 78 naming file and field, bytes unchanged', () => {
  it.each(CASES)('%s', async (_name, mutate, field, expected) => {
    const { dir, path } = stateDir(stateText(mutate));
    const before = readFileSync(path);
    const outcome = await runLine(new SimulatorAdapter(dir), 'network list');
    expectExit(outcome.exitCode, EXIT.CONFIG);
    expect(outcome.text).toBe(`The simulator state file ${path} is invalid: ${field}: ${expected}. ${RESET_HINT}`);
    expect(outcome.text).not.toMatch(RAW_CONTROL);
    expect(outcome.text).not.toMatch(/NaN|null/);
    expectNoStackTrace(outcome.text);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['simulator.json']);
  });

  it('a counter of 1e400 (Infinity once parsed)', async () => {
    const text = stateText(() => {}).replace(/"rxBytesBase": \d+/, '"rxBytesBase": 1e400');
    const { dir, path } = stateDir(text);
    const outcome = await runLine(new SimulatorAdapter(dir), 'system sanity --json');
    expectExit(outcome.exitCode, EXIT.CONFIG);
    expect(outcome.text).toBe(`The simulator state file ${path} is invalid: interfaces[0].rxBytesBase: ${COUNTER}. ${RESET_HINT}`);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('a version that carries an escape sequence is not echoed', async () => {
    const { dir, path } = stateDir(stateText((s) => (s.version = '1\u001b]0;pwned\u0007')));
    const outcome = await runLine(new SimulatorAdapter(dir), 'system audit');
    expectExit(outcome.exitCode, EXIT.CONFIG);
    expect(outcome.text).toBe(`The simulator state file ${path} has an unknown version, this otshell reads version 1. ${RESET_HINT}`);
  });

  it('a valid file still loads (the schema accepts what otshell writes)', async () => {
    const { dir } = stateDir(stateText(() => {}));
    const outcome = await runLine(new SimulatorAdapter(dir), 'network list --json');
    expectExit(outcome.exitCode, EXIT.OK);
    expect(outcome.text).not.toMatch(/null,|NaN/);
  });
});

describe.concurrent('state file errors from the real binary', () => {
  it('--json with a NaN-like counter prints no JSON, no null, one line on stderr', async () => {
    const { dir, path } = stateDir(stateText((s) => (s.interfaces[1].rxBytesBase = 'NaN')));
    const before = readFileSync(path);
    const r = await runOtshell(['network', 'list', '--json'], { stateDir: dir });
    expectExit(r.exitCode, EXIT.CONFIG);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`The simulator state file ${path} is invalid: interfaces[1].rxBytesBase: ${COUNTER}. ${binaryHint(path)}`);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('a bad service start date: sanity shows no NaN:NaN:NaN', async () => {
    const { dir, path } = stateDir(stateText((s) => (s.services[0].startedAt = 'not a date')));
    const r = await runOtshell(['system', 'sanity'], { stateDir: dir });
    expectExit(r.exitCode, EXIT.CONFIG);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`The simulator state file ${path} is invalid: services[0].startedAt: ${TIME}. ${binaryHint(path)}`);
    expect(r.stderr).not.toMatch(/NaN/);
  });

  it('a hostile interface name never reaches the terminal raw', async () => {
    const { dir, path } = stateDir(stateText((s) => (s.interfaces[3].name = '\u001b]0;pwned\u0007\u001b[2J')));
    const r = await runOtshell(['network', 'list'], { stateDir: dir });
    expectExit(r.exitCode, EXIT.CONFIG);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`The simulator state file ${path} is invalid: interfaces[3].name: ${IFNAME}. ${binaryHint(path)}`);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });
});


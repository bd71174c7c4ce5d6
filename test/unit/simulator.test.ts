import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync, writeFileSync, readdirSync, mkdirSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import { SimulatorStore, StateFileError, STATE_FILE_NAME, parseState, defaultSimulatorState } from '../../src/system/simulator/state.js';
import { SENSOR_SERVICES } from '../../src/system/simulator/sensor-model.js';
import { tempStateDir } from '../helpers/cli.js';

const dirs: { cleanup(): void }[] = [];
function freshDir(): string {
  const t = tempStateDir();
  dirs.push(t);
  return t.dir;
}
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = Record<string, any>;

describe('simulated sensor', () => {
  it('has a management port, two promiscuous SPAN ports, a spare and lo', async () => {
    const sim = new SimulatorAdapter(freshDir());
    const { interfaces, gateway, dns } = await sim.listInterfaces();
    const byRole = (role: string) => interfaces.filter((i) => i.role === role).map((i) => i.name);
    expect(byRole('management')).toEqual(['eth0']);
    expect(byRole('monitor').length).toBeGreaterThanOrEqual(2);
    expect(byRole('unused')).toEqual(['eth3']);
    expect(byRole('loopback')).toEqual(['lo']);
    for (const monitor of interfaces.filter((i) => i.role === 'monitor')) {
      expect(monitor).toMatchObject({ up: true, promisc: true, flagsValue: 4419 });
      expect(monitor.ipv4).toEqual([]);
    }
    expect(interfaces[0]!.ipv4).toEqual([{ address: '10.1.0.20', prefixLength: 24, netmask: '255.255.255.0', broadcast: '10.1.0.255' }]);
    expect(gateway).toBe('10.1.0.1');
    expect(dns).toEqual(['10.1.0.2']);
  });

  it('grows RX counters on monitor ports as time passes', async () => {
    let now = Date.now();
    const dir = freshDir();
    const sim = new SimulatorAdapter(dir, () => now);
    const before = (await sim.listInterfaces()).interfaces.find((i) => i.name === 'eth1')!;
    now += 10_000;
    const after = (await sim.listInterfaces()).interfaces.find((i) => i.name === 'eth1')!;
    expect(after.rx.packets).toBeGreaterThan(before.rx.packets);
    expect(after.rx.bytes).toBeGreaterThan(before.rx.bytes);
    const spare = (await sim.listInterfaces()).interfaces.find((i) => i.name === 'eth3')!;
    expect(spare.rx.packets).toBe(0);
  });

  it('runs the appliance\'s 13 services and reports up', async () => {
    const report = await new SimulatorAdapter(freshDir()).checkServices({ timeoutMs: 3000 });
    expect(report.services.map((s) => s.name)).toEqual([...SENSOR_SERVICES]);
    expect(report.services).toHaveLength(13);
    expect(report.status).toBe('up');
    expect(report.services.every((s) => s.status === 'running' && s.uptimeSeconds! > 0)).toBe(true);
  });

  it('reports a stopped service as down and a hung one as not responding within the timeout', async () => {
    const sim = new SimulatorAdapter(freshDir());
    await sim.setServiceFault('Web Apps', 'stopped');
    await sim.setServiceFault('Core API', 'hung');
    const started = Date.now();
    const report = await sim.checkServices({ timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(report.status).toBe('down');
    expect(report.services.find((s) => s.name === 'Web Apps')!.status).toBe('stopped');
    expect(report.services.find((s) => s.name === 'Core API')!.status).toBe('not-responding');
  });

  it('is unavailable briefly after a reboot, then starting, then up with pending settings applied', async () => {
    let now = Date.now();
    const sim = new SimulatorAdapter(freshDir(), () => now);
    const { current } = await sim.getNetworkSettings();
    await sim.applyNetworkSettings({ ...current, ip: '10.1.0.30' });
    expect((await sim.listInterfaces()).pendingRestart).toBe(true);
    expect((await sim.listInterfaces()).interfaces[0]!.ipv4[0]!.address).toBe('10.1.0.20');
    await sim.reboot();
    await expect(sim.listInterfaces()).rejects.toThrow(/restarting/);
    now += 3500;
    expect((await sim.checkServices({ timeoutMs: 1000 })).status).toBe('starting');
    now += 10_000;
    expect((await sim.checkServices({ timeoutMs: 1000 })).status).toBe('up');
    const after = await sim.listInterfaces();
    expect(after.pendingRestart).toBe(false);
    expect(after.interfaces[0]!.ipv4[0]!.address).toBe('10.1.0.30');
  });
});

describe('state file', () => {
  it('is written atomically: no temp files left, valid JSON every time', async () => {
    const dir = freshDir();
    const sim = new SimulatorAdapter(dir);
    for (let i = 0; i < 20; i += 1) await sim.setServiceFault('Web Apps', i % 2 ? 'stopped' : 'none');
    expect(readdirSync(dir)).toEqual([STATE_FILE_NAME]);
    expect(() => JSON.parse(readFileSync(join(dir, STATE_FILE_NAME), 'utf8'))).not.toThrow();
  });

  it.each([
    ['{ truncated', /is not valid JSON/],
    ['{"hello":"world"}', /is not an otshell simulator state file/],
    ['[1,2,3]', /is not an otshell simulator state file/],
    ['{"format":"otshell-simulator","version":99}', /has version 99, this otshell reads version 1/],
    ['{"format":"otshell-simulator","version":1,"hostname":3}', /is invalid: hostname: expected a host name/],
  ])('a bad file (%s) gets a clear message naming the file and the way out', async (content, problem) => {
    const dir = freshDir();
    const path = join(dir, STATE_FILE_NAME);
    writeFileSync(path, content);
    const error = await new SimulatorAdapter(dir).listInterfaces().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as Error).message).toMatch(problem);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain('otshell --reset-simulator');
    expect(readFileSync(path, 'utf8')).toBe(content); // untouched
  });

  it('a directory in place of the file is reported, not crashed on', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, STATE_FILE_NAME));
    await expect(new SimulatorStore(dir).load()).rejects.toThrow(/is a directory/);
  });

  it('a FIFO or a device in place of the file is refused at once, never waited on (the read is synchronous)', async () => {
    const dir = freshDir();
    execFileSync('mkfifo', [join(dir, STATE_FILE_NAME)]);
    const started = Date.now();
    await expect(new SimulatorStore(dir).load()).rejects.toThrow(/simulator\.json is not a regular file\./);
    expect(Date.now() - started).toBeLessThan(2000);
    const other = freshDir();
    symlinkSync('/dev/zero', join(other, STATE_FILE_NAME));
    await expect(new SimulatorStore(other).load()).rejects.toThrow(/is not a regular file/);
  });

  it('reset keeps the bad file beside the fresh one', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, STATE_FILE_NAME), 'garbage');
    const moved = await new SimulatorStore(dir).reset();
    expect(moved).toMatch(/simulator\.json\.bad-/);
    expect(readFileSync(moved!, 'utf8')).toBe('garbage');
    await expect(new SimulatorStore(dir).load()).resolves.toMatchObject({ hostname: 'D4Iot' });
  });

  it('the same text is parsed once: each load gets its own copy; a changed or broken file is read anew', async () => {
    const dir = freshDir();
    const store = new SimulatorStore(dir);
    await store.load(); // creates the file
    const parsed = await store.load();
    parsed.hostname = 'changed-by-a-caller';
    parsed.interfaces[0]!.mtu = 9000;
    const reused = await store.load();
    expect(reused.hostname).toBe('D4Iot');
    expect(reused.interfaces[0]!.mtu).toBe(1500);
    reused.services.length = 0;
    expect((await store.load()).services.length).toBe(13);
    const edited = JSON.parse(readFileSync(store.path, 'utf8'));
    edited.hostname = 'edited';
    writeFileSync(store.path, JSON.stringify(edited));
    expect((await store.load()).hostname).toBe('edited');
    writeFileSync(store.path, JSON.stringify({ ...edited, interfaces: 'none' }));
    await expect(store.load()).rejects.toThrow(StateFileError);
    await expect(store.load()).rejects.toThrow(/interfaces: expected an array/);
  });

  it('optional sections are built only for a file that has them (start-up), and still checked when present', async () => {
    vi.resetModules();
    const { parseState, defaultSimulatorState } = await import('../../src/system/simulator/state.js');
    const sections = [
      (await import('../../src/system/simulator/span-state.js')).spanStateSchema,
      (await import('../../src/system/simulator/ntp.js')).simulatorNtpSchema,
      (await import('../../src/system/simulator/diagnostics-state.js')).diagnosticsStateSchema,
      (await import('../../src/system/simulator/backup-state.js')).simulatorBackupSchema,
      (await import('../../src/system/simulator/site-network.js')).siteNetworkSchema,
      (await import('../../src/system/simulator/disk-state.js')).simulatorDiskSchema,
    ];
    // zod keeps a z.lazy's built schema in its definition.
    const built = () => sections.map((schema) => (schema._zod.def as { _cachedInner?: unknown })._cachedInner !== undefined);
    const fresh = defaultSimulatorState();
    expect(parseState('/x/simulator.json', JSON.stringify(fresh)).ntp).toBeUndefined();
    expect(built()).toEqual([false, false, false, false, false, false]);
    expect(() => parseState('/x/simulator.json', JSON.stringify({ ...fresh, ntp: { servers: ['10.1.0.300'], answering: [] } }))).toThrow(/ntp\.servers\[0\]: expected an IPv4 address/);
    expect(parseState('/x/simulator.json', JSON.stringify({ ...fresh, span: { mirror: 'silent' } })).span).toEqual({ mirror: 'silent', interfaces: {} });
    expect(built()).toEqual([true, true, false, false, false, false]);
  });

  describe('the checks (src/system/simulator/shape-check.ts): what zod did, kept', () => {
    const file = (change: (state: Mutable) => void) => {
      const state = JSON.parse(JSON.stringify(defaultSimulatorState(new Date('2026-01-10T08:00:00.000Z'))));
      change(state);
      return JSON.stringify(state);
    };
    const problem = (change: Parameters<typeof file>[0]) => {
      try {
        parseState('/x/simulator.json', file(change));
      } catch (error) {
        return (error as Error).message.replace(/^The simulator state file \/x\/simulator\.json is invalid: /, '').replace(/\. Start a fresh.*$/, '');
      }
      return 'accepted';
    };

    it('keys the shape does not name are left out, at every level', () => {
      const state = parseState('/x/simulator.json', file((s) => {
        s.injected = 'x';
        s.settings.extra = 1;
        s.interfaces[0].__proto__ = { polluted: true };
        s.users[0].hash.pepper = 'x';
      })) as unknown as Mutable;
      expect(state.injected).toBeUndefined();
      expect(state.settings.extra).toBeUndefined();
      expect(Object.keys(state.interfaces[0])).not.toContain('__proto__');
      expect(state.interfaces[0].polluted).toBeUndefined();
      expect(state.users[0].hash.pepper).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('a missing value with a default gets it; each default is a fresh copy', () => {
      const text = file((s) => {
        delete s.interfaces[2].rxDropped;
        delete s.services[0].fault;
        delete s.users;
        delete s.signInPolicy;
        delete s.sourceLocks;
        delete s.poweredOff;
      });
      const a = parseState('/x/simulator.json', text);
      const b = parseState('/x/simulator.json', text);
      expect(a.interfaces[2]!.rxDropped).toBe(0);
      expect(a.services[0]!.fault).toBe('none');
      expect(a.users.map((u) => u.name)).toEqual(['support', 'cyberx', 'cyberx_host']);
      expect(a.signInPolicy).toEqual({ maxFailures: 5, lockSeconds: 300 });
      expect(a.sourceLocks).toEqual([]);
      expect(a.poweredOff).toBe(false);
      expect(a.sourceLocks).not.toBe(b.sourceLocks);
      expect(a.users[0]).not.toBe(b.users[0]);
      expect('ntp' in a).toBe(false);
    });

    it.each([
      ['settings as a list', (s: Mutable) => (s.settings = []), 'settings: expected an object'],
      ['settings as null', (s: Mutable) => (s.settings = null), 'settings: expected an object'],
      ['a hash that is not scrypt', (s: Mutable) => (s.users[1].hash.algorithm = 'md5'), 'users[1].hash.algorithm: expected another value'],
      ['an unknown role', (s: Mutable) => (s.users[0].role = 'admin'), 'users[0].role: expected "viewer", "support" or "root"'],
      ['no users', (s: Mutable) => (s.users = []), 'users: expected at least one user'],
      ['a sign-in flag as text', (s: Mutable) => (s.users[2].mustChange = 'no'), 'users[2].mustChange: expected a boolean'],
      ['257 interfaces', (s: Mutable) => (s.interfaces = Array.from({ length: 257 }, (_, i) => ({ ...s.interfaces[0], name: `e${i}` }))), 'interfaces: expected at most 256 interfaces'],
      ['two problems: the first in file order is named', (s: Mutable) => { s.hostname = '-'; s.interfaces[0].mtu = 1; }, 'hostname: expected a host name: letters, digits, "-" and ".", at most 253 characters'],
      ['an item before its list: a bad name in a list too long', (s: Mutable) => (s.settings.dns = ['10.1.0.2', 'x', '10.1.0.3', '10.1.0.4']), 'settings.dns[1]: expected an IPv4 address such as 10.1.0.20'],
      ['a section that is not an object', (s: Mutable) => (s.span = 'healthy'), 'span: expected an object'],
      ['a section value missing', (s: Mutable) => (s.ntp = { servers: [] }), 'ntp.answering: missing'],
    ])('%s', (_name, change, expected) => {
      expect(problem(change)).toBe(expected);
    });
  });
});

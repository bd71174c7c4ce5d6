import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, readdirSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import { SimulatorStore, StateFileError, STATE_FILE_NAME } from '../../src/system/simulator/state.js';
import { SENSOR_SERVICES } from '../../src/system/simulator/sensor-model.js';
import { tempStateDir } from '../helpers/cli.js';

const dirs: { cleanup(): void }[] = [];
function freshDir(): string {
  const t = tempStateDir();
  dirs.push(t);
  return t.dir;
}
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

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

  it('reset keeps the bad file beside the fresh one', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, STATE_FILE_NAME), 'garbage');
    const moved = await new SimulatorStore(dir).reset();
    expect(moved).toMatch(/simulator\.json\.bad-/);
    expect(readFileSync(moved!, 'utf8')).toBe('garbage');
    await expect(new SimulatorStore(dir).load()).resolves.toMatchObject({ hostname: 'D4Iot' });
  });
});

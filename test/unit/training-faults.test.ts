// Each fault a simulated sensor can take, applied on its own as a function of
// the state, and seen where the guide looks for it: network list, system
// sanity, the live SPAN check, network requirements, ntp status, the sign-in.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLine, useSimulators } from '../helpers/command-harness.js';
import { faultFunction } from '../../src/system/simulator/faults/index.js';
import { SimulatorStore } from '../../src/system/simulator/state.js';
import type { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import type { Fault } from '../../src/net/training-scenario.js';
import { EXIT } from '../../src/errors.js';

const simulators = useSimulators();

/** A fresh simulated sensor with one fault; `site` is its site.yaml for network requirements. */
async function broken(fault: Fault, site?: string): Promise<SimulatorAdapter> {
  const sim = simulators();
  const dir = sim.statePath.replace(/\/simulator\.json$/, '');
  const store = new SimulatorStore(dir);
  await store.save(faultFunction(fault)(await store.load(), Date.now()));
  if (site) writeFileSync(join(dir, 'site.yaml'), site);
  return sim;
}

describe('faults, each seen where the guide looks', () => {
  it('management-address: the wrong address and gateway in effect', async () => {
    const out = await runLine(await broken({ fault: 'management-address', ip: '10.1.9.20', prefixLength: 16, gateway: '10.1.9.1' }), 'network list eth0');
    expect(out.text).toContain('inet 10.1.9.20  netmask 255.255.0.0');
    expect(out.text).toContain('Default gateway: 10.1.9.1');
  });

  it('dns-server: the wrong DNS server', async () => {
    expect((await runLine(await broken({ fault: 'dns-server', servers: ['10.1.0.99'] }), 'network list')).text).toContain('DNS: 10.1.0.99');
  });

  it('gui-cable-in: the management interface has no carrier, the gateway does not answer', async () => {
    const sim = await broken({ fault: 'gui-cable-in', interface: 'eth1' });
    const eth0 = (await sim.listInterfaces()).interfaces.find((i) => i.name === 'eth0')!;
    expect(eth0).toMatchObject({ up: true, running: false });
    expect(eth0.flags).not.toContain('RUNNING');
    const ping = await runLine(sim, 'troubleshoot web-ui --non-interactive --json');
    const steps = (JSON.parse(ping.text) as { steps: { id: string; verdict: string }[] }).steps;
    expect(steps.find((s) => s.id === 'cable')?.verdict).toBe('fail');
  }, 30_000);

  it('monitor-interface-removed: the SPAN port is down and not promiscuous', async () => {
    const eth2 = (await (await broken({ fault: 'monitor-interface-removed', interface: 'eth2' })).listInterfaces()).interfaces.find((i) => i.name === 'eth2')!;
    expect(eth2).toMatchObject({ role: 'unused', up: false, promisc: false });
  });

  it('span-mirror: mostly ARP, seen by the live SPAN check', async () => {
    const out = await runLine(await broken({ fault: 'span-mirror', mirror: 'mostly-arp', interface: 'eth1' }), 'network capture-check eth1 --seconds 1');
    expect(out.exitCode).toBe(EXIT.PROBLEM);
    expect(out.text).toMatch(/\[FAIL\] arp-share +most frames are ARP/);
  }, 30_000);

  it('service: stopped and slow, seen by system sanity', async () => {
    const stopped = await runLine(await broken({ fault: 'service', name: 'Web Apps', status: 'stopped' }), 'system sanity');
    expect(stopped.exitCode).toBe(EXIT.PROBLEM);
    expect(stopped.text).toMatch(/Web Apps \| Stopped|Web Apps.*stopped/i);
    const slow = await runLine(await broken({ fault: 'service', name: 'Core API', status: 'slow' }), 'system sanity --timeout 0.2');
    expect(slow.text).toMatch(/Core API.*not responding/i);
  });

  it('firewall, ntp-server-silent and dns-unresolved: seen by network requirements', async () => {
    const site = 'managementConsole: cm.plant.local\nntp: 10.1.0.9\nuse:\n  tunnelling: false\n  cloud: false\n';
    const blocked = await runLine(await broken({ fault: 'firewall', host: 'cm.plant.local', port: 443, outcome: 'refused' }, site), 'network requirements --timeout 0.2');
    expect(blocked.text).toContain('cm.plant.local:443 (refused)');
    const ntp = await runLine(await broken({ fault: 'ntp-server-silent', address: '10.1.0.9' }, site), 'network requirements --timeout 0.2');
    expect(ntp.text).toMatch(/10\.1\.0\.9:123.*no answer/);
    const dns = await runLine(await broken({ fault: 'dns-unresolved', name: 'cm.plant.local' }, site), 'network requirements --timeout 0.2');
    expect(dns.text).toContain('name not resolved');
  }, 30_000);

  it('ntp-server-silent: ntp status shows it unreachable and the clock not synchronised', async () => {
    const out = await runLine(await broken({ fault: 'ntp-server-silent', address: '10.1.0.9' }), 'ntp status');
    expect(out.text).toMatch(/10\.1\.0\.9 +unreachable/);
    expect(out.text).toContain('Clock: not synchronised.');
  });

  it('locked-out: the console is locked at sign-in', async () => {
    const sim = await broken({ fault: 'locked-out', source: 'console', minutes: 10 });
    expect(await sim.signIn.authenticate('support', 'support', 'console')).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('pending-reboot: settings wait for a restart', async () => {
    const sim = await broken({ fault: 'pending-reboot', dns: ['10.1.0.2'] });
    expect((await sim.listInterfaces()).pendingRestart).toBe(true);
  });
});

describe('backup-disk-full', () => {
  it('system backup fails with exit 74 and writes nothing; another folder (system backup-path) works', async () => {
    const sim = await broken({ fault: 'backup-disk-full' });
    const full = await runLine(sim, 'system backup');
    expect(full.exitCode).toBe(EXIT.IO);
    expect(full.text).toMatch(/^No space left on the disk of the backup folder .+\/backups \(ENOSPC\)\. Nothing was written;/);
    expect(await sim.backup.list()).toEqual([]);
    const dir = sim.statePath.replace(/\/simulator\.json$/, '');
    expect((await runLine(sim, `system backup-path ${join(dir, 'other-disk')}`)).exitCode).toBe(EXIT.OK);
    const moved = await runLine(sim, 'system backup');
    expect(moved.exitCode).toBe(EXIT.OK);
    expect(moved.text).toContain('Finished backup.');
  });
});

describe('one site, seen the same way', () => {
  it('with the GUI cable in another port, network requirements finds no route, as ping finds no answer', async () => {
    const site = 'managementConsole: 10.1.0.10\nuse:\n  tunnelling: false\n  cloud: false\n';
    const out = await runLine(await broken({ fault: 'gui-cable-in', interface: 'eth3' }, site), 'network requirements --timeout 0.2');
    expect(out.exitCode).toBe(EXIT.PROBLEM);
    expect(out.text).toContain("no route to the host (the sensor's gateway 10.1.0.1 does not answer)");
  });
});

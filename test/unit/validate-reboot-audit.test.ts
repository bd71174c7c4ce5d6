// `network validate`, `system reboot` and `system audit` as commands.
// validate is also checked against a fake adapter whose interfaces differ from
// the settings, so the comparison itself is tested, not the simulator's echo.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { SUCCESS, validateSettings } from '../../src/commands/network/validate.js';
import type { NetworkSettings, NetworkSnapshot, SystemAdapter } from '../../src/system/adapter.js';
import { runLine, useSimulators } from '../helpers/command-harness.js';
import { FakePrompter } from './settings-fake-prompter.js';
import { SENSOR_SETTINGS } from '../helpers/settings-fixture.js';

const freshSim = useSimulators();
const run = runLine;

const SETTINGS: NetworkSettings = { ...SENSOR_SETTINGS };

/** A snapshot of interfaces that carry exactly SETTINGS; tests then break one thing. */
async function matchingSnapshot(): Promise<NetworkSnapshot> {
  return freshSim().listInterfaces();
}

/** An adapter whose configured settings and actual interfaces are given independently. */
function fakeAdapter(settings: NetworkSettings, snapshot: NetworkSnapshot, pending: NetworkSettings | null = null): SystemAdapter {
  const notHere = () => Promise.reject(new Error('not used by validate'));
  return {
    target: 'fake',
    listInterfaces: async () => snapshot,
    getNetworkSettings: async () => ({ current: settings, pending }),
    checkServices: notHere,
    applyNetworkSettings: notHere,
    confirmNetworkSettings: notHere,
    reboot: notHere,
    shutdown: notHere,
    acquireEditLock: notHere,
    readAudit: notHere,
    changePassword: notHere,
    unlockSource: notHere,
    openRootShell: notHere,
    recordSession: notHere,
    readSessions: notHere,
    diagnostics: undefined as never, // not used by validate
    close: async () => {},
  };
}

describe('network validate', () => {
  it('reports Success and the settings block on a fresh sensor, exit 0', async () => {
    const outcome = await run(freshSim(), 'network validate');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.text.split('\n')).toEqual([
      SUCCESS,
      '',
      'Current Network Settings:',
      '  interface: eth0',
      '  ip: 10.1.0.20',
      '  subnet: 255.255.255.0',
      '  default gateway: 10.1.0.1',
      '  dns: 10.1.0.2',
      '  monitor interfaces: eth1, eth2',
      '  bridge interface: none',
    ]);
  });

  it('a change pending a restart is a mismatch with that reason, exit 1; after reboot it matches', async () => {
    let now = Date.now();
    const sim = freshSim(() => now);
    await run(sim, 'network edit-settings --ip 10.1.0.30 --mask /23 --yes');
    const pending = await run(sim, 'network validate');
    expect(pending.exitCode).toBe(1);
    expect(pending.text).toContain('wait for a restart (run "system reboot")');
    expect(pending.text).toMatch(/Management IP +10\.1\.0\.20 -> 10\.1\.0\.30/);
    expect(pending.text).not.toContain('Success!');
    expect(pending.text).toContain('Current Network Settings:\n  interface: eth0\n  ip: 10.1.0.20\n  subnet: 255.255.255.0');

    const json = JSON.parse((await run(sim, 'network validate --json')).text);
    expect(json).toMatchObject({ match: false, mismatches: [{ check: 'pending-restart' }], pending: { ip: '10.1.0.30' } });

    await sim.reboot();
    now += 60_000;
    const after = await run(sim, 'network validate');
    expect(after.exitCode).toBe(0);
    expect(after.text).toContain(`${SUCCESS}\n\nCurrent Network Settings:\n  interface: eth0\n  ip: 10.1.0.30\n  subnet: 255.255.254.0`);
  });

  it('matches a snapshot that carries the settings', async () => {
    expect(validateSettings(SETTINGS, null, await matchingSnapshot())).toMatchObject({ match: true, mismatches: [] });
  });

  // Each row breaks one thing in the actual interfaces; validate must notice that thing only.
  const breaks: [string, (s: NetworkSnapshot) => void, string, RegExp][] = [
    ['another address', (s) => (s.interfaces[0]!.ipv4[0]!.address = '10.1.0.99'), 'address', /eth0 carries 10\.1\.0\.99\/24, but the settings say 10\.1\.0\.20\/24/],
    ['another prefix', (s) => (s.interfaces[0]!.ipv4[0]!.prefixLength = 16), 'address', /carries 10\.1\.0\.20\/16/],
    ['no address', (s) => (s.interfaces[0]!.ipv4 = []), 'address', /eth0 carries none/],
    ['management down', (s) => (s.interfaces[0]!.up = false), 'management-interface', /management interface eth0 is down/],
    ['no management interface', (s) => s.interfaces.shift(), 'management-interface', /eth0 does not exist/],
    ['another gateway', (s) => (s.gateway = '10.1.0.254'), 'gateway', /default route goes via 10\.1\.0\.254, but the settings say 10\.1\.0\.1/],
    ['no gateway', (s) => (s.gateway = null), 'gateway', /via none/],
    ['other DNS', (s) => (s.dns = ['8.8.8.8']), 'dns', /resolver uses 8\.8\.8\.8, but the settings say 10\.1\.0\.2/],
    ['extra DNS', (s) => (s.dns = ['10.1.0.2', '10.1.0.3']), 'dns', /resolver uses 10\.1\.0\.2, 10\.1\.0\.3/],
    ['monitor not promiscuous', (s) => (s.interfaces[1]!.promisc = false), 'monitor', /Input interface eth1 is not in promiscuous mode/],
    ['monitor down', (s) => Object.assign(s.interfaces[2]!, { up: false, running: false, promisc: false }), 'monitor', /Input interface eth2 is down and is not in promiscuous mode/],
    ['monitor without link', (s) => (s.interfaces[2]!.running = false), 'monitor', /eth2 has no link/],
    ['monitor missing', (s) => s.interfaces.splice(1, 1), 'monitor', /Input interface eth1 does not exist/],
    ['a bridge not configured', (s) => (s.interfaces[3]!.role = 'bridge'), 'bridge', /eth3 acts as a bridge, but the settings have no bridge interface/],
  ];
  it.each(breaks)('notices %s', async (_name, breakIt, check, message) => {
    const snapshot = await matchingSnapshot();
    breakIt(snapshot);
    const outcome = await run(fakeAdapter(SETTINGS, snapshot), 'network validate');
    expect(outcome.exitCode).toBe(1);
    expect(outcome.text).toMatch(/^The appliance configuration does not match the network settings \(1 mismatch\):/);
    expect(outcome.text).toMatch(message);
    expect(outcome.text).toContain('Current Network Settings:');
    const json = JSON.parse((await run(fakeAdapter(SETTINGS, snapshot), 'network validate --json')).text);
    expect(json.match).toBe(false);
    expect(json.mismatches.map((m: { check: string }) => m.check)).toEqual([check]);
  });

  it('checks a configured bridge exists and is up', async () => {
    const snapshot = await matchingSnapshot();
    const withBridge = { ...SETTINGS, bridgeInterface: 'eth3' };
    snapshot.interfaces[3]!.up = false;
    expect(validateSettings(withBridge, null, snapshot).mismatches).toEqual([
      expect.objectContaining({ check: 'bridge', message: 'Bridge interface eth3 is down.' }),
    ]);
    snapshot.interfaces[3]!.up = true;
    expect(validateSettings(withBridge, null, snapshot).match).toBe(true);
  });

  it('lists several mismatches and the pending one first', async () => {
    const snapshot = await matchingSnapshot();
    snapshot.gateway = '10.1.0.9';
    snapshot.dns = [];
    const result = validateSettings(SETTINGS, { ...SETTINGS, ip: '10.1.0.40' }, snapshot);
    expect(result.mismatches.map((m) => m.check)).toEqual(['pending-restart', 'gateway', 'dns']);
  });
});

describe('system reboot', () => {
  it('asks "Are you sure?" (default N); N leaves the sensor running', async () => {
    const sim = freshSim();
    const statePath = sim.statePath;
    await sim.getNetworkSettings();
    const before = readFileSync(statePath);
    const prompter = new FakePrompter([{ confirm: false, expect: 'Are you sure?' }]);
    const outcome = await run(sim, 'system reboot', prompter);
    expect(prompter.asked[0]).toMatchObject({ kind: 'confirm', default: false });
    expect(prompter.said[0]).toMatch(/The sensor will restart/);
    expect(outcome).toEqual({ text: 'The sensor was not restarted.', exitCode: 0, isError: false });
    expect(readFileSync(statePath)).toEqual(before);
  });

  it('Ctrl-C at the question: not restarted, exit 130', async () => {
    const sim = freshSim();
    const outcome = await run(sim, 'system reboot', new FakePrompter([{ cancel: 'interrupt' }]));
    expect(outcome).toMatchObject({ exitCode: 130, text: 'Cancelled. The sensor was not restarted.' });
    expect((await sim.checkServices({ timeoutMs: 1000 })).status).toBe('up');
  });

  it('y restarts: unavailable, then starting (exit 2), then up with the pending settings in effect', async () => {
    let now = Date.now();
    const sim = freshSim(() => now);
    await run(sim, 'network edit-settings --ip 10.1.0.30 --yes');
    const prompter = new FakePrompter([{ confirm: true, expect: 'Are you sure?' }]);
    const outcome = await run(sim, 'system reboot', prompter);
    expect(prompter.said[0]).toContain('The saved network settings take effect.');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.text).toMatch(/^The sensor is restarting\./);
    expect(outcome.text).toContain('The saved network settings take effect now');

    const unavailable = await run(sim, 'network list');
    expect(unavailable).toMatchObject({ exitCode: 69, isError: true });
    expect(unavailable.text).toMatch(/restarting/);

    now += 3_500;
    expect((await run(sim, 'system sanity')).exitCode).toBe(2);
    now += 60_000;
    expect((await run(sim, 'system sanity')).exitCode).toBe(0);
    expect((await run(sim, 'network list')).text).toContain('inet 10.1.0.30');
  });

  it('--yes restarts without asking; --json needs --yes', async () => {
    const sim = freshSim();
    const refused = await run(sim, 'system reboot --json');
    expect(refused).toMatchObject({ exitCode: 64, isError: true });
    expect(refused.text).toContain('add --yes');
    const outcome = await run(sim, 'system reboot --yes --json');
    expect(JSON.parse(outcome.text)).toEqual({ rebooted: true, pendingSettings: false, cancelled: null });
  });

  it('needs an administrator', async () => {
    const outcome = await run(freshSim(), 'system reboot --yes', new FakePrompter([]), { user: 'guest', role: 'viewer' });
    expect(outcome.exitCode).toBe(77);
  });
});

describe('system audit', () => {
  it('says when nothing has been applied', async () => {
    const outcome = await run(freshSim(), 'system audit');
    expect(outcome).toEqual({ text: 'No network settings changes have been applied yet.', exitCode: 0, isError: false });
  });

  it('lists each applied change: time, user, from where, old -> new', async () => {
    const sim = freshSim();
    await run(sim, 'network edit-settings --ip 10.1.0.30 --yes');
    await run(sim, 'network edit-settings --dns 10.1.0.2,10.1.0.3 --bridge eth3 --yes', new FakePrompter([]), {
      user: 'alice',
      sshClient: '192.0.2.7',
      tty: '/dev/pts/1',
      role: 'support',
    });
    const outcome = await run(sim, 'system audit');
    expect(outcome.exitCode).toBe(0);
    const blocks = outcome.text.split('\n\n');
    expect(blocks).toHaveLength(2);
    expect(blocks[0]!.split('\n')).toEqual([
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}operator \(\/dev\/pts\/3\) on simulator$/),
      '  Management IP   10.1.0.20 -> 10.1.0.30',
    ]);
    expect(blocks[1]!.split('\n')).toEqual([
      expect.stringMatching(/ {2}alice \(ssh from 192\.0\.2\.7\) on simulator$/),
      '  DNS servers        10.1.0.2 -> 10.1.0.2, 10.1.0.3',
      '  Bridge interface   none -> eth3',
    ]);

    const last = await run(sim, 'system audit --last 1 --json');
    const json = JSON.parse(last.text);
    expect(json.total).toBe(2);
    expect(json.entries).toHaveLength(1);
    expect(json.entries[0]).toMatchObject({ user: 'alice', sshClient: '192.0.2.7', target: 'simulator', old: { ip: '10.1.0.30' }, new: { bridgeInterface: 'eth3' } });
    expect((await run(sim, 'system audit --last 0')).exitCode).toBe(64);
  });
});

// Issue 15 with real parts: Debian's ansible drives three sensors (network namespaces, each with
// its own sshd and this working tree's otshell) through the otshell.sensor collection, installed
// with ansible-galaxy from ./ansible. Ansible runs in a controller namespace that reaches each
// sensor only through its management address (fleet-harness.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa, execaSync } from 'execa';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kernelState, missingParts, readText } from './harness.js';
import { createFleet, stats, type Fleet, type FleetSensor } from './fleet-harness.js';
import { BIN } from '../helpers/cli.js';

function missing(): string | null {
  const parts = missingParts(['root', 'ip', 'sshd', 'ssh']);
  if (parts) return parts;
  // `command -v`, not `ansible-playbook --version`: its start-up alone can pass hasTool's 5 s bound on a loaded machine.
  if (execaSync('sh', ['-c', 'command -v ansible-playbook && command -v ansible-galaxy'], { reject: false }).exitCode === 0) return null;
  if (process.env.CI === 'true') throw new Error('ansible is required in CI: install it in .ci/run');
  console.warn('skipping: ansible is not installed (these tests run in CI)');
  return 'ansible';
}
const skip = missing();

/** A process check on sshd (running in every namespace's view of /proc); sensor 2 also needs one that is not there. */
function services(index: number): string {
  const lines = ['profile: medium', 'services:', '  - { name: SSH Server, process: sshd }'];
  if (index === 2) lines.push('  - { name: Core API, process: otsensor-core-api }');
  return `${lines.join('\n')}\n`;
}

async function eth0Addresses(sensor: FleetSensor): Promise<string[]> {
  const links = await sensor.ns.ipJson<any[]>(['addr', 'show', 'dev', 'eth0']);
  return (links[0]?.addr_info ?? []).filter((a: any) => a.family === 'inet').map((a: any) => `${a.local}/${a.prefixlen}`);
}

describe.skipIf(skip !== null)('an Ansible fleet of three sensors', () => {
  let fleet: Fleet;
  const hostVars = (vars: (sensor: FleetSensor) => Record<string, string | number | undefined>) => {
    mkdirSync(join(fleet.dir, 'host_vars'), { recursive: true });
    for (const sensor of fleet.sensors) {
      const lines = Object.entries(vars(sensor)).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
      writeFileSync(join(fleet.dir, 'host_vars', `${sensor.host}.yml`), `${lines.join('\n')}\n`);
    }
  };
  const moved = (sensor: FleetSensor) => `10.80.${sensor.subnet}.21`;

  beforeAll(async () => {
    fleet = await createFleet(3, services);
  }, 60_000);
  afterAll(async () => {
    await fleet?.remove();
  });

  it('the health playbook gathers from all three in parallel, and fleet report renders the run', { timeout: 60_000 }, async () => {
    const run = await fleet.playbook('fleet_health.yml', ['-e', 'check_requirements=false', '-e', 'check_span=false', '-e', 'check_ntp=false']);
    console.log(`fleet health playbook: ${run.seconds.toFixed(1)} s`);
    expect(run.json, run.stderr + run.stdout).not.toBeNull();
    expect(run.exitCode).toBe(0); // sanity's failure is ignore_errors: the run itself completes
    const identity = run.json.plays[0].tasks.find((t: any) => t.task.name === 'identity');
    for (const sensor of fleet.sensors) {
      const facts = identity.hosts[sensor.host].ansible_facts.otshell;
      const eth0 = facts.network.interfaces.find((i: any) => i.name === 'eth0');
      expect(eth0.ipv4[0].address).toBe(sensor.address);
      expect(facts.version.otshell).toMatch(/^\d+\.\d+\.\d+/);
      expect(Date.parse(facts.date.utc)).toBeGreaterThan(0);
    }
    const sanity = run.json.plays[0].tasks.find((t: any) => t.task.name === 'sanity');
    expect(sanity.hosts.sensor1.failed).toBeFalsy();
    expect(sanity.hosts.sensor2).toMatchObject({ failed: true, rc: 1 });
    expect(sanity.hosts.sensor2.msg).toContain('Core API not-responding'.split(' ')[0]);

    const file = join(fleet.dir, 'health.json');
    writeFileSync(file, run.stdout);
    const report = await execa('node', [BIN, 'fleet', 'report', file], { reject: false, env: { NO_COLOR: '1' } });
    expect(report.exitCode).toBe(1);
    expect(report.stdout).toMatch(/sensor1\s+ok\s+ok/);
    expect(report.stdout).toMatch(/sensor2\s+ok\s+FAILED/);
    expect(report.stdout).toContain('sensor2 sanity (rc 1): system is down');
  });

  it('otshell_settings with serial: 1 moves one address per sensor; the second run changes nothing; --check --diff changes nothing', { timeout: 120_000 }, async () => {
    hostVars((s) => ({ new_management_ip: moved(s), confirm_timeout: 60, apply_delay: 1 }));
    const first = await fleet.playbook('rolling_address.yml');
    console.log(`rolling change, 3 sensors: ${first.seconds.toFixed(1)} s`);
    expect(first.exitCode, first.stderr + first.stdout).toBe(0);
    for (const sensor of fleet.sensors) {
      expect(stats(first.json)[sensor.host]).toMatchObject({ changed: 1, failures: 0, unreachable: 0 });
      expect(await eth0Addresses(sensor)).toEqual([`${moved(sensor)}/24`]);
      // Confirmed: the netplan file is written only by the confirm.
      expect(readText(sensor.ns.netplanFile)).toContain(`${moved(sensor)}/24`);
    }
    // serial: 1 means one play batch per sensor, in inventory order.
    expect(first.json.plays.map((p: any) => Object.keys(p.tasks[0].hosts))).toEqual([['sensor1'], ['sensor2'], ['sensor3']]);
    const task = first.json.plays[0].tasks[0].hosts.sensor1;
    expect(task).toMatchObject({ changed: true, confirmed: true, address: moved(fleet.sensors[0]!), old_address: '10.80.1.20' });

    // The inventory still names the old addresses: point it at the new ones, as a support engineer would.
    hostVars((s) => ({ ansible_host: moved(s), new_management_ip: moved(s) }));
    const second = await fleet.playbook('rolling_address.yml');
    expect(second.exitCode, second.stderr + second.stdout).toBe(0);
    for (const sensor of fleet.sensors) expect(stats(second.json)[sensor.host]).toMatchObject({ changed: 0, failures: 0 });

    const before = await Promise.all(fleet.sensors.map(async (s) => [await kernelState(s.ns), readText(s.ns.netplanFile), readText(join(s.ns.stateDir, 'audit.jsonl'))]));
    hostVars((s) => ({ ansible_host: moved(s), new_management_ip: `10.80.${s.subnet}.22` }));
    const check = await fleet.playbook('rolling_address.yml', ['--check', '--diff']);
    expect(check.exitCode, check.stderr + check.stdout).toBe(0);
    const checked = check.json.plays[0].tasks[0].hosts.sensor1;
    expect(checked.changed).toBe(true);
    expect(checked.diff.before).toContain('"10.80.1.21"');
    expect(checked.diff.after).toContain('"10.80.1.22"');
    const after = await Promise.all(fleet.sensors.map(async (s) => [await kernelState(s.ns), readText(s.ns.netplanFile), readText(join(s.ns.stateDir, 'audit.jsonl'))]));
    expect(after).toEqual(before);
  });

  it('a new address that locks the controller out is reverted by confirm-or-revert, and only that host fails', { timeout: 120_000 }, async () => {
    const [one, two, three] = fleet.sensors as [FleetSensor, FleetSensor, FleetSensor];
    hostVars((s) =>
      s === three
        ? // No route from the controller to 10.81.3.0/24: the confirm can never arrive. Short timeouts:
          // each re-connect attempt fails at once (no route), and the run waits out both in full.
          { ansible_host: moved(s), new_management_ip: '10.81.3.21', new_gateway: '10.81.3.1', confirm_timeout: 6, reconnect_timeout: 3, apply_delay: 1 }
        : { ansible_host: moved(s), new_management_ip: moved(s) },
    );
    const run = await fleet.playbook('rolling_address.yml');
    console.log(`lockout run: ${run.seconds.toFixed(1)} s`);
    expect(run.exitCode).toBe(2);
    expect(stats(run.json)).toMatchObject({ sensor1: { failures: 0, changed: 0 }, sensor2: { failures: 0, changed: 0 }, sensor3: { failures: 1 } });
    const failed = run.json.plays[2].tasks[0].hosts.sensor3;
    expect(failed.msg).toContain('could not re-connect to the sensor at 10.81.3.21');
    // otshell's revert timer puts the old address back on its own.
    const deadline = Date.now() + 40_000;
    let addresses = await eth0Addresses(three);
    while (!addresses.includes(`${moved(three)}/24`) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      addresses = await eth0Addresses(three);
    }
    expect(addresses).toEqual([`${moved(three)}/24`]);
    expect(readText(three.ns.netplanFile)).toContain(`${moved(three)}/24`);
    const audit = await three.ns.otshell(['--target', 'local', 'system', 'audit', '--last', '1', '--json']);
    expect(JSON.parse(audit.stdout).entries[0]).toMatchObject({ reverted: true, new: { ip: '10.81.3.21' } });
    for (const sensor of [one, two]) expect(await eth0Addresses(sensor)).toEqual([`${moved(sensor)}/24`]);

    const file = join(fleet.dir, 'lockout.json');
    writeFileSync(file, run.stdout);
    const report = await execa('node', [BIN, 'fleet', 'report', file, '--json'], { reject: false });
    expect(report.exitCode).toBe(1);
    const parsed = JSON.parse(report.stdout);
    expect(parsed.sensors.map((s: any) => [s.host, s.failed])).toEqual([['sensor1', false], ['sensor2', false], ['sensor3', true]]);
  });
});

// otshell as a program: one-shot argv, piped scripts, JSON and exit codes.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOtshell, tempStateDir } from '../helpers/cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function stateDir() {
  const t = tempStateDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('pipes and one-shot', () => {
  it('echo "network list" | otshell prints the list as plain text and exits 0', async () => {
    const r = await runOtshell([], { stateDir: stateDir(), input: 'network list\n' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500$/m);
    expect(r.stdout).toMatch(/^eth1: flags=4419<UP,BROADCAST,RUNNING,PROMISC,MULTICAST>  mtu 1500$/m);
    expect(r.stdout).not.toContain('\u001b'); // no ANSI, no raw mode
  });

  it('runs several piped lines, category mode included, and reports the last failure', async () => {
    const r = await runOtshell([], { stateDir: stateDir(), input: 'system\nsanity\nback\nbogus\nnet li lo\n' });
    expect(r.stdout).toContain('System is UP! (medium)');
    expect(r.stdout).toContain('lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536');
    expect(r.stderr).toContain('Unknown command "bogus"');
    expect(r.exitCode).toBe(64);
  });

  it('system sanity --json parses as the schema says', async () => {
    const r = await runOtshell(['system', 'sanity', '--json'], { stateDir: stateDir() });
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ status: 'up', profile: 'medium' });
    expect(report.services).toHaveLength(13);
    for (const s of report.services) {
      expect(typeof s.name).toBe('string');
      expect(['running', 'stopped', 'starting', 'not-responding']).toContain(s.status);
      expect(Number.isInteger(s.uptimeSeconds)).toBe(true);
    }
  });

  it('network list --json parses as the schema says', async () => {
    const r = await runOtshell(['network', 'list', '--json'], { stateDir: stateDir() });
    const list = JSON.parse(r.stdout);
    expect(list.gateway).toBe('10.1.0.1');
    expect(list.dns).toEqual(['10.1.0.2']);
    const eth0 = list.interfaces[0];
    expect(Object.keys(eth0)).toEqual(expect.arrayContaining(['name', 'role', 'mac', 'mtu', 'up', 'running', 'promisc', 'ipv4', 'rx', 'tx']));
    expect(eth0.ipv4[0]).toEqual({ address: '10.1.0.20', prefixLength: 24, netmask: '255.255.255.0', broadcast: '10.1.0.255' });
    expect(Object.keys(eth0.rx)).toEqual(expect.arrayContaining(['packets', 'bytes', 'errors', 'dropped']));
  });

  it('exit codes: 1 when a service is down, 2 while starting', async () => {
    const dir = stateDir();
    await runOtshell(['system', 'sanity'], { stateDir: dir }); // creates the state
    const path = join(dir, 'simulator.json');
    const state = JSON.parse(readFileSync(path, 'utf8'));
    state.services[12].fault = 'stopped';
    writeFileSync(path, JSON.stringify(state));
    const down = await runOtshell(['system', 'sanity'], { stateDir: dir });
    expect(down.exitCode).toBe(1);
    expect(down.stdout).toContain('[-] Web Apps | Stopped');
    expect(down.stdout).toContain('System is DOWN! (medium) Failed: Web Apps');
    state.services[12].fault = 'none';
    state.services[0].startedAt = new Date(Date.now() + 60_000).toISOString();
    writeFileSync(path, JSON.stringify(state));
    const starting = await runOtshell(['system', 'sanity'], { stateDir: dir });
    expect(starting.exitCode).toBe(2);
    expect(JSON.parse((await runOtshell(['system', 'sanity', '--json'], { stateDir: dir })).stdout).status).toBe('starting');
  });

  it('a hung check is reported as not responding within the timeout', async () => {
    const dir = stateDir();
    await runOtshell(['system', 'sanity'], { stateDir: dir });
    const path = join(dir, 'simulator.json');
    const state = JSON.parse(readFileSync(path, 'utf8'));
    state.services[2].fault = 'hung';
    writeFileSync(path, JSON.stringify(state));
    const started = Date.now();
    const r = await runOtshell(['system', 'sanity', '--timeout', '0.5'], { stateDir: dir });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.stdout).toContain('[?] Core API | Not responding (no answer within 0.5 s)');
    expect(r.exitCode).toBe(1);
  });

  it('usage errors are one line with exit 64, never a stack trace', async () => {
    const dir = stateDir();
    for (const args of [['netwrk'], ['network', 'list', '--bogus'], ['--tagret', 'x'], ['system', 'sanity', '--timeout', 'soon']]) {
      const r = await runOtshell(args, { stateDir: dir });
      expect(r.exitCode, args.join(' ')).toBe(64);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr.trim().length).toBeGreaterThan(10);
    }
  });

  it('a corrupt state file gives a clear message and is left as it was', async () => {
    const dir = stateDir();
    writeFileSync(join(dir, 'simulator.json'), '{"format":"something-else"}');
    const r = await runOtshell(['network', 'list'], { stateDir: dir });
    expect(r.exitCode).toBe(78);
    expect(r.stderr).toContain(`${join(dir, 'simulator.json')} is not an otshell simulator state file`);
    expect(r.stderr).toContain(`"otshell --state-dir ${dir} --reset-simulator"`);
    expect(readFileSync(join(dir, 'simulator.json'), 'utf8')).toBe('{"format":"something-else"}');
    const reset = await runOtshell(['--reset-simulator'], { stateDir: dir });
    expect(reset.exitCode).toBe(0);
    expect((await runOtshell(['network', 'list'], { stateDir: dir })).exitCode).toBe(0);
  });

  it('targets not built yet say so clearly; unknown targets are usage errors', async () => {
    const unknown = await runOtshell(['--target', 'moon', 'network', 'list'], { stateDir: stateDir() });
    expect(unknown.exitCode).toBe(64);
    expect(unknown.stderr).toContain('Unknown target "moon"');
  });

  it('help is generated from the registry', async () => {
    const r = await runOtshell(['help', 'network', 'list'], { stateDir: stateDir() });
    expect(r.stdout).toContain('Usage: network list [INTERFACE] [--json]');
    expect((await runOtshell(['help'], { stateDir: stateDir() })).stdout).toMatch(/network\s+Interfaces/);
  });
});

// `system shutdown` as a command against the simulator, and the simulated
// sensor's power: off after shutdown, back on (booting like a restart) with powerOn().
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { POWERED_OFF_MESSAGE } from '../../src/system/simulator/simulator-adapter.js';
import { runLine, useSimulators } from '../helpers/command-harness.js';
import { FakePrompter } from './settings-fake-prompter.js';

const freshSim = useSimulators();
const run = runLine;

const POWERED_OFF = { exitCode: 69, isError: true, text: 'The simulated sensor is powered off. Power it on with "otshell --power-on".' };

describe('system shutdown', () => {
  it('explains, asks "Are you sure?" (default N); N leaves the sensor running and the state untouched', async () => {
    const sim = freshSim();
    await sim.getNetworkSettings();
    const before = readFileSync(sim.statePath);
    const prompter = new FakePrompter([{ confirm: false, expect: 'Are you sure?' }]);
    const outcome = await run(sim, 'system shutdown', prompter);
    expect(prompter.asked).toEqual([expect.objectContaining({ kind: 'confirm', question: 'Are you sure?', default: false })]);
    expect(prompter.said[0]).toMatch(/The sensor will power off: it stops monitoring and stays off until it is powered on at the machine/);
    expect(outcome).toEqual({ text: 'The sensor was not powered off.', exitCode: 0, isError: false });
    expect(readFileSync(sim.statePath)).toEqual(before);
    expect((await run(sim, 'network list')).exitCode).toBe(0);
  });

  it('Ctrl-C or closed input at the question: not powered off, exit 130', async () => {
    const sim = freshSim();
    for (const reason of ['interrupt', 'eof'] as const) {
      const outcome = await run(sim, 'system shutdown', new FakePrompter([{ cancel: reason }]));
      expect(outcome).toMatchObject({ exitCode: 130, text: 'Cancelled. The sensor was not powered off.' });
    }
    expect((await sim.checkServices({ timeoutMs: 1000 })).status).toBe('up');
  });

  it('y powers off: every command that needs the sensor fails with exit 69 until it is powered on', async () => {
    const sim = freshSim();
    const prompter = new FakePrompter([{ confirm: true, expect: 'Are you sure?' }]);
    const outcome = await run(sim, 'system shutdown', prompter);
    expect(prompter.remaining).toBe(0);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.text).toMatch(/^The sensor is powering off\. It no longer monitors and stays off until it is powered on at the machine\.$/);

    expect(await run(sim, 'network list')).toEqual(POWERED_OFF);
    for (const line of ['system sanity', 'network validate', 'network edit-settings --ip 10.1.0.30 --yes', 'network confirm', 'system audit', 'system reboot --yes', 'system shutdown --yes']) {
      expect(await run(sim, line), line).toEqual(POWERED_OFF);
    }
    // The prompt is not reached on a sensor that is off.
    const asked = new FakePrompter([]);
    expect(await run(sim, 'system shutdown', asked)).toEqual(POWERED_OFF);
    expect(asked.asked).toEqual([]);
    await expect(sim.setServiceFault('Web Apps', 'stopped')).rejects.toThrow(POWERED_OFF_MESSAGE);
  });

  it('powerOn boots like a restart: unavailable, services starting (exit 2), then up with pending settings in effect', async () => {
    let now = Date.now();
    const sim = freshSim(() => now);
    expect(await sim.powerOn()).toBe(false); // on already: nothing happens
    expect((await run(sim, 'system sanity')).exitCode).toBe(0);

    await run(sim, 'network edit-settings --ip 10.1.0.30 --yes');
    const prompter = new FakePrompter([{ confirm: true }]);
    const outcome = await run(sim, 'system shutdown', prompter);
    expect(prompter.said[0]).toContain('The saved network settings take effect when it starts again.');
    expect(outcome.text).toContain('The saved network settings take effect when it starts again.');

    now += 600_000; // time passes while off: still off
    expect(await run(sim, 'network list')).toEqual(POWERED_OFF);

    expect(await sim.powerOn()).toBe(true);
    const booting = await run(sim, 'network list');
    expect(booting).toMatchObject({ exitCode: 69, isError: true });
    expect(booting.text).toMatch(/restarting/);
    now += 3_500;
    const starting = await run(sim, 'system sanity');
    expect(starting.exitCode).toBe(2);
    expect((await sim.checkServices({ timeoutMs: 1000 })).status).toBe('starting');
    now += 60_000;
    expect((await run(sim, 'system sanity')).exitCode).toBe(0);
    const list = await run(sim, 'network list');
    expect(list.exitCode).toBe(0);
    expect(list.text).toContain('inet 10.1.0.30');
    expect(list.text).not.toContain('Restart pending');
    expect(await sim.powerOn()).toBe(false);
  });

  it('--yes powers off without asking; --json needs --yes; the alias poweroff works', async () => {
    const sim = freshSim();
    const refused = await run(sim, 'system shutdown --json');
    expect(refused).toMatchObject({ exitCode: 64, isError: true });
    expect(refused.text).toBe('system shutdown: with --json there is no prompt for "Are you sure?"; add --yes.');
    expect((await run(sim, 'network list')).exitCode).toBe(0);
    const outcome = await run(sim, 'system poweroff --yes --json');
    expect(JSON.parse(outcome.text)).toEqual({ poweredOff: true, pendingSettings: false, cancelled: null });
    expect(await run(sim, 'network list')).toEqual(POWERED_OFF);
  });

  it('needs an administrator, and nothing is powered off without one', async () => {
    const sim = freshSim();
    const outcome = await run(sim, 'system shutdown --yes', new FakePrompter([]), { user: 'guest', role: 'viewer' });
    expect(outcome.exitCode).toBe(77);
    expect((await run(sim, 'network list')).exitCode).toBe(0);
  });

  it('a state file written before poweredOff existed still loads, as a sensor that is on', async () => {
    const sim = freshSim();
    await sim.getNetworkSettings();
    const old = JSON.parse(readFileSync(sim.statePath, 'utf8'));
    delete old.poweredOff;
    writeFileSync(sim.statePath, JSON.stringify(old));
    expect((await run(sim, 'network list')).exitCode).toBe(0);
    await sim.shutdown();
    expect(JSON.parse(readFileSync(sim.statePath, 'utf8')).poweredOff).toBe(true);
  });
});

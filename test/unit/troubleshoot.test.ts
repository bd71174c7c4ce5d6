// The troubleshooting flows on the simulated sensor: from a broken state to
// fixed with scripted answers, --non-interactive runs, the same findings either
// way, and the flow table as data.
import { describe, expect, it } from 'vitest';
import { ADMIN, runLine, useSimulators } from '../helpers/command-harness.js';
import { FakePrompter } from './settings-fake-prompter.js';
import { FLOWS } from '../../src/commands/troubleshoot/flows.js';
import { FLOW_COMMANDS, FlowReportSchema, flowCommand } from '../../src/commands/troubleshoot/commands.js';
import { resolveLine } from '../../src/commands/resolve.js';
import { fullName } from '../../src/commands/registry.js';
import { SANITY, VERSION } from '../../src/commands/troubleshoot/steps.js';
import { EXIT } from '../../src/errors.js';
import { executeCommand } from '../../src/commands/execute.js';
import { PLAIN } from '../../src/output/style.js';
import type { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';

const VIEWER = { ...ADMIN, role: 'viewer' as const };

/** A sensor after a bad edit and a restart: wrong management address and gateway in effect. */
async function brokenAddress(sim: SimulatorAdapter, advance: () => void) {
  await runLine(sim, 'network edit-settings --ip 192.168.7.20 --gateway 192.168.7.1 --yes');
  await runLine(sim, 'system reboot --yes');
  advance();
}

/**
 * A simulator clock ten times as fast as the wall clock: a simulated restart (3 s until the
 * sensor answers, then its services one by one) passes in a tenth of the time, while the flow
 * still waits for it the way it does on a sensor (polling until it answers and nothing starts).
 */
function fastClock(factor = 10): () => number {
  const start = Date.now();
  return () => start + (Date.now() - start) * factor;
}

/** Resolves once the restarting sensor answers (its checks stop failing as unavailable). */
async function untilAnswering(sim: SimulatorAdapter): Promise<void> {
  for (;;) {
    try {
      await sim.checkServices({ timeoutMs: 3000 });
      return;
    } catch (error) {
      if ((error as { exitCode?: number }).exitCode !== EXIT.UNAVAILABLE) throw error;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

function report(text: string) {
  return FlowReportSchema.parse(JSON.parse(text));
}

describe('the flow table', () => {
  it('each flow is a command; "troubleshoot" alone is the menu', () => {
    expect(FLOW_COMMANDS.map(fullName)).toEqual(FLOWS.map((f) => `troubleshoot ${f.name}`));
    for (const flow of FLOWS) {
      const resolution = resolveLine(`troubleshoot ${flow.name}`, null);
      expect(resolution.kind === 'command' && fullName(resolution.command)).toBe(`troubleshoot ${flow.name}`);
      expect(new Set(flow.steps.map((s) => s.id)).size).toBe(flow.steps.length);
      for (const step of flow.steps) expect(step.next.length).toBeGreaterThan(10);
    }
    const alone = resolveLine('troubleshoot', null);
    expect(alone.kind === 'command' && fullName(alone.command)).toBe('troubleshoot menu');
  });

  it('a flow added as data becomes a working command (as troubleshoot span will)', async () => {
    const command = flowCommand({ name: 'extra', title: 'Extra', summary: 's', description: 'd', steps: [VERSION, SANITY] });
    expect(fullName(command)).toBe('troubleshoot extra');
    const sim = useSimulatorsOnce();
    const ctx = { system: sim, prompter: new FakePrompter([]), style: PLAIN, caller: ADMIN, signal: new AbortController().signal, progress: () => {}, json: true };
    const result = await executeCommand(command, { args: {}, options: {} }, { json: true, help: false }, ctx);
    expect(report(result.text).steps.map((s) => [s.id, s.verdict])).toEqual([['system-version', 'pass'], ['system-sanity', 'pass']]);
  });
});

// One simulator for the table test above (the describe-level factory is per test file).
const simulators = useSimulators();
function useSimulatorsOnce() {
  return simulators();
}

describe('troubleshoot web-ui', () => {
  it('--non-interactive --json: the wrong address is found, nothing is asked or changed', async () => {
    let now = Date.now();
    const sim = simulators(() => now);
    await brokenAddress(sim, () => (now += 60_000));
    const result = await runLine(sim, 'troubleshoot web-ui --non-interactive --json');
    expect(result.exitCode).toBe(EXIT.PROBLEM);
    const r = report(result.text);
    const ping = r.steps.find((s) => s.id === 'ping-gateway')!;
    expect(ping.verdict).toBe('fail');
    expect(ping.finding).toContain('192.168.7.1 does not answer from 192.168.7.20/24');
    expect(ping.next).toContain('network edit-settings');
    expect(r.steps.find((s) => s.id === 'same-network')!.verdict).toBe('skipped');
    expect(r.changed).toEqual([]);
    expect((await sim.getNetworkSettings()).current.ip).toBe('192.168.7.20');
  });

  it('interactive: offers edit-settings and a restart, re-checks, and the report shows the gateway answering and validate passing', async () => {
    const sim = simulators(fastClock());
    await runLine(sim, 'network edit-settings --ip 192.168.7.20 --gateway 192.168.7.1 --yes');
    await runLine(sim, 'system reboot --yes');
    const prompter = new FakePrompter([
      { confirm: true, expect: /same network/ },
      { confirm: true, expect: /GUI cable/ },
      { confirm: true, expect: /network edit-settings/ },
      { confirm: true, expect: /management network IP address/ },
      { text: ['10.1.0.20'] },
      { confirm: false, expect: /subnet mask/ },
      { confirm: false, expect: /DNS/ },
      { text: ['10.1.0.1'], expect: /gateway/ },
      { confirm: false, expect: /input interfaces/ },
      { confirm: false, expect: /bridge/ },
      { confirm: true, expect: /Apply the settings/ },
      { confirm: true, expect: /Restart the sensor now/ },
      { confirm: true, expect: /web UI load/ },
    ]);
    // The sensor is restarting after the bad edit: the user tries again once it answers.
    await untilAnswering(sim);
    const result = await runLine(sim, 'troubleshoot web-ui', prompter);
    expect(prompter.remaining).toBe(0);
    expect(result.exitCode).toBe(EXIT.OK);
    expect(result.text).toMatch(/PASS {4}The appliance reaches its gateway \(ping\)\n {6}The gateway 10\.1\.0\.1 answers \(5 of 5\)\./);
    expect(result.text).toContain('PASS    The interfaces carry the configured settings (network validate)\n      Success! (Appliance configuration matches the network settings)');
    expect(result.text).toContain('changed: network edit-settings: Management IP 192.168.7.20 -> 10.1.0.20; Default gateway 192.168.7.1 -> 10.1.0.1');
    expect(result.text).toContain('Remains: nothing');
    expect(prompter.said.some((line) => line.includes('FAIL: The gateway 192.168.7.1 does not answer'))).toBe(true);
    expect((await sim.getNetworkSettings()).current.ip).toBe('10.1.0.20');
  }, 60_000);

  it('nothing changes without a yes; a viewer is not offered the fixes', async () => {
    let now = Date.now();
    const sim = simulators(() => now);
    await brokenAddress(sim, () => (now += 60_000));
    const declines = new FakePrompter([{ confirm: true }, { confirm: true }, { confirm: false, expect: /edit-settings/ }, { confirm: false, expect: /Restart/ }, { confirm: false }]);
    const declined = await runLine(sim, 'troubleshoot web-ui', declines);
    expect(declines.remaining).toBe(0);
    expect(declined.exitCode).toBe(EXIT.PROBLEM);
    expect(declined.text).toContain('Changed: nothing');
    const viewer = new FakePrompter([{ confirm: true }, { confirm: true }, { confirm: false }]);
    await runLine(sim, 'troubleshoot web-ui', viewer, VIEWER);
    expect(viewer.remaining).toBe(0);
    expect(viewer.said.some((line) => line.includes('needs the support role'))).toBe(true);
    expect((await sim.getNetworkSettings()).current.ip).toBe('192.168.7.20');
  });

  it('the answered run and the --non-interactive run find the same in every automatic check', async () => {
    let now = Date.now();
    const sim = simulators(() => now);
    await brokenAddress(sim, () => (now += 60_000));
    const auto = report((await runLine(sim, 'troubleshoot web-ui --json')).text);
    const asked = new FakePrompter([{ confirm: true }, { confirm: true }, { confirm: false }, { confirm: false }, { confirm: false }]);
    const text = (await runLine(sim, 'troubleshoot web-ui', asked)).text;
    for (const step of auto.steps.filter((s) => s.kind === 'check')) {
      expect(text).toContain(`${step.verdict.toUpperCase().padEnd(7)} ${step.title}\n      ${step.finding}`);
    }
  });
});

describe('troubleshoot not-responding and health', () => {
  it('a stopped service is named with the guide\'s next step; a restart mends it', async () => {
    const sim = simulators(fastClock());
    await sim.setServiceFault('Traffic Monitor', 'stopped');
    const auto = report((await runLine(sim, 'troubleshoot not-responding --json')).text);
    const sanity = auto.steps.find((s) => s.id === 'system-sanity')!;
    expect(sanity.verdict).toBe('fail');
    expect(sanity.finding).toBe('System is DOWN: stopped: Traffic Monitor.');
    expect(sanity.next).toContain('Every process must be running');
    const prompter = new FakePrompter([{ confirm: true, expect: /Restart the sensor now/ }]);
    const fixed = await runLine(sim, 'troubleshoot not-responding', prompter);
    expect(fixed.exitCode).toBe(EXIT.OK);
    expect(fixed.text).toContain('PASS    Every process runs (system sanity)');
    expect(fixed.text).toContain('changed: system reboot');
  }, 60_000);

  it('health on a healthy sensor passes every check', async () => {
    const result = await runLine(simulators(), 'troubleshoot health --non-interactive');
    expect(result.exitCode).toBe(EXIT.OK);
    expect(result.text).toContain('Version: 22.2.5.9-r-2121448');
    expect(result.text).toContain('Monitor interfaces eth1, eth2 are up and promiscuous.');
    expect(result.text).toContain('Outcome: PASS');
  });

  it('the menu offers the flows; without questions it asks for a flow by name', async () => {
    const sim = simulators();
    const prompter = new FakePrompter([{ choose: FLOWS.find((f) => f.name === 'health') }]);
    const result = await runLine(sim, 'troubleshoot', prompter);
    expect(prompter.asked[0]!.choices!.map((c) => c.label)).toEqual(FLOWS.map((f) => f.title));
    expect(result.text).toContain('Report: Health check');
    const refused = await runLine(sim, 'troubleshoot --json');
    expect(refused.exitCode).toBe(EXIT.USAGE);
  });
});

describe('a sensor that cannot answer', () => {
  it('powered off: the first check fails with the reason, the rest are not checked, still a report', async () => {
    const sim = simulators();
    await sim.shutdown();
    const result = await runLine(sim, 'troubleshoot not-responding --json');
    expect(result.exitCode).toBe(EXIT.PROBLEM);
    const r = report(result.text);
    expect(r.steps[0]).toMatchObject({ id: 'signed-in', verdict: 'fail', finding: expect.stringContaining('powered off') });
    expect(r.steps.slice(1).every((s) => s.verdict === 'skipped')).toBe(true);
  });
});

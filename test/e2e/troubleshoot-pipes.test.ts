// The troubleshooting flows through the built CLI: answers piped in, the menu
// as numbered choices, and --non-interactive --json with the same findings.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOtshell, tempStateDir } from '../helpers/cli.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import { FlowReportSchema } from '../../src/commands/troubleshoot/commands.js';

let state: ReturnType<typeof tempStateDir>;
let sim: SimulatorAdapter;
beforeEach(async () => {
  state = tempStateDir();
  sim = new SimulatorAdapter(state.dir, () => Date.now() - 3_600_000); // the broken restart happened an hour ago
});
afterEach(() => state.cleanup());

async function brokenAddress() {
  const { current } = await sim.getNetworkSettings();
  await sim.applyNetworkSettings({ ...current, ip: '192.168.7.20', gateway: '192.168.7.1' });
  await sim.reboot();
}

/** "1. PASS    title\n      finding" blocks of a text report (wrapping off in a pipe). */
function textSteps(report: string) {
  return [...report.matchAll(/^ ?\d+\. (PASS|FAIL|UNKNOWN|SKIPPED) +(.+)\n {6}(.+)$/gm)].map((m) => ({ verdict: m[1]!.toLowerCase(), title: m[2]!, finding: m[3]! }));
}

describe('troubleshoot in pipes', () => {
  it('web-ui: piped answers and --non-interactive --json give the same findings in every automatic check', async () => {
    await brokenAddress();
    const auto = await runOtshell(['troubleshoot', 'web-ui', '--non-interactive', '--json'], { stateDir: state.dir });
    expect(auto.exitCode).toBe(1);
    const json = FlowReportSchema.parse(JSON.parse(auto.stdout));
    // same network, cable, no edit-settings, no restart, the web UI does not load
    const piped = await runOtshell(['troubleshoot', 'web-ui'], { stateDir: state.dir, input: 'y\ny\nn\nn\nn\n' });
    expect(piped.exitCode).toBe(1);
    const steps = textSteps(piped.stdout);
    expect(steps.map((s) => s.title)).toEqual(json.steps.map((s) => s.title));
    for (const step of json.steps.filter((s) => s.kind === 'check')) {
      expect(steps.find((s) => s.title === step.title)).toEqual({ verdict: step.verdict, title: step.title, finding: step.finding });
    }
    expect(json.steps.find((s) => s.id === 'ping-gateway')).toMatchObject({ verdict: 'fail', next: expect.stringContaining('network edit-settings') });
    expect(piped.stdout).toContain('Changed: nothing');
    expect((await sim.getNetworkSettings()).current.ip).toBe('192.168.7.20');
  }, 60_000);

  it('not-responding: the same stopped service either way', async () => {
    await sim.setServiceFault('Upload Manager Service', 'stopped');
    const auto = FlowReportSchema.parse(JSON.parse((await runOtshell(['troubleshoot', 'not-responding', '--json'], { stateDir: state.dir })).stdout));
    const piped = await runOtshell(['troubleshoot', 'not-responding'], { stateDir: state.dir, input: 'n\n' });
    const sanity = auto.steps.find((s) => s.id === 'system-sanity')!;
    expect(sanity.finding).toBe('System is DOWN: stopped: Upload Manager Service.');
    expect(textSteps(piped.stdout).find((s) => s.title === sanity.title)).toEqual({ verdict: 'fail', title: sanity.title, finding: sanity.finding });
    expect(piped.stdout).toContain('Next (the guide): Every process must be running');
  }, 60_000);

  it('the menu is numbered in a pipe', async () => {
    const result = await runOtshell(['troubleshoot'], { stateDir: state.dir, input: '3\n' });
    expect(result.stdout).toContain("What is the problem?\n  1) Can't connect by using the web interface  (troubleshoot web-ui)\n  2) Appliance isn't responding  (troubleshoot not-responding)\n  3) Health check  (troubleshoot health)\n  4) Network validation (SPAN port)  (troubleshoot span)\nChoose 1-4: 3\n");
    expect(result.stdout).toContain('Report: Health check');
    expect(result.exitCode).toBe(0);
  }, 60_000);
});

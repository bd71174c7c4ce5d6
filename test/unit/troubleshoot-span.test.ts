// `troubleshoot span`: the guide's network validation as a flow, on the
// simulator's monitor ports (real packet bytes judged by the real analyser).
// A healthy mirror passes; a mirror of mostly ARP fails on the ARP share with
// the guide's next step; a viewer is refused as for network capture-check.
import { describe, expect, it } from 'vitest';
import { ADMIN, runLine, useSimulators } from '../helpers/command-harness.js';
import { FlowReportSchema } from '../../src/commands/troubleshoot/commands.js';
import { SimulatorCapture } from '../../src/system/simulator/capture.js';
import { EXIT } from '../../src/errors.js';

const simulator = useSimulators();

describe('troubleshoot span', () => {
  it.concurrent('a healthy mirror: both steps pass, the protocols seen are listed', async () => {
    const outcome = await runLine(simulator(), 'troubleshoot span --json');
    expect(outcome.exitCode, outcome.text).toBe(EXIT.OK);
    const report = FlowReportSchema.parse(JSON.parse(outcome.text));
    expect(report.steps.map((s) => [s.id, s.verdict])).toEqual([['monitor-interfaces', 'pass'], ['capture-check', 'pass']]);
    const capture = report.steps[1]!;
    expect(capture.measured?.join('\n')).toMatch(/^eth1: [\d,]+ packets, .*mbtcp.*, PASS$/m);
  }, 60_000);

  it.concurrent('a mirror of mostly ARP: the capture step fails on the ARP share, with the guide\'s next step', async () => {
    const system = simulator();
    await (system.capture as SimulatorCapture).setMirror('mostly-arp');
    const outcome = await runLine(system, 'troubleshoot span --non-interactive');
    expect(outcome.exitCode, outcome.text).toBe(EXIT.PROBLEM);
    expect(outcome.text).toMatch(/most frames are ARP \(9\d\.\d%\)/);
    expect(outcome.text).toContain('mirror both directions of the OT ports');
  }, 60_000);

  it('needs the support role, as network capture-check does', async () => {
    const outcome = await runLine(simulator(), 'troubleshoot span', undefined, { ...ADMIN, role: 'viewer' });
    expect(outcome.exitCode).toBe(EXIT.NO_PERMISSION);
    expect(outcome.text).toContain('support');
  });
});

// Issue 12: the simulator's monitor ports, one test per mirror state. The
// traffic is real packet bytes judged by the real analyser; these tests check
// the verdict a trainee sees for each state.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { analyzeCapture, runCaptureCheck } from '../../src/capture/index.js';
import { EXIT } from '../../src/errors.js';
import { SimulatorCapture } from '../../src/system/simulator/capture.js';
import type { MirrorState } from '../../src/system/simulator/span-state.js';
import { runLine, useSimulators } from '../helpers/command-harness.js';
import { tempStateDir } from '../helpers/cli.js';

const simulator = useSimulators();
const checkOf = (r: { verdict: { checks: { id: string; status: string; detail: string }[] } }, id: string) =>
  r.verdict.checks.find((c) => c.id === id)!;

async function brokenSensor(mirror: MirrorState, iface?: string) {
  const system = simulator();
  await (system.capture as SimulatorCapture).setMirror(mirror, iface);
  return system;
}

describe('simulated monitor ports, by mirror state', () => {
  it('healthy (the default): Modbus/TCP, S7comm, DNP3, EtherNet/IP, IEC 104 and IT noise; PASS on every port', async () => {
    const result = await runCaptureCheck(simulator().capture!, { seconds: 1 });
    expect(result.interfaces.map((r) => r.file)).toEqual(['eth1', 'eth2']);
    for (const r of [...result.interfaces, result.overall]) {
      expect(r.otProtocols.map((p) => p.name).sort()).toEqual(['dnp3', 'enip', 'iec60870_104', 'mbtcp', 's7comm']);
      expect(r.hierarchy[0]!.children.map((c) => c.name)).toContain('arp');
      expect(r.verdict.status).toBe('pass');
    }
    expect(result.interrupted).toBe(false);
  });

  it('mostly ARP: FAIL on the ARP share', async () => {
    const result = await runCaptureCheck((await brokenSensor('mostly-arp')).capture!, { interfaces: ['eth1'], seconds: 1 });
    const r = result.interfaces[0]!;
    expect(r.verdict.status).toBe('fail');
    expect(checkOf(r, 'arp-share').status).toBe('fail');
    expect(checkOf(r, 'arp-share').detail).toMatch(/^most frames are ARP \(9\d\.\d%\): the switch mirror is likely misconfigured$/);
  });

  it('one direction only: WARN, TCP conversations seen one way', async () => {
    const result = await runCaptureCheck((await brokenSensor('one-direction')).capture!, { interfaces: ['eth1'], seconds: 1 });
    const r = result.interfaces[0]!;
    expect(r.verdict.status).toBe('warn');
    expect(checkOf(r, 'tcp-directions')).toEqual({
      id: 'tcp-directions',
      status: 'warn',
      detail: 'only 0 of 7 TCP conversations seen in both directions: the mirror may copy one direction only',
    });
    expect(checkOf(r, 'ot-protocols').status).toBe('pass');
  });

  it('broadcast only: FAIL, no unicast frames', async () => {
    const result = await runCaptureCheck((await brokenSensor('broadcast-only')).capture!, { interfaces: ['eth2'], seconds: 1 });
    const r = result.interfaces[0]!;
    expect(r.verdict.status).toBe('fail');
    expect(r.traffic.unicast).toBe(0);
    expect(checkOf(r, 'unicast').status).toBe('fail');
    expect(checkOf(r, 'ot-protocols').status).toBe('warn');
  });

  it('nothing: FAIL, no packets captured', async () => {
    const result = await runCaptureCheck((await brokenSensor('silent')).capture!, { interfaces: ['eth1'], seconds: 1 });
    const r = result.interfaces[0]!;
    expect(r.packets).toBe(0);
    expect(r.error).toBe('no packets captured');
    expect(r.verdict.status).toBe('fail');
    expect(checkOf(r, 'file-complete').detail).toMatch(/^no packets captured in 1\.\d{3} s: nothing reaches this port/);
  });

  it('one port broken, the other fine: per interface and overall', async () => {
    const system = await brokenSensor('mostly-arp', 'eth2');
    const outcome = await runLine(system, 'network validate-span --seconds 1');
    expect(outcome.exitCode).toBe(EXIT.PROBLEM);
    expect(outcome.text).toMatch(/══ eth1 ═+ PASS ═/);
    expect(outcome.text).toMatch(/══ eth2 ═+ FAIL ═/);
    expect(outcome.text).toMatch(/^Overall {5}(PASS|WARN|FAIL)$/m);
  });

  it('an old state file without the span section loads as healthy', async () => {
    const system = simulator();
    const state = await (system as unknown as { store: { load(): Promise<{ span?: unknown }> } }).store.load();
    expect(state.span).toBeUndefined();
    const result = await runCaptureCheck(system.capture!, { interfaces: ['eth1'], seconds: 1 });
    expect(result.interfaces[0]!.verdict.status).toBe('pass');
  });
});

describe('capture-check on the simulator', () => {
  it('Ctrl-C stops early and still reports what was seen', async () => {
    const controller = new AbortController();
    const started = Date.now();
    // Ctrl-C once packets have been seen (an event, not a sleep: the machine may be loaded)
    const result = await runCaptureCheck(simulator().capture!, {
      interfaces: ['eth1'],
      seconds: 30,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.packets > 0) controller.abort();
      },
    });
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(result.interrupted).toBe(true);
    const r = result.interfaces[0]!;
    expect(r.packets).toBeGreaterThan(0);
    expect(checkOf(r, 'duration')).toMatchObject({ status: 'warn' });
    expect(checkOf(r, 'duration').detail).toMatch(/^stopped after \d\.\d{3} s of 30 s asked$/);
  });

  it('progress: packets, rate and time left while it runs', async () => {
    const seen: { packets: number; elapsedSeconds: number; seconds: number }[] = [];
    await runCaptureCheck(simulator().capture!, { interfaces: ['eth1'], seconds: 1, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((p) => p.seconds === 1 && p.elapsedSeconds <= 1)).toBe(true);
    expect(seen.at(-1)!.packets).toBeGreaterThan(0);
  });

  it('--save keeps the capture: a pcapng file the file check reads to the same packets', async () => {
    const out = tempStateDir();
    try {
      const file = join(out.dir, 'span.pcapng');
      const result = await runCaptureCheck(simulator().capture!, { seconds: 1, save: file });
      expect(result.saved).toBe(file);
      const again = await analyzeCapture(file);
      expect(again.error).toBeNull();
      expect(again.format).toBe('pcapng');
      expect(again.packets).toBe(result.overall.packets);
      expect(again.otProtocols.map((p) => p.name).sort()).toEqual(result.overall.otProtocols.map((p) => p.name).sort());
    } finally {
      out.cleanup();
    }
  });

  it('--save and Ctrl-C: the report still comes, nothing is kept, no temp file is left', async () => {
    const out = tempStateDir();
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 500);
      const file = join(out.dir, 'span.pcapng');
      const result = await runCaptureCheck(simulator().capture!, { seconds: 30, save: file, signal: controller.signal });
      expect(result.interrupted).toBe(true);
      expect(result.saved).toBeNull();
      expect(readdirSync(out.dir)).toEqual([]);
    } finally {
      out.cleanup();
    }
  });

  it('needs the support role; a viewer is refused by name', async () => {
    const outcome = await runLine(simulator(), 'network capture-check --seconds 1', undefined, { user: 'guest', role: 'viewer' });
    expect(outcome.exitCode).toBe(EXIT.NO_PERMISSION);
    expect(outcome.text).toBe('network capture-check needs the support role; you are signed in as viewer.');
  });

  it('--json is the result object, and the exit code follows the verdict', async () => {
    const system = await brokenSensor('silent');
    const ctxJson = await runLine(system, 'network capture-check eth1 --seconds 1 --json');
    expect(ctxJson.exitCode).toBe(EXIT.PROBLEM);
    const parsed = JSON.parse(ctxJson.text);
    expect(parsed.interfaces[0].verdict.status).toBe('fail');
  });
});

describe('capture-check parts', () => {
  it('the progress line of a live capture: packets, rate, time left (no MB/s)', async () => {
    const { progressLine } = await import('../../src/output/format.js');
    expect(progressLine({ label: 'capture: 1,200 packets, 600/s', done: 2, total: 5, unit: 'seconds' }, 2, 10, true)).toBe(
      'capture: 1,200 packets, 600/s [####------]  40% 3 s left',
    );
  });

  it('a state file with an unknown mirror state is refused with a clear message', async () => {
    const { parseState, defaultSimulatorState } = await import('../../src/system/simulator/state.js');
    const good = { ...defaultSimulatorState(), span: { mirror: 'one-direction', interfaces: { eth2: 'silent' } } };
    expect(parseState('/x/simulator.json', JSON.stringify(good)).span).toEqual({ mirror: 'one-direction', interfaces: { eth2: 'silent' } });
    const bad = { ...defaultSimulatorState(), span: { mirror: 'bogus' } };
    expect(() => parseState('/x/simulator.json', JSON.stringify(bad))).toThrow(/span\.mirror/);
  });
});

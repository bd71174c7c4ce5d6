// system sanity: the overall status for every mix of service states, and the per-check
// timeout measured with fake timers to the millisecond (issue 17).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { overallStatus, runServiceChecks, type ServiceCheck } from '../../src/system/sanity.js';
import type { SanityReport, ServiceState, SystemAdapter } from '../../src/system/adapter.js';
import { renderSanity } from '../../src/commands/system/sanity.js';
import { PLAIN } from '../../src/output/style.js';
import { runLine, useSimulators } from '../helpers/command-harness.js';

const STATES = ['running', 'starting', 'stopped', 'not-responding'] as const;
type State = (typeof STATES)[number];

/** What the status must be: any failure is DOWN (never hidden by a service still starting), then STARTING, then UP. */
function expected(states: State[]): SanityReport['status'] {
  if (states.includes('stopped') || states.includes('not-responding')) return 'down';
  if (states.includes('starting')) return 'starting';
  return 'up';
}

/** Every list of 1 to 3 states (64 + 16 + 4 lists), so every mix and every order appears. */
function allMixes(): State[][] {
  const out: State[][] = [];
  const grow = (prefix: State[]) => {
    if (prefix.length > 0) out.push(prefix);
    if (prefix.length === 3) return;
    for (const s of STATES) grow([...prefix, s]);
  };
  grow([]);
  return out;
}

const service = (status: State, i: number): ServiceState =>
  status === 'running' ? { name: `S${i}`, status, uptimeSeconds: 5 } : { name: `S${i}`, status };

describe('sanity precedence: every mix of states', () => {
  it.each(allMixes().map((m) => [m.join(' + '), m] as const))('%s', (_label, states) => {
    expect(overallStatus(states.map(service))).toBe(expected([...states]));
  });

  it('no service at all is up', () => {
    expect(overallStatus([])).toBe('up');
  });

  it('through runServiceChecks, a throwing check is stopped and wins over one still starting', async () => {
    const checks: ServiceCheck[] = [
      { name: 'A', check: async () => ({ status: 'starting' }) },
      { name: 'B', check: async () => Promise.reject(new Error('unit failed')) },
      { name: 'C', check: async () => ({ status: 'running', uptimeSeconds: 1 }) },
    ];
    const report = await runServiceChecks(checks, 1000, 'medium');
    expect(report).toEqual({
      status: 'down',
      profile: 'medium',
      services: [
        { name: 'A', status: 'starting' },
        { name: 'B', status: 'stopped', detail: 'unit failed' },
        { name: 'C', status: 'running', uptimeSeconds: 1 },
      ],
    });
  });

  it('the text and the exit code follow the status: down (1) hides no failure behind starting (2)', async () => {
    const report: SanityReport = {
      status: overallStatus([service('starting', 1), service('stopped', 2), service('not-responding', 3)]),
      profile: 'small',
      services: [service('starting', 1), service('stopped', 2), service('not-responding', 3)],
    };
    expect(renderSanity(report, PLAIN).split('\n').at(-1)).toBe('System is DOWN! (small) Failed: S2, S3');
    const starting: SanityReport = { status: overallStatus([service('starting', 1), service('running', 2)]), profile: 'small', services: [service('starting', 1), service('running', 2)] };
    expect(renderSanity(starting, PLAIN).split('\n').at(-1)).toBe('System is STARTING (small): 1 of 2 services still starting');
  });
});

describe('sanity precedence on the simulated sensor', () => {
  const simulator = useSimulators();

  it('after a restart, one stopped service while the others are starting: DOWN, exit 1', async () => {
    let now = Date.now();
    const sim = simulator(() => now);
    await sim.reboot();
    now += 3500; // reachable again, services starting
    expect((await sim.checkServices({ timeoutMs: 1000 })).status).toBe('starting');
    await sim.setServiceFault('Web Apps', 'stopped');
    const report = await sim.checkServices({ timeoutMs: 1000 });
    expect(report.services.filter((s) => s.status === 'starting').length).toBeGreaterThan(0);
    expect(report.status).toBe('down');
    const outcome = await runLine(sim, 'system sanity');
    expect(outcome.exitCode).toBe(1);
    expect(outcome.text).toMatch(/System is DOWN! \(medium\) Failed: Web Apps$/);
  });

  it('only starting services: STARTING, exit 2', async () => {
    let now = Date.now();
    const sim = simulator(() => now);
    await sim.reboot();
    now += 3500;
    const outcome = await runLine(sim, 'system sanity');
    expect(outcome.exitCode).toBe(2);
    expect(outcome.text).toMatch(/System is STARTING \(medium\): \d+ of 13 services still starting$/);
  });
});

describe('the per-check timeout, to the millisecond (fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const hung = (name: string): ServiceCheck => ({ name, check: () => new Promise(() => {}) });
  const after = (ms: number, name: string): ServiceCheck => ({
    name,
    check: () => new Promise((resolve) => setTimeout(() => resolve({ status: 'running', uptimeSeconds: 1 }), ms)),
  });

  it.each([300, 1000, 3000, 2500])('a hung check is reported at exactly %i ms, not a millisecond earlier', async (timeoutMs) => {
    vi.useFakeTimers();
    let settled: SanityReport | null = null;
    void runServiceChecks([hung('Core API'), after(10, 'Cache')], timeoutMs, 'medium').then((r) => (settled = r));
    await vi.advanceTimersByTimeAsync(timeoutMs - 1);
    expect(settled).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).not.toBeNull();
    expect(settled!.status).toBe('down');
    expect(settled!.services).toEqual([
      { name: 'Core API', status: 'not-responding', detail: `no answer within ${(timeoutMs / 1000).toFixed(1)} s` },
      { name: 'Cache', status: 'running', uptimeSeconds: 1 },
    ]);
  });

  it('a check answering at the last millisecond before the timeout counts; one at the timeout does not', async () => {
    vi.useFakeTimers();
    const early = runServiceChecks([after(299, 'A')], 300, 'p');
    await vi.advanceTimersByTimeAsync(300);
    expect((await early).services[0]!.status).toBe('running');
    const late = runServiceChecks([after(301, 'A')], 300, 'p');
    await vi.advanceTimersByTimeAsync(300);
    expect((await late).services[0]).toEqual({ name: 'A', status: 'not-responding', detail: 'no answer within 0.3 s' });
  });

  it('the checks run concurrently: three hung checks take one timeout, not three', async () => {
    vi.useFakeTimers();
    let settled = false;
    void runServiceChecks([hung('A'), hung('B'), hung('C')], 500, 'p').then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(500);
    expect(settled).toBe(true);
  });

  it('no timer is left behind once the checks answered', async () => {
    vi.useFakeTimers();
    await runServiceChecks([{ name: 'A', check: async () => ({ status: 'running' }) }], 3000, 'p');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('system sanity --timeout SECONDS asks the target for that many milliseconds (default 3 s)', async () => {
    const asked: number[] = [];
    const system = {
      target: 'fake',
      checkServices: async ({ timeoutMs }: { timeoutMs: number }): Promise<SanityReport> => {
        asked.push(timeoutMs);
        return { status: 'up', profile: 'p', services: [] };
      },
    } as unknown as SystemAdapter;
    await runLine(system, 'system sanity --timeout 0.3');
    await runLine(system, 'system sanity --timeout 1.5');
    await runLine(system, 'system sanity');
    expect(asked).toEqual([300, 1500, 3000]);
  });
});

// The "crashing" service fault of training scenarios: the service is restarted, dies
// during start-up, is down until the next restart. System sanity sees it starting or
// stopped depending on when it looks, never running; a restart clears it.
import { describe, expect, it } from 'vitest';
import { CRASH_LOOP_MS, crashLoopPhase, serviceChecksOf } from '../../src/system/simulator/service-checks.js';
import { faultFunction } from '../../src/system/simulator/faults/index.js';
import { defaultSimulatorState } from '../../src/system/simulator/state.js';
import { evaluateGoal } from '../../src/system/simulator/training-goals.js';
import { parseScenario } from '../../src/net/training-scenario.js';

describe('crash loop phase', () => {
  it('starting for the first 6 s of each 10 s cycle, stopped for the rest, at the exact edges', () => {
    expect(CRASH_LOOP_MS).toEqual({ starting: 6000, down: 4000 });
    expect(crashLoopPhase(1000, 1000)).toBe('starting');
    expect(crashLoopPhase(1000, 6999)).toBe('starting');
    expect(crashLoopPhase(1000, 7000)).toBe('stopped');
    expect(crashLoopPhase(1000, 10_999)).toBe('stopped');
    expect(crashLoopPhase(1000, 11_000)).toBe('starting');
    // A clock behind the start (set back) still lands in the cycle.
    expect(crashLoopPhase(10_000, 9_000)).toBe('stopped');
    expect(crashLoopPhase(10_000, 3_999)).toBe('starting');
  });
});

describe('the crashing service fault', () => {
  const now = Date.parse('2026-11-29T08:00:00Z');
  const state = faultFunction({ fault: 'service', name: 'Web Apps', status: 'crashing' })(defaultSimulatorState(new Date(now)), now);
  const web = () => state.services.find((s) => s.name === 'Web Apps')!;

  it('marks only that service', () => {
    expect(web().fault).toBe('crashing');
    expect(state.services.filter((s) => s.fault !== 'none').map((s) => s.name)).toEqual(['Web Apps']);
  });

  it('system sanity sees it starting, then stopped, and never running over a minute', async () => {
    const since = Date.parse(web().startedAt);
    const seen = new Set<string>();
    for (let t = 0; t < 60_000; t += 500) {
      const check = serviceChecksOf(state, since + t).find((c) => c.name === 'Web Apps')!;
      seen.add((await check.check()).status);
    }
    expect([...seen].sort()).toEqual(['starting', 'stopped']);
  });

  it('a goal that the service runs is not met, and says why', () => {
    const verdict = evaluateGoal({ check: 'service', name: 'Web Apps', status: 'running' }, state, now);
    expect(verdict.met).toBe(false);
    expect(JSON.stringify(verdict)).toContain('crashing');
  });

  it('a scenario file may name it; an unknown status is refused with its field', () => {
    const base = (status: string) =>
      `id: crash\ntitle: t\nstory: s\nfaults:\n  - fault: service\n    name: Web Apps\n    status: ${status}\ngoal:\n  - check: all-services-running\nhints: []\ntimeLimitMinutes: 10\npoints: 100\nhintPenalty: 10\nroles: [support]\n`;
    expect(parseScenario(base('crashing')).ok).toBe(true);
    const bad = parseScenario(base('exploding'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]).toMatchObject({ line: 7, field: 'faults.0.status' });
  });
});

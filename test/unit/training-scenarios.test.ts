// Every built-in training scenario, solved with the commands a trainee types,
// piped through the line prompter into an in-process otshell (src/cli/main.ts):
// the goal fails at the start, passes after the fix, and the report's score is
// right; a second run takes two hints and loses their penalty; an expired time
// limit scores nothing; the trainee's own simulated sensor is never touched.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempStateDir, REPO_ROOT } from '../helpers/cli.js';
import { startPipedSession, useSkewedClock, type PipedSession } from '../helpers/training-session.js';
import { TrainingReportSchema } from '../../src/commands/training/schemas.js';
import { parseScenario, type Scenario } from '../../src/net/training-scenario.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import { scoreOf } from '../../src/commands/training/session.js';

interface Solution {
  /** What the trainee types to find and fix it; the last line's output contains `done`. */
  lines: string[];
  done: string;
  /** The fix restarts the sensor: the trainee waits for the services before checking. */
  restarts?: boolean;
  /** Exit codes of the lines (0 when not named). */
  exits?: Record<string, number>;
}

const RESTARTING = 'The sensor is restarting';

const SOLUTIONS: Record<string, Solution> = {
  'wrong-address': {
    lines: ['network list eth0', 'network validate', 'network edit-settings --ip 10.1.0.20 --gateway 10.1.0.1 --yes', 'system reboot --yes'],
    done: RESTARTING,
    restarts: true,
  },
  'gui-cable': { lines: ['network list eth0', 'training outside move-cable eth0'], done: 'You moved the GUI cable from eth1 to eth0.' },
  'service-stopped': { lines: ['system sanity', 'system reboot --yes'], done: RESTARTING, restarts: true, exits: { 'system sanity': 1 } },
  span: {
    lines: ['network list', 'network edit-settings --input-interfaces eth1,eth2 --yes', 'training outside fix-mirror eth1', 'system reboot --yes'],
    done: RESTARTING,
    restarts: true,
  },
  firewall: { lines: ['network requirements', 'training outside open-firewall 10.1.0.10 443'], done: 'opened 10.1.0.10:443', exits: { 'network requirements': 1 } },
  ntp: { lines: ['ntp status', 'ntp disable 10.1.0.9', 'ntp enable 10.1.0.4'], done: 'NTP server 10.1.0.4 enabled' },
  mixed: { lines: ['network list', 'training outside move-cable eth0', 'system reboot --yes'], done: RESTARTING, restarts: true },
};

const BUILTINS: Scenario[] = readdirSync(join(REPO_ROOT, 'scenarios'))
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => {
    const parsed = parseScenario(readFileSync(join(REPO_ROOT, 'scenarios', name), 'utf8'));
    if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.issues)}`);
    return parsed.scenario;
  });

let state: ReturnType<typeof tempStateDir>;
useSkewedClock();
afterEach(() => state?.cleanup());

function latestReport(dir: string) {
  return TrainingReportSchema.parse(JSON.parse(readFileSync(join(dir, 'training', 'latest-report.json'), 'utf8')));
}

/** Starts the scenario, checks the goal fails, solves it (with `hints` hints on the way), checks it passes, ends it. */
async function play(session: PipedSession, scenario: Scenario, hints: number) {
  const solution = SOLUTIONS[scenario.id]!;
  await session.type([`training start ${scenario.id}`], 'The shell now runs against');
  await session.type(['training check'], 'Goal not met yet.');
  for (let i = 1; i <= hints; i += 1) await session.type(['training hint'], `Hint ${i} of`);
  await session.type(solution.lines, solution.done);
  if (solution.restarts) session.advance(60_000); // the trainee waits for the services to come up
  await session.type(['training check'], 'Goal met.');
  await session.type(['training end'], 'Kept in');
  return solution;
}

describe('built-in scenarios', () => {
  it('there are the seven of the issue, each with a solution here', () => {
    expect(BUILTINS.map((s) => s.id).sort()).toEqual(Object.keys(SOLUTIONS).sort());
    expect(BUILTINS.find((s) => s.id === 'mixed')!.faults.length).toBeGreaterThanOrEqual(2);
  });

  it.each(BUILTINS.map((s) => [s.id, s] as const))('%s: fails at the start, solved by the commands a trainee types, full score', async (_, scenario) => {
    state = tempStateDir();
    // The trainee's own simulated sensor, before training: it must come out byte for byte the same.
    await new SimulatorAdapter(state.dir).listInterfaces();
    const own = readFileSync(join(state.dir, 'simulator.json'), 'utf8');
    const session = startPipedSession(state.dir);
    const solution = await play(session, scenario, 0);
    const { exitCode } = await session.end();
    expect(exitCode).toBe(1); // the first "training check" failed, as a script reports its last failure

    const report = latestReport(state.dir);
    expect(report.scenario.id).toBe(scenario.id);
    expect(report.solved).toBe(true);
    expect(report.expired).toBe(false);
    expect(report.goals.every((g) => g.met)).toBe(true);
    expect(report.hintsUsed).toBe(0);
    expect(report.score).toBe(scenario.points);
    const typed = [`training start ${scenario.id}`, 'training check', ...solution.lines, 'training check'];
    expect(report.commands.map((c) => c.line)).toEqual(typed);
    expect(report.commands.map((c) => c.exitCode)).toEqual(typed.map((line, i) => (i === 1 ? 1 : (solution.exits?.[line] ?? 0))));
    expect(report.path).toBe(join(state.dir, 'training', report.runId, 'report.json'));
    expect(JSON.parse(readFileSync(report.path, 'utf8'))).toEqual(report);
    expect(readFileSync(join(state.dir, 'simulator.json'), 'utf8')).toBe(own);
  }, 60_000);

  it.each(BUILTINS.map((s) => [s.id, s] as const))('%s: two hints cost two penalties', async (_, scenario) => {
    state = tempStateDir();
    const session = startPipedSession(state.dir);
    await play(session, scenario, 2);
    await session.end();
    const report = latestReport(state.dir);
    expect(report.hintsUsed).toBe(2);
    expect(report.score).toBe(Math.max(0, scenario.points - 2 * scenario.hintPenalty));
    expect(report.commands.filter((c) => c.line === 'training hint')).toHaveLength(2);
  }, 60_000);
});

describe('time limit and switching back', () => {
  it('solved after the time limit: expired, score 0; the shell is back on the own sensor after "training end"', async () => {
    state = tempStateDir();
    const session = startPipedSession(state.dir);
    await session.type(['training start gui-cable'], 'The shell now runs against');
    await session.type(['network list eth0'], 'role management');
    expect(session.stdout()).toMatch(/eth0: flags=\d+<UP,BROADCAST,MULTICAST>/); // no carrier on the scenario's sensor
    session.advance(11 * 60_000);
    await session.type(['training status'], 'time is up');
    await session.type(['training outside move-cable eth0', 'training check'], 'Goal met.');
    await session.type(['training end'], 'Kept in');
    const before = session.stdout().length;
    await session.type(['network list eth0'], 'role management');
    expect(session.stdout().slice(before)).toMatch(/eth0: flags=\d+<UP,BROADCAST,RUNNING,MULTICAST>/); // the own sensor again
    await session.type(['training status'], 'No training scenario is running');
    await session.end();
    const report = latestReport(state.dir);
    expect(report).toMatchObject({ solved: false, expired: true, score: 0 });
    expect(report.goals.every((g) => g.met)).toBe(true);
  }, 60_000);
});

describe('the picker in a pipe, and the score rule', () => {
  it('"training start" without ID offers the built-ins as numbered choices', async () => {
    state = tempStateDir();
    const session = startPipedSession(state.dir);
    await session.type(['training start', '2'], 'The shell now runs against');
    const { stdout } = await session.end();
    expect(stdout).toMatch(/Which scenario\?\n {2}1\) Firewall rule missing for the management console {2}\(firewall, 15 min\)\n {2}2\) Web UI unreachable - the cable is in the wrong port {2}\(gui-cable, 10 min\)\n/);
    expect(stdout).toContain('Training: Web UI unreachable - the cable is in the wrong port');
  });

  it('penalties never take the score below 0; unmet goals or a late solve score 0', () => {
    const scenario = BUILTINS.find((s) => s.id === 'ntp')!;
    const met = [{ met: true }] as never[];
    const base = { scenario, deadline: 1000, solvedAt: 500 as number | null, hintsUsed: 0 };
    expect(scoreOf(base, met)).toBe(100);
    expect(scoreOf({ ...base, hintsUsed: 9 }, met)).toBe(0);
    expect(scoreOf({ ...base, solvedAt: 1001 }, met)).toBe(0);
    expect(scoreOf({ ...base, solvedAt: null }, met)).toBe(0);
    expect(scoreOf(base, [{ met: false }] as never[])).toBe(0);
  });
});

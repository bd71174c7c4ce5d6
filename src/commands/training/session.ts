// A shell session's training: which run is active, the simulated sensor the
// shell talks to meanwhile, the commands typed (with their exit codes) and the
// hints taken. Made once per session by src/cli, which hands `system` (a
// stand-in that always forwards to the current sensor) to the shell, so
// `training start` switches every later command to the run's own sensor and
// `training end` switches back: the trainee's own simulator is never touched.
import type { SystemAdapter } from '../../system/adapter.js';
import type { GoalResult, TrainingPort } from '../../system/training-port.js';
import type { Scenario } from '../../net/training-scenario.js';
import { EXIT } from '../../errors.js';
import { UserError } from '../types.js';

export interface CommandRecord {
  line: string;
  exitCode: number;
  /** Seconds after the start. */
  atSeconds: number;
}

export interface ActiveRun {
  runId: string;
  scenario: Scenario;
  startedAt: number;
  deadline: number;
  hintsUsed: number;
  commands: CommandRecord[];
  /** When every goal check first passed (checked after each command), or null. */
  solvedAt: number | null;
  system: SystemAdapter;
}

export class TrainingSession {
  private run: ActiveRun | null = null;
  /** Every call goes to the run's sensor while a run is active, else to the session's own. */
  readonly system: SystemAdapter;

  constructor(
    private readonly base: SystemAdapter,
    /** False for a one-shot command: a run started there would end with the process. */
    readonly lasting: boolean,
    readonly clock: () => number = Date.now,
  ) {
    const session = this;
    this.system = new Proxy(base, {
      get(_target, property) {
        const current = session.run?.system ?? session.base;
        const value: unknown = Reflect.get(current, property, current);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
      },
    });
  }

  /** Training is the simulator's: real targets have no port. */
  port(): TrainingPort {
    if (!this.base.training) throw new UserError(`training runs on the simulated sensor only; this session's target is ${this.base.target}.`, EXIT.USAGE);
    return this.base.training;
  }

  get active(): ActiveRun | null {
    return this.run;
  }

  requireActive(): ActiveRun {
    if (!this.run) throw new UserError('No training scenario is running; "training start" starts one ("training list" shows them).', EXIT.USAGE);
    return this.run;
  }

  begin(run: Omit<ActiveRun, 'hintsUsed' | 'commands' | 'solvedAt' | 'deadline'>): ActiveRun {
    this.run = { ...run, deadline: run.startedAt + run.scenario.timeLimitMinutes * 60_000, hintsUsed: 0, commands: [], solvedAt: null };
    return this.run;
  }

  /** Ends the run: the shell talks to the session's own sensor again. */
  finish(): ActiveRun {
    const run = this.requireActive();
    this.run = null;
    return run;
  }

  /** After each line the trainee ran (src/commands/dispatch.ts): the log, and whether the goal is met now. */
  async record(line: string, exitCode: number): Promise<void> {
    const run = this.run;
    if (!run) return;
    const now = this.clock();
    run.commands.push({ line: line.slice(0, 500), exitCode, atSeconds: Math.round((now - run.startedAt) / 1000) });
    if (run.commands.length > 10_000) run.commands.shift();
    await this.goalsNow().catch(() => null);
  }

  /** Every goal check now; the first time all pass within the time limit is kept as the moment it was solved. */
  async goalsNow(): Promise<GoalResult[]> {
    const run = this.requireActive();
    const goals = await this.port().evaluate(run.runId, run.scenario.goal);
    const now = this.clock();
    if (run.solvedAt === null && now <= run.deadline && goals.every((g) => g.met)) run.solvedAt = now;
    return goals;
  }

  /** The title and time left for the shell's live area, or null without a run. */
  liveStatus(): { title: string; leftMs: number } | null {
    return this.run ? { title: this.run.scenario.title, leftMs: this.run.deadline - this.clock() } : null;
  }
}

/**
 * Points minus the hint penalties, never below 0. 0 unless every goal check passes now and
 * first passed within the time limit: an expired limit scores nothing.
 */
export function scoreOf(run: Pick<ActiveRun, 'solvedAt' | 'deadline' | 'hintsUsed' | 'scenario'>, goals: readonly GoalResult[]): number {
  if (run.solvedAt === null || run.solvedAt > run.deadline || !goals.every((g) => g.met)) return 0;
  return Math.max(0, run.scenario.points - run.hintsUsed * run.scenario.hintPenalty);
}

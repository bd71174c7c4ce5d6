// What the training commands share: the session, goal lines, the report.
import type { CommandContext, RenderStyle } from '../types.js';
import { UserError } from '../types.js';
import type { GoalResult } from '../../system/training-port.js';
import { clockText } from '../../net/training-basics.js';
import { scoreOf, type ActiveRun, type TrainingSession } from './session.js';
import type { GoalResultJson, TrainingReport } from './schemas.js';
import { EXIT } from '../../errors.js';

export function sessionOf(ctx: CommandContext): TrainingSession {
  if (!ctx.training) throw new UserError('training needs a shell session (the interactive shell or a piped script).', EXIT.USAGE);
  return ctx.training;
}

export function goalsJson(goals: readonly GoalResult[]): GoalResultJson[] {
  return goals.map((g) => ({ check: g.goal.check, label: g.label, met: g.met, actual: g.actual }));
}

export function renderGoals(goals: readonly GoalResultJson[], style: RenderStyle): string[] {
  return goals.map((g) => {
    const mark = g.met ? style.paint('green', '[MET]    ') : style.paint('red', '[NOT MET]');
    return `  ${mark} ${style.untrusted(g.label)}${g.met ? '' : ` (now: ${style.untrusted(g.actual)})`}`;
  });
}

export function timeLeftText(leftMs: number): string {
  return leftMs > 0 ? `${clockText(leftMs)} left` : 'time is up';
}

export function buildReport(run: ActiveRun, goals: readonly GoalResult[], trainee: string, endedAt: number, path: string): TrainingReport {
  const solvedInTime = run.solvedAt !== null && run.solvedAt <= run.deadline;
  return {
    format: 'otshell-training-report',
    runId: run.runId,
    scenario: { id: run.scenario.id, title: run.scenario.title },
    trainee,
    startedAt: new Date(run.startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    timeLimitMinutes: run.scenario.timeLimitMinutes,
    timeTakenSeconds: Math.round(((run.solvedAt ?? endedAt) - run.startedAt) / 1000),
    expired: !solvedInTime && endedAt > run.deadline,
    solved: solvedInTime && goals.every((g) => g.met),
    goals: goalsJson(goals),
    hintsUsed: run.hintsUsed,
    points: run.scenario.points,
    hintPenalty: run.scenario.hintPenalty,
    score: scoreOf(run, goals),
    commands: run.commands.map((c) => ({ ...c })),
    path,
  };
}

export function renderReport(report: TrainingReport, style: RenderStyle): string {
  const minutes = `${Math.floor(report.timeTakenSeconds / 60)}:${String(report.timeTakenSeconds % 60).padStart(2, '0')}`;
  const lines = [
    `Training report: ${style.untrusted(report.scenario.title)} (${style.untrusted(report.scenario.id)})`,
    `Trainee ${style.untrusted(report.trainee)}; run ${style.untrusted(report.runId)}`,
    `Result: ${report.solved ? style.paint('green', 'SOLVED') : style.paint('red', 'NOT SOLVED')}${report.expired ? ' (the time limit passed)' : ''}`,
    'Goal:',
    ...renderGoals(report.goals, style),
    `Time taken: ${minutes} of ${report.timeLimitMinutes}:00`,
    `Hints used: ${report.hintsUsed} (-${report.hintPenalty} points each)`,
    `Score: ${report.score} of ${report.points}`,
    `Commands (${report.commands.length}):`,
    ...report.commands.map((c, i) => `  ${String(i + 1).padStart(3)}. [exit ${String(c.exitCode).padStart(3)}] ${style.untrusted(c.line)}`),
    `Kept in ${style.untrusted(report.path)}`,
  ];
  return lines.join('\n');
}

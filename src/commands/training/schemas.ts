// The --json shapes of the training commands (docs/schemas/training-*.json).
import * as z from 'zod/mini';

export const GoalResultSchema = z.object({
  check: z.string(),
  label: z.string(),
  met: z.boolean(),
  actual: z.string(),
});
export type GoalResultJson = z.infer<typeof GoalResultSchema>;

/** The report an instructor's grade book reads: kept as report.json in the run's folder. */
export const TrainingReportSchema = z.object({
  format: z.literal('otshell-training-report'),
  runId: z.string(),
  scenario: z.object({ id: z.string(), title: z.string() }),
  trainee: z.string(),
  startedAt: z.string(),
  endedAt: z.string(),
  timeLimitMinutes: z.number(),
  /** Seconds from the start until every goal check passed, or until the end when they never did. */
  timeTakenSeconds: z.number(),
  /** The time limit passed before the goal was met: the score is 0. */
  expired: z.boolean(),
  solved: z.boolean(),
  goals: z.array(GoalResultSchema),
  hintsUsed: z.number(),
  points: z.number(),
  hintPenalty: z.number(),
  score: z.number(),
  /** What the trainee ran after the start, in order, with each exit code. */
  commands: z.array(z.object({ line: z.string(), exitCode: z.number(), atSeconds: z.number() })),
  /** Where the report is kept. */
  path: z.string(),
});
export type TrainingReport = z.infer<typeof TrainingReportSchema>;

export const TrainingListSchema = z.object({
  scenarios: z.array(z.object({ id: z.string(), title: z.string(), timeLimitMinutes: z.number(), points: z.number() })),
});

export const TrainingStartSchema = z.object({
  runId: z.string(),
  id: z.string(),
  title: z.string(),
  story: z.string(),
  timeLimitMinutes: z.number(),
  points: z.number(),
  hintPenalty: z.number(),
  hints: z.number(),
});

export const TrainingStatusSchema = z.object({
  runId: z.string(),
  title: z.string(),
  timeLeftSeconds: z.number(),
  expired: z.boolean(),
  hintsUsed: z.number(),
  hints: z.number(),
  goals: z.array(GoalResultSchema),
  /** The score if the run ended now. */
  score: z.number(),
});

export const TrainingHintSchema = z.object({
  number: z.number(),
  of: z.number(),
  text: z.nullable(z.string()),
  penalty: z.number(),
  hintsUsed: z.number(),
});

export const TrainingValidateSchema = z.object({
  file: z.string(),
  valid: z.boolean(),
  id: z.nullable(z.string()),
  title: z.nullable(z.string()),
  issues: z.array(z.object({ line: z.nullable(z.number()), field: z.string(), message: z.string() })),
});

export const TrainingOutsideSchema = z.object({ action: z.string(), said: z.string() });

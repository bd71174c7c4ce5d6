// `training start [ID] [--file FILE]`: a fresh simulated sensor with the
// scenario's faults; every later command of the session runs against it.
import { defineCommand, UserError } from '../types.js';
import { sessionOf } from './common.js';
import { TrainingStartSchema } from './schemas.js';
import { describeFileIssue as describeScenarioIssue } from '../../net/file-issue.js';
import type { ScenarioLoad } from '../../system/training-port.js';
import { EXIT } from '../../errors.js';
import type * as z from 'zod/mini';

type StartResult = z.infer<typeof TrainingStartSchema>;

/** An invalid scenario file: one line per problem, each naming the line and the field. */
export function invalidScenario(load: Extract<ScenarioLoad, { ok: false }>): UserError {
  const shown = load.issues.slice(0, 20).map((issue) => describeScenarioIssue(load.name, issue));
  return new UserError(`The scenario file is invalid:\n${shown.join('\n')}`, EXIT.DATA);
}

export default defineCommand<StartResult>({
  category: 'training',
  name: 'start',
  summary: 'Start a training scenario on a fresh simulated sensor',
  description:
    'Starts a scenario on a simulated sensor of its own (under the state directory, in training/RUN-ID/), so your own simulated sensor is untouched: every command after this one runs against the scenario\'s sensor until "training end". Without ID the shell offers a list. Instructors run a scenario file with --file. Simulator only.',
  examples: ['training start wrong-address', 'training start --file my-scenario.yaml', 'training start'],
  args: [{ name: 'id', summary: 'A built-in scenario ("training list")' }],
  options: [{ name: 'file', type: 'string', valueName: 'FILE', summary: 'An instructor\'s scenario file instead of a built-in' }],
  role: 'viewer',
  resultSchema: TrainingStartSchema,
  async run(ctx, input) {
    const session = sessionOf(ctx);
    const port = session.port();
    if (!session.lasting) throw new UserError('training start runs in the shell or a piped script ("otshell" alone, or lines piped to it): a one-shot command would end the run at once.', EXIT.USAGE);
    if (session.active) throw new UserError(`The scenario "${session.active.scenario.id}" is running; "training end" ends it first.`, EXIT.USAGE);
    const id = input.args.id as string | undefined;
    const file = input.options.file;
    if (id !== undefined && file !== undefined) throw new UserError('Give a scenario ID or --file FILE, not both.', EXIT.USAGE);
    if (file === true || file === '') throw new UserError('--file needs a file name.', EXIT.USAGE);
    let chosen = id;
    if (chosen === undefined && file === undefined) {
      if (ctx.json) throw new UserError('training start --json needs a scenario ID ("training list" shows them).', EXIT.USAGE);
      const scenarios = await port.builtins();
      chosen = await ctx.prompter.choose('Which scenario?', scenarios.map((s) => ({ label: s.title, value: s.id, hint: `${s.id}, ${s.timeLimitMinutes} min` })));
    }
    const load = await port.load(typeof file === 'string' ? { file } : { id: chosen! });
    if (!load.ok) throw invalidScenario(load);
    const scenario = load.scenario;
    if (!scenario.roles.includes(ctx.caller.role)) {
      throw new UserError(`The scenario "${scenario.id}" is played with the ${scenario.roles.join(' or ')} role; you are signed in as ${ctx.caller.role}.`, EXIT.NO_PERMISSION);
    }
    const run = await port.start(scenario, { user: ctx.caller.user, role: ctx.caller.role, ...(ctx.caller.tty ? { tty: ctx.caller.tty } : {}) });
    session.begin({ runId: run.runId, scenario, startedAt: session.clock(), system: run.system });
    return {
      runId: run.runId,
      id: scenario.id,
      title: scenario.title,
      story: scenario.story,
      timeLimitMinutes: scenario.timeLimitMinutes,
      points: scenario.points,
      hintPenalty: scenario.hintPenalty,
      hints: scenario.hints.length,
    };
  },
  render(result, style) {
    return [
      style.paint('bold', `Training: ${style.untrusted(result.title)}`),
      // Line by line: untrusted() shows a line feed as an escape; the story's own lines stay lines.
      ...result.story.trim().split('\n').map((line) => style.untrusted(line)),
      '',
      `You have ${result.timeLimitMinutes} minutes for ${result.points} points; ${result.hints} hints ("training hint"), -${result.hintPenalty} points each.`,
      'The shell now runs against the scenario\'s simulated sensor. "training status" shows the goal, "training check" grades now, "training end" ends it.',
    ].join('\n');
  },
});

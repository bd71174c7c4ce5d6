// The JSON of a playbook run, as Ansible's ansible.posix.json callback writes it
// (`ANSIBLE_STDOUT_CALLBACK=ansible.posix.json ansible-playbook ... > run.json`), turned into a
// sensors x checks matrix: one row per host, one column per task name (plays of a `serial` run
// are batches of the same tasks, so a task name is one check across plays). Untrusted input:
// only the fields used are read, each checked by the schema; an invalid file gets one line
// naming the field.
import * as z from 'zod/mini';
import { cut } from '../../cut.js';

/** Worst first: a host's cell shows the worst result of the tasks with that name. */
export const CELL_STATES = ['failed', 'unreachable', 'changed', 'ok', 'skipped', 'not-run'] as const;
export type CellState = (typeof CELL_STATES)[number];

/** The longest failure message kept in the result (the text view cuts further). */
const MAX_MESSAGE = 1000;

const HostResult = z.object({
  changed: z.optional(z.unknown()),
  failed: z.optional(z.unknown()),
  skipped: z.optional(z.unknown()),
  unreachable: z.optional(z.unknown()),
  msg: z.optional(z.unknown()),
  rc: z.optional(z.unknown()),
  stderr: z.optional(z.unknown()),
});

const Task = z.object({
  task: z.object({ name: z.string() }),
  hosts: z.record(z.string(), HostResult),
});

const Counts = z.object({
  ok: z.number(),
  changed: z.number(),
  failures: z.number(),
  unreachable: z.number(),
  skipped: z.number(),
});

export const PlaybookRunSchema = z.object({
  plays: z.array(z.object({ play: z.object({ name: z.string() }), tasks: z.array(Task) })),
  stats: z.record(z.string(), Counts),
});

export type PlaybookRun = z.infer<typeof PlaybookRunSchema>;

export interface FleetFailure {
  host: string;
  check: string;
  state: 'failed' | 'unreachable';
  rc: number | null;
  msg: string;
}

export interface FleetSensorRow {
  host: string;
  /** A task failed (also one with ignore_errors) or the host was unreachable. */
  failed: boolean;
  /** One per check, in the order of `checks`. */
  cells: CellState[];
  stats: { ok: number; changed: number; failures: number; unreachable: number; skipped: number } | null;
}

export interface FleetReport {
  file: string;
  plays: number;
  checks: string[];
  sensors: FleetSensorRow[];
  failures: FleetFailure[];
}

/** A zod issue as "plays.0.tasks.2.hosts: expected record": where in the file, and what. */
export function describeIssues(error: z.core.$ZodError): string {
  const first = error.issues[0];
  if (!first) return 'not a playbook run';
  const where = first.path.map(String).join('.') || '(top)';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : '';
  return `${where}: ${first.message}${more}`;
}

function stateOf(result: z.infer<typeof HostResult>): CellState {
  if (result.unreachable === true) return 'unreachable';
  if (result.failed === true) return 'failed';
  if (result.skipped === true) return 'skipped';
  if (result.changed === true) return 'changed';
  return 'ok';
}

function messageOf(result: z.infer<typeof HostResult>): string {
  const msg = result.msg ?? result.stderr;
  const text = typeof msg === 'string' ? msg : msg === undefined ? '' : JSON.stringify(msg);
  return cut(text.trim() || 'failed (no message)', MAX_MESSAGE);
}

export function fleetReport(file: string, run: PlaybookRun): FleetReport {
  const checks: string[] = [];
  const hosts: string[] = [];
  const cells = new Map<string, Map<string, CellState>>();
  const failures: FleetFailure[] = [];
  for (const play of run.plays) {
    for (const task of play.tasks) {
      const check = task.task.name;
      if (!checks.includes(check)) checks.push(check);
      for (const [host, result] of Object.entries(task.hosts)) {
        if (!cells.has(host)) {
          cells.set(host, new Map());
          hosts.push(host);
        }
        const state = stateOf(result);
        const row = cells.get(host)!;
        const before = row.get(check);
        if (before === undefined || CELL_STATES.indexOf(state) < CELL_STATES.indexOf(before)) row.set(check, state);
        if (state === 'failed' || state === 'unreachable') {
          failures.push({ host, check, state, rc: typeof result.rc === 'number' && Number.isInteger(result.rc) ? result.rc : null, msg: messageOf(result) });
        }
      }
    }
  }
  // A host in the stats that no task reached (e.g. a later serial batch after a failed one) still gets a row.
  for (const host of Object.keys(run.stats)) if (!cells.has(host)) (cells.set(host, new Map()), hosts.push(host));
  const sensors = hosts.map((host) => {
    const row = cells.get(host)!;
    const stats = run.stats[host] ?? null;
    const states = checks.map((check) => row.get(check) ?? 'not-run');
    return {
      host,
      failed: states.some((s) => s === 'failed' || s === 'unreachable') || (stats !== null && (stats.failures > 0 || stats.unreachable > 0)),
      cells: states,
      stats: stats && { ok: stats.ok, changed: stats.changed, failures: stats.failures, unreachable: stats.unreachable, skipped: stats.skipped },
    };
  });
  return { file, plays: run.plays.length, checks, sensors, failures };
}

export const FleetReportSchema = z.strictObject({
  file: z.string(),
  plays: z.number(),
  checks: z.array(z.string()),
  sensors: z.array(
    z.strictObject({
      host: z.string(),
      failed: z.boolean(),
      cells: z.array(z.enum(CELL_STATES)),
      stats: z.nullable(z.strictObject({ ok: z.number(), changed: z.number(), failures: z.number(), unreachable: z.number(), skipped: z.number() })),
    }),
  ),
  failures: z.array(
    z.strictObject({ host: z.string(), check: z.string(), state: z.enum(['failed', 'unreachable']), rc: z.nullable(z.number()), msg: z.string() }),
  ),
});

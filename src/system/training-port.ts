// Training mode's port (issue 13): built-in and instructor scenario files,
// a fresh simulated sensor per run under <stateDir>/training/<run-id>/, goal
// checks against that sensor's state, the trainee's "outside" actions (the
// cable, the site firewall, the switch's mirror) and the kept reports.
// The simulator implements it; real targets have none (training is simulator only).
import type { Actor, SystemAdapter } from './adapter.js';
import type { Goal, Scenario, ScenarioIssue } from '../net/training-scenario.js';

export interface ScenarioListing {
  id: string;
  title: string;
  timeLimitMinutes: number;
  points: number;
}

export type ScenarioLoad = { ok: true; scenario: Scenario } | { ok: false; name: string; issues: ScenarioIssue[] };

export interface GoalResult {
  goal: Goal;
  /** The check in words, e.g. "management address is 10.1.0.20/24". */
  label: string;
  met: boolean;
  /** What the sensor shows now. */
  actual: string;
}

export interface TrainingRun {
  runId: string;
  /** The run's own simulated sensor: the shell uses it until the run ends. */
  system: SystemAdapter;
}

/** What a trainee does outside the sensor: plug the cable, ask IT to open a rule, fix the switch's mirror. */
export type OutsideAction =
  | { kind: 'move-cable'; interface: string }
  | { kind: 'open-firewall'; host: string; port: number }
  | { kind: 'fix-mirror'; interface: string };

export interface TrainingPort {
  /** The scenarios shipped with otshell, by id. */
  builtins(): Promise<ScenarioListing[]>;
  /** A built-in by id, or an instructor's file (validated; never started). */
  load(source: { id: string } | { file: string }): Promise<ScenarioLoad>;
  /** A fresh simulated sensor with the scenario's faults, in its own directory. */
  start(scenario: Scenario, by: Actor): Promise<TrainingRun>;
  /** Each goal check against the run's state now. */
  evaluate(runId: string, goals: readonly Goal[]): Promise<GoalResult[]>;
  /** Changes the run's surroundings (under its edit lock, audited); says what happened. */
  outside(runId: string, action: OutsideAction, by: Actor): Promise<string>;
  /** Keeps a report (atomic write) in the run's directory and as the latest, with its own path in it; returns what was kept. */
  saveReport<T extends object>(runId: string, report: T): Promise<T & { path: string }>;
  /** The latest report kept, or null. */
  latestReport(): Promise<unknown | null>;
}

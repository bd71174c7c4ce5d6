// Training mode on the simulator (src/system/training-port.ts). Every run gets
// its own simulated sensor under <stateDir>/training/<run-id>/, so the
// trainee's own sensor is never touched. Scenario files name no paths; the
// run id is made here from the scenario's slug; a symlinked training folder
// is refused, so nothing a scenario does lands outside the state directory.
import { lstat, mkdir, open, readdir } from '../../lazy-fs.js';
import { existsSync } from 'node:fs';
import { randomHex } from '../node-crypto.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor, SystemAdapter } from '../adapter.js';
import type { GoalResult, OutsideAction, ScenarioListing, ScenarioLoad, TrainingPort, TrainingRun } from '../training-port.js';
import type { Goal, Scenario } from '../../net/training-scenario.js';
import { MAX_SCENARIO_BYTES, SCENARIO_ID } from '../../net/training-basics.js';
import { defaultSimulatorState, SimulatorStore, type SimulatorState } from './state.js';
import { applyFaults } from './faults/index.js';
import { evaluateGoal } from './training-goals.js';
import { defaultDiagnostics } from './diagnostics-state.js';
import { DEFAULT_SITE_NETWORK } from './site-network.js';
import { SIMULATOR_SITE_FILE } from './reachability.js';
import { readFileIfExists, writeFileAtomic } from '../atomic-write.js';
import { applyAuditedAction, AUDIT_FILE, INTENT_FILE, LOCAL_AUDIT_FILES } from '../audit-log.js';
import { actionFields } from '../audit-action.js';
import { EXIT, OtshellError } from '../../errors.js';

const TRAINING_DIR = 'training';
const LATEST_REPORT = 'latest-report.json';
const RUN_ID = /^[a-z0-9][a-z0-9-]{0,47}-\d{8}t\d{6}z-[0-9a-f]{6}$/;

/** Where the built-in scenarios are: beside dist/ when built, at the repository root from the sources. */
function builtinDirectory(): string {
  const candidates = ['../scenarios/', '../../../scenarios/'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  const found = candidates.find((dir) => existsSync(join(dir, 'wrong-address.yaml')));
  if (!found) throw new OtshellError('The built-in training scenarios are missing from this installation (the "scenarios" folder).', EXIT.CONFIG);
  return found;
}

/** A training request refused: bad input (exit 64) unless said otherwise. */
export class TrainingRefusedError extends OtshellError {
  constructor(message: string, exitCode: typeof EXIT.USAGE | typeof EXIT.CONFIG | typeof EXIT.PROBLEM = EXIT.USAGE) {
    super(message, exitCode);
  }
}

/** Reads at most MAX_SCENARIO_BYTES + 1 of a regular file: a huge or special file is refused, not read whole. */
async function readScenarioFile(path: string): Promise<string | { problem: string }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot be read (${code ?? 'error'})` };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { problem: 'not a regular file' };
    if (info.size > MAX_SCENARIO_BYTES) return { problem: `larger than ${MAX_SCENARIO_BYTES / 1024} KiB` };
    const buffer = Buffer.alloc(MAX_SCENARIO_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_SCENARIO_BYTES) return { problem: `larger than ${MAX_SCENARIO_BYTES / 1024} KiB` };
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

export class SimulatorTraining implements TrainingPort {
  constructor(
    private readonly stateDir: string,
    private readonly clock: () => number,
    /** A simulated sensor on a run's directory (the adapter's own class, given to avoid an import cycle). */
    private readonly sensorAt: (dir: string) => SystemAdapter,
  ) {}

  async builtins(): Promise<ScenarioListing[]> {
    const dir = builtinDirectory();
    const names = (await readdir(dir)).filter((n) => n.endsWith('.yaml')).sort();
    const listings: ScenarioListing[] = [];
    for (const name of names) {
      const loaded = await this.load({ file: join(dir, name) });
      if (!loaded.ok) throw new OtshellError(`The built-in scenario ${name} is invalid: ${loaded.issues[0]!.field}: ${loaded.issues[0]!.message}.`, EXIT.INTERNAL);
      const { id, title, timeLimitMinutes, points } = loaded.scenario;
      listings.push({ id, title, timeLimitMinutes, points });
    }
    return listings;
  }

  async load(source: { id: string } | { file: string }): Promise<ScenarioLoad> {
    if ('id' in source) {
      // An id is a slug: never a path ("../x", "/etc/x"), so it only ever names a built-in.
      if (!SCENARIO_ID.test(source.id)) throw new TrainingRefusedError('A scenario id is a slug (a-z, 0-9 and "-"); "training list" shows them. Instructors run a file with "training start --file FILE".');
      const path = join(builtinDirectory(), `${source.id}.yaml`);
      if (!existsSync(path)) throw new TrainingRefusedError(`There is no built-in scenario "${source.id}"; "training list" shows them.`);
      return this.load({ file: path });
    }
    const text = await readScenarioFile(source.file);
    if (typeof text !== 'string') return { ok: false, name: source.file, issues: [{ line: null, field: '(file)', message: text.problem }] };
    // The parser (yaml, the schema) loads only here: not for every session's start-up.
    const { parseScenario } = await import('../../net/training-scenario.js');
    const parsed = parseScenario(text);
    return parsed.ok ? parsed : { ok: false, name: source.file, issues: parsed.issues };
  }

  /** <stateDir>/training, a real directory (a symlink there could point anywhere). */
  private async trainingRoot(): Promise<string> {
    const root = join(this.stateDir, TRAINING_DIR);
    await mkdir(root, { recursive: true, mode: 0o700 });
    const info = await lstat(root);
    if (!info.isDirectory()) throw new TrainingRefusedError(`${root} is not a directory (a symbolic link is refused): training keeps its runs only inside the state directory.`, EXIT.CONFIG);
    return root;
  }

  private async runDir(runId: string): Promise<string> {
    if (!RUN_ID.test(runId)) throw new TrainingRefusedError('That is not a training run id.');
    const dir = join(await this.trainingRoot(), runId);
    const info = await lstat(dir).catch(() => null);
    if (!info?.isDirectory()) throw new TrainingRefusedError(`The training run ${runId} is gone from ${dir}.`, EXIT.PROBLEM);
    return dir;
  }

  async start(scenario: Scenario, by: Actor): Promise<TrainingRun> {
    const now = this.clock();
    const stamp = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '').toLowerCase();
    const runId = `${scenario.id}-${stamp}-${randomHex(3)}`;
    const dir = join(await this.trainingRoot(), runId);
    await mkdir(dir, { mode: 0o700 }); // exclusive: a run never reuses a folder
    const fresh = defaultSimulatorState(new Date(now));
    const broken = applyFaults(fresh, scenario.faults, now);
    await new SimulatorStore(dir).save(broken);
    if (scenario.site) {
      const { default: YAML } = await import('yaml');
      await writeFileAtomic(join(dir, SIMULATOR_SITE_FILE), YAML.stringify(scenario.site));
    }
    await writeFileAtomic(join(dir, 'scenario.json'), `${JSON.stringify({ scenario, startedBy: by.user, startedAt: new Date(now).toISOString() }, null, 2)}\n`);
    return { runId, system: this.sensorAt(dir) };
  }

  private async stateOf(runId: string): Promise<{ dir: string; state: SimulatorState; store: SimulatorStore }> {
    const dir = await this.runDir(runId);
    const store = new SimulatorStore(dir);
    return { dir, state: await store.load(), store };
  }

  async evaluate(runId: string, goals: readonly Goal[]): Promise<GoalResult[]> {
    const { state } = await this.stateOf(runId);
    const now = this.clock();
    return goals.map((goal) => ({ goal, ...evaluateGoal(goal, state, now) }));
  }

  async outside(runId: string, action: OutsideAction, by: Actor): Promise<string> {
    const dir = await this.runDir(runId);
    const sensor = this.sensorAt(dir);
    const lock = await sensor.acquireEditLock(by);
    try {
      const store = new SimulatorStore(dir);
      const state = await store.load();
      const { next, said, subject, was, now } = outsideChange(state, action);
      if (next === state) return said;
      await applyAuditedAction(LOCAL_AUDIT_FILES, { log: join(dir, AUDIT_FILE), intent: join(dir, INTENT_FILE) }, actionFields(by, 'simulator', 'training-outside', subject, was, now), () => store.save(next));
      return said;
    } finally {
      await lock.release();
    }
  }

  async saveReport<T extends object>(runId: string, report: T): Promise<T & { path: string }> {
    const path = join(await this.runDir(runId), 'report.json');
    const kept = { ...report, path };
    const text = `${JSON.stringify(kept, null, 2)}\n`;
    await writeFileAtomic(path, text);
    await writeFileAtomic(join(await this.trainingRoot(), LATEST_REPORT), text);
    return kept;
  }

  async latestReport(): Promise<unknown | null> {
    const text = await readFileIfExists(join(await this.trainingRoot(), LATEST_REPORT));
    if (text === null) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  }
}

/** What an outside action does to the run's surroundings; `next === state` when nothing changes. */
function outsideChange(state: SimulatorState, action: OutsideAction): { next: SimulatorState; said: string; subject: string; was?: unknown; now?: unknown } {
  switch (action.kind) {
    case 'move-cable': {
      if (!state.interfaces.some((i) => i.name === action.interface && i.name !== 'lo')) {
        throw new TrainingRefusedError(`The sensor has no port "${action.interface}"; "network list" shows them.`);
      }
      const diagnostics = state.diagnostics ?? defaultDiagnostics();
      if (diagnostics.site.cabledInterface === action.interface) return { next: state, said: `The GUI cable is already in ${action.interface}.`, subject: 'cable' };
      return {
        next: { ...state, diagnostics: { ...diagnostics, site: { ...diagnostics.site, cabledInterface: action.interface } } },
        said: `You moved the GUI cable from ${diagnostics.site.cabledInterface} to ${action.interface}.`,
        subject: 'GUI cable',
        was: diagnostics.site.cabledInterface,
        now: action.interface,
      };
    }
    case 'open-firewall': {
      const network = state.siteNetwork ?? DEFAULT_SITE_NETWORK;
      const rules = network.rules.filter((r) => !(r.host.toLowerCase() === action.host.toLowerCase() && (r.port === undefined || r.port === action.port) && r.outcome !== 'open'));
      const subject = `${action.host}:${action.port}`;
      if (rules.length === network.rules.length) return { next: state, said: `The site's network team finds no rule blocking ${subject}; nothing was changed.`, subject };
      return { next: { ...state, siteNetwork: { ...network, rules } }, said: `The site's network team opened ${subject} for the sensor.`, subject: `firewall ${subject}`, was: 'blocked', now: 'open' };
    }
    case 'fix-mirror': {
      const span = state.span ?? { mirror: 'healthy' as const, interfaces: {} };
      const interfaces = { ...span.interfaces };
      const was = interfaces[action.interface] ?? span.mirror;
      if (was === 'healthy') return { next: state, said: `The switch already mirrors both directions of the OT traffic to ${action.interface}.`, subject: action.interface };
      interfaces[action.interface] = 'healthy';
      return { next: { ...state, span: { ...span, interfaces } }, said: `The switch's SPAN session to ${action.interface} now mirrors both directions of the OT ports.`, subject: `mirror to ${action.interface}`, was, now: 'healthy' };
    }
  }
}

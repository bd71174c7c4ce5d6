// Shared by the escape-injection cases: hostile strings, a sensor that reports
// them (as a hostile remote host or services.yaml would), a simulator state that
// carries them in the free-text files the schema cannot refuse (audit lines, the
// lock holder), and a real-PTY runner for the built CLI.
import { execa } from 'execa';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultSimulatorState, STATE_FILE_NAME } from '../../src/system/simulator/state.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import type { NetworkSettings, NetworkSnapshot, SanityReport } from '../../src/system/adapter.js';
import { SENSOR_SETTINGS } from '../helpers/settings-fixture.js';
import { BIN, REPO_ROOT } from '../helpers/cli.js';

/** Each hostile string, and exactly how the output layer must show it. */
export const HOSTILE: { name: string; raw: string; shown: string }[] = [
  { name: 'OSC title set', raw: 'x\u001b]0;pwned\u0007y', shown: 'x\\x1b]0;pwned\\x07y' },
  { name: 'clear screen', raw: 'x\u001b[2J\u001b[Hy', shown: 'x\\x1b[2J\\x1b[Hy' },
  { name: 'CSI colour', raw: 'x\u001b[31mred\u001b[0my', shown: 'x\\x1b[31mred\\x1b[0my' },
  { name: 'C1 CSI', raw: 'x\u009b2Jy', shown: 'x\\x9b2Jy' },
  { name: 'DEL and backspace', raw: 'x\u007f\u0008y', shown: 'x\\x7f\\x08y' },
  { name: 'RLO override', raw: 'x\u202eevil', shown: 'x\\u202eevil' },
  { name: 'LRI isolate and PDI', raw: 'x\u2066y\u2069', shown: 'x\\u2066y\\u2069' },
  { name: 'private style markers', raw: 'x\ue001y\ue000', shown: 'x\\ue001y\\ue000' },
];

/** All of them in one name: what the PTY and tmux cases inject. */
export const ALL = {
  raw: 'n\u001b]0;pwned\u0007\u001b[2J\u001b[H\u009b2J\u007f\u202e\u2066\ue001z',
  shown: 'n\\x1b]0;pwned\\x07\\x1b[2J\\x1b[H\\x9b2J\\x7f\\u202e\\u2066\\ue001z',
};

/**
 * A state directory for the hostile cases. The audit line's user and terminal and
 * the edit lock's holder (on another host, so it is respected) carry `name`: those
 * files are free text. With `inState`, the state file's names carry it too (an
 * interface, a service, the configured bridge): the schema refuses such a file,
 * which is itself a case (exit 78, the value never shown).
 */
export function writeHostileState(dir: string, name: string, options: { lock?: boolean; inState?: boolean } = {}): void {
  mkdirSync(dir, { recursive: true });
  const state = defaultSimulatorState(new Date());
  if (options.inState) {
    state.interfaces = state.interfaces.map((i) => (i.name === 'eth3' ? { ...i, name } : i));
    state.services = state.services.map((s, i) => (i === 1 ? { ...s, name } : s));
    state.settings = { ...state.settings, bridgeInterface: `br${name}` };
  }
  writeFileSync(join(dir, STATE_FILE_NAME), JSON.stringify(state));
  const entry = { time: '2026-01-02T03:04:05.000Z', user: name, tty: name, target: 'simulator', old: SENSOR_SETTINGS, new: { ...SENSOR_SETTINGS, ip: '10.1.0.30' } };
  writeFileSync(join(dir, 'audit.jsonl'), `${JSON.stringify(entry)}\n`);
  if (options.lock !== false) {
    // Another host's lock taken just now: respected (a remote holder counts as held for an hour).
    const holder = { user: name, tty: '/dev/pts/9', pid: 4242, host: 'elsewhere.invalid', since: new Date().toISOString() };
    writeFileSync(join(dir, 'edit-settings.lock'), `${JSON.stringify(holder)}\n`);
  }
}

/**
 * A simulated sensor that reports `name` where a hostile target could: an interface
 * (eth3) in `ip` output, a service in services.yaml, the configured bridge. The
 * simulator's own state file cannot carry these (its schema refuses them), a remote
 * host's answers and a services.yaml can.
 */
export class HostileSensor extends SimulatorAdapter {
  constructor(
    stateDir: string,
    private readonly hostileName: string,
  ) {
    super(stateDir);
  }

  override async listInterfaces(): Promise<NetworkSnapshot> {
    const snapshot = await super.listInterfaces();
    return { ...snapshot, interfaces: snapshot.interfaces.map((i) => (i.name === 'eth3' ? { ...i, name: this.hostileName } : i)) };
  }

  override async checkServices(options: { timeoutMs: number }): Promise<SanityReport> {
    const report = await super.checkServices(options);
    return { ...report, services: report.services.map((s, i) => (i === 1 ? { ...s, name: this.hostileName } : s)) };
  }

  override async getNetworkSettings(): Promise<{ current: NetworkSettings; pending: NetworkSettings | null }> {
    const settings = await super.getNetworkSettings();
    return { ...settings, current: { ...settings.current, bridgeInterface: `br${this.hostileName}` } };
  }
}

export interface PtyResult {
  exitCode: number;
  /** What the terminal received, with the PTY's \r\n turned back into \n. */
  output: string;
  timedOut: boolean;
}

/** Runs the built otshell with stdout/stderr on a real PTY (stdin a PTY too, or a file). */
export async function runInPty(args: string[], options: { stateDir: string; stdinFile?: string; env?: Record<string, string> }): Promise<PtyResult> {
  const spec = {
    argv: ['node', BIN, '--state-dir', options.stateDir, ...args],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', LANG: 'C.UTF-8', TERM: 'xterm-256color', NO_COLOR: '1', ...options.env },
    // Wide: these cases check escaping, not layout; on a terminal the output layer wraps
    // to the width (test/e2e/screens.test.ts checks that at 80 columns).
    cols: 1000,
    rows: 24,
    stdinFile: options.stdinFile,
    timeoutMs: 15_000,
  };
  const { stdout } = await execa('python3', [join(REPO_ROOT, 'test/hostile/pty-run.py')], { input: JSON.stringify(spec), timeout: 20_000 });
  const result = JSON.parse(stdout) as { exitCode: number; output: string; timedOut: boolean };
  const output = Buffer.from(result.output, 'base64').toString('utf8').replace(/\r\n/g, '\n');
  return { exitCode: result.exitCode, output, timedOut: result.timedOut };
}

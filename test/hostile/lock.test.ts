// Class 2 of issue 8: the one-editor lock admits exactly one editor, and every
// state change takes it. Parallel editors through the real command path
// (long-lived workers, a barrier per round), on the simulator and on a real
// kernel in a network namespace; every kind of lock file a crash, a race or
// another host can leave; the takeover race; reboot racing edits; and the
// other state changes refused while someone holds the lock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BIN, runOtshell } from '../helpers/cli.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import { bootId, processStartTicks, REMOTE_HOLDER_BOUND_S, UNREADABLE_BOUND_S } from '../../src/system/edit-lock.js';
import { createSensorNamespace, missingParts, removeStaleNamespaces, type Namespace } from '../real-host/harness.js';
import { skipWithout } from '../helpers/tool.js';
import { auditEntries, EditorPool, exited, expectChained, fastStateDir, removeWorker, spawnWorker, tempFiles, worker } from './lock-harness.js';
import { expectExit, expectNoStackTrace } from './helpers.js';

const EDITORS = 20;
/**
 * Rounds of 20 racing editors. Measured with a bug planted in the lock (a create that is not
 * exclusive; every holder taken for dead; the settings read before the lock is taken), 30 runs on
 * the simulator: every one showed a lost update or a double holder in round 0, so 10 rounds keep a
 * tenfold margin (50 rounds took 48 s of the suite's longest file). On a real kernel the
 * read-before-lock bug showed in rounds 0, 0, 1, 1, 1, 1, 3, 3 and 6 of 9 runs: all 10 rounds stay.
 */
const SIM_ROUNDS = 10;
const LOCAL_ROUNDS = 10;

async function freshSimulator() {
  const temp = fastStateDir();
  const sim = new SimulatorAdapter(temp.dir);
  await sim.getNetworkSettings(); // the state file exists before anyone races for it
  return { ...temp, sim, lockPath: join(temp.dir, 'edit-settings.lock'), stateBytes: () => readFileSync(sim.statePath) };
}

beforeAll(async () => {
  await worker();
});
afterAll(removeWorker);

describe('20 parallel editors, 0 lost updates', () => {
  it(`simulator: ${EDITORS} editors x ${SIM_ROUNDS} rounds through "network edit-settings --dns ... --yes"`, async () => {
    const { dir, sim, lockPath, cleanup } = await freshSimulator();
    const started = Date.now();
    const pool = await EditorPool.start(EDITORS, (i) => ({ mode: 'editor', target: 'simulator', stateDir: dir, user: `editor${i}` }));
    try {
      for (let round = 0; round < SIM_ROUNDS; round += 1) {
        const answers = await pool.round(round, (i) => ['network', 'edit-settings', '--dns', `10.${round}.${i}.53`, '--yes']);
        for (const answer of answers) expect(answer).toMatchObject({ exitCode: 0, text: 'Settings saved. They take effect after a restart: run "system reboot".' });
      }
    } finally {
      await pool.stop();
    }
    const entries = auditEntries(dir);
    expect(entries).toHaveLength(EDITORS * SIM_ROUNDS);
    expectChained(entries, (s) => s.dns, ['10.1.0.2']);
    // Every editor's value landed exactly once, and the state is the last audited value.
    expect(new Set(entries.map((e) => e.new.dns[0])).size).toBe(EDITORS * SIM_ROUNDS);
    const { pending } = await sim.getNetworkSettings();
    expect(pending).toEqual(entries.at(-1)!.new);
    expect(existsSync(lockPath)).toBe(false);
    expect(tempFiles(dir)).toEqual([]);
    console.log(`simulator editors: ${EDITORS * SIM_ROUNDS} audited changes in ${Date.now() - started} ms`);
    cleanup();
  }, 120_000);
});

describe.skipIf(missingParts(['root', 'ip']) !== null)('20 parallel editors on a real kernel (--target local in a namespace)', () => {
  let ns: Namespace;
  beforeAll(async () => {
    removeStaleNamespaces();
    ns = await createSensorNamespace();
  });
  afterAll(async () => {
    await ns?.remove();
  });

  it(`local: ${EDITORS} editors x ${LOCAL_ROUNDS} rounds, each setting its own management address`, async () => {
    const started = Date.now();
    const pool = await EditorPool.start(
      EDITORS,
      (i) => ({ mode: 'editor', target: 'local', stateDir: ns.stateDir, lockDir: ns.stateDir, configPath: ns.configPath, user: `editor${i}` }),
      ns.name,
    );
    try {
      for (let round = 0; round < LOCAL_ROUNDS; round += 1) {
        const answers = await pool.round(round, (i) => ['network', 'edit-settings', '--ip', `10.77.0.${21 + round * EDITORS + i}`, '--yes']);
        for (const answer of answers) expect(answer).toMatchObject({ exitCode: 0, text: 'Settings applied. They are in effect now.' });
      }
    } finally {
      await pool.stop();
    }
    const entries = auditEntries(ns.stateDir);
    expect(entries).toHaveLength(EDITORS * LOCAL_ROUNDS);
    expectChained(entries, (s) => s.ip, '10.77.0.20');
    expect(new Set(entries.map((e) => e.new.ip)).size).toBe(EDITORS * LOCAL_ROUNDS);
    // The kernel carries the last audited value, and only it.
    const eth0 = (await ns.ipJson<any[]>(['addr', 'show', 'dev', 'eth0']))[0];
    const inet = eth0.addr_info.filter((a: any) => a.family === 'inet').map((a: any) => `${a.local}/${a.prefixlen}`);
    expect(inet).toEqual([`${entries.at(-1)!.new.ip}/24`]);
    expect(readFileSync(ns.netplanFile, 'utf8')).toContain(`${entries.at(-1)!.new.ip}/24`);
    expect(existsSync(join(ns.stateDir, 'edit-settings.lock'))).toBe(false);
    expect(tempFiles(ns.dir)).toEqual([]);
    console.log(`local editors: ${EDITORS * LOCAL_ROUNDS} audited kernel changes in ${Date.now() - started} ms`);
    // A bound for a hang: 41 s at load 5, but 169 s in a full run at load 16 (Stryker and other suites).
  }, 360_000);

  it.skipIf(skipWithout('setpriv', ['--version']))('non-root edit-settings on the local target: 77 "needs root", and the lock is never created', async () => {
    chmodSync(ns.dir, 0o755);
    const lockPath = join(ns.stateDir, 'edit-settings.lock');
    const result = await ns.exec('setpriv', [
      '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all',
      'node', BIN, '--target', 'local', '--config', ns.configPath, 'network', 'edit-settings', '--ip', '10.77.0.250', '--yes',
    ]);
    expectNoStackTrace(result.stderr);
    expect(result.stderr).toMatch(/^Changing the network settings needs root \(or CAP_NET_ADMIN\) on local; .*Nothing was changed\.$/m);
    expectExit(result.exitCode, 77);
    expect(existsSync(lockPath)).toBe(false);
  });
});

// ------------------------------------------------------------------ lock files left by crashes, races and other hosts

/** A process that runs (and whose start time is known) for the live-holder cases. */
function sleeper() {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  return { pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

const NOW = () => new Date().toISOString();
const record = (fields: Record<string, unknown>) => `${JSON.stringify({ user: 'mallory', tty: '/dev/pts/4', host: hostname(), since: NOW(), ...fields })}\n`;

interface LockCase {
  name: string;
  /** The lock file's bytes (given the pid of a running process). */
  lock: (livePid: number) => string;
  /** Seconds to age the lock file by. */
  ageSeconds?: number;
  taken: boolean;
  message?: RegExp;
}

const LOCK_CASES: LockCase[] = [
  { name: 'an empty lock file (a competitor between create and write, old style)', lock: () => '', taken: false, message: /holder cannot be read \(the file is empty or incomplete\)\. It is treated as held/ },
  { name: 'a half-written lock', lock: () => '{"user":"mallory","pid":12', taken: false, message: /holder cannot be read/ },
  { name: 'a complete record without its newline (torn)', lock: (pid) => record({ pid }).trimEnd(), taken: false, message: /holder cannot be read/ },
  { name: 'a record with a pid that is not a number', lock: () => record({ pid: 'x' }), taken: false, message: /holder cannot be read/ },
  { name: `an empty lock file older than ${UNREADABLE_BOUND_S / 60} minutes`, lock: () => '', ageSeconds: UNREADABLE_BOUND_S + 60, taken: true },
  { name: 'the lock of a dead pid on this host', lock: () => record({ pid: deadPid(), bootId: bootId(), startTicks: 1 }), taken: true },
  { name: 'the lock of a dead pid, old record format (no boot id, no start time)', lock: () => record({ pid: deadPid() }), taken: true },
  {
    name: 'the lock of a live pid with its start time',
    lock: (pid) => record({ pid, bootId: bootId(), startTicks: processStartTicks(pid) }),
    taken: false,
    message: /being edited by mallory on \/dev\/pts\/4 \(pid \d+ on .+\) since /,
  },
  { name: 'the lock of a live pid, old record format', lock: (pid) => record({ pid }), taken: false, message: /being edited by mallory/ },
  { name: 'a reused pid: live, but another start time than the holder had', lock: (pid) => record({ pid, bootId: bootId(), startTicks: processStartTicks(pid)! + 1 }), taken: true },
  { name: 'a live pid recorded during an earlier boot of this host', lock: (pid) => record({ pid, bootId: '00000000-0000-4000-8000-000000000000', startTicks: processStartTicks(pid) }), taken: true },
  {
    name: 'a fresh lock from another host (its pid cannot be checked here)',
    lock: () => record({ pid: 1, host: 'sensor-console-2', sshClient: '198.51.100.4' }),
    taken: false,
    message: /being edited by mallory from 198\.51\.100\.4 \(pid 1 on sensor-console-2\)/,
  },
  {
    name: `a lock from another host older than ${REMOTE_HOLDER_BOUND_S / 3600} hour`,
    lock: () => record({ pid: 1, host: 'sensor-console-2', since: new Date(Date.now() - (REMOTE_HOLDER_BOUND_S + 60) * 1000).toISOString() }),
    taken: true,
  },
];

describe('every kind of lock file: taken over only when its holder is provably gone', () => {
  // Concurrent: each case has its own state directory and its own CLI process.
  it.concurrent.each(LOCK_CASES)('$name', async ({ lock, ageSeconds, taken, message }) => {
    const { dir, lockPath, stateBytes, cleanup } = await freshSimulator();
    const live = sleeper();
    try {
      const bytes = lock(live.pid);
      writeFileSync(lockPath, bytes);
      if (ageSeconds) {
        const then = Date.now() / 1000 - ageSeconds;
        utimesSync(lockPath, then, then);
      }
      const before = stateBytes();
      const result = await runOtshell(['network', 'edit-settings', '--dns', '10.1.0.9', '--yes'], { stateDir: dir });
      expectNoStackTrace(result.stderr);
      if (taken) {
        expectExit(result.exitCode, 0);
        expect(result.stdout).toBe('Settings saved. They take effect after a restart: run "system reboot".');
        expect(auditEntries(dir).map((e) => e.new.dns)).toEqual([['10.1.0.9']]);
        expect(existsSync(lockPath)).toBe(false);
        expect(readdirSync(dir).filter((n) => n.includes('takeover'))).toEqual([]);
      } else {
        expectExit(result.exitCode, 75);
        expect(result.stderr).toMatch(message!);
        expect(stateBytes()).toEqual(before);
        expect(readFileSync(lockPath, 'utf8')).toBe(bytes); // a respected lock is left exactly as it was
        expect(auditEntries(dir)).toEqual([]);
      }
      expect(tempFiles(dir)).toEqual([]);
    } finally {
      live.stop();
      cleanup();
    }
  });

  it('a stale lock whose takeover marker was left by a taker that died: still taken over, both removed', async () => {
    const { dir, lockPath, cleanup } = await freshSimulator();
    const stale = { user: 'mallory', pid: deadPid(), host: hostname(), since: NOW(), id: 'aaaaaaaaaaaaaaaa' };
    writeFileSync(lockPath, `${JSON.stringify(stale)}\n`);
    writeFileSync(`${lockPath}.takeover-aaaaaaaaaaaaaaaa`, record({ pid: deadPid(), id: 'bbbbbbbbbbbbbbbb' }));
    const result = await runOtshell(['network', 'edit-settings', '--dns', '10.1.0.9', '--yes'], { stateDir: dir });
    expectExit(result.exitCode, 0);
    expect(readdirSync(dir).filter((n) => n.includes('lock'))).toEqual([]);
    cleanup();
  });
});

describe('the takeover race', () => {
  it('2 x 20 processes take over the same stale lock at once: never two holders', async () => {
    const { dir, lockPath, cleanup } = await freshSimulator();
    const holding = join(dir, 'HOLDING');
    let won = 0;
    for (let group = 0; group < 2; group += 1) {
      writeFileSync(lockPath, record({ pid: deadPid(), bootId: bootId(), startTicks: 1 }));
      const lines: string[] = [];
      const ready: Promise<void>[] = [];
      const children = [];
      for (let i = 0; i < 20; i += 1) {
        let markReady!: () => void;
        ready.push(new Promise<void>((resolve) => (markReady = resolve)));
        children.push(
          await spawnWorker(
            { mode: 'race', target: 'simulator', stateDir: dir, user: `racer${group}-${i}`, holding },
            { onLine: (line) => (line === 'ready' ? markReady() : lines.push(line)) },
          ),
        );
      }
      await Promise.all(ready);
      for (const child of children) child.stdin!.write('go\n');
      await Promise.all(children.map(exited));
      expect(lines.filter((l) => l.startsWith('DOUBLE'))).toEqual([]);
      expect(lines).toHaveLength(20);
      expect(lines.every((l) => l === 'won' || l === 'held 75')).toBe(true);
      const winners = lines.filter((l) => l === 'won').length;
      expect(winners).toBeGreaterThanOrEqual(1);
      won += winners;
    }
    expect(existsSync(lockPath)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('takeover') || n.endsWith('.tmp'))).toEqual([]);
    console.log(`takeover race: ${won} sequential winners of 40, never two at once`);
    cleanup();
  }, 60_000);
});

describe('every state change takes the same lock', () => {
  it('reboot racing 19 editors (simulator): the reboot never writes old settings back over a fresh change', async () => {
    const { dir, sim, cleanup } = await freshSimulator();
    const pool = await EditorPool.start(20, (i) =>
      i === 0
        ? { mode: 'editor', target: 'simulator', stateDir: dir, user: 'rebooter', rebooterClock: true }
        : { mode: 'editor', target: 'simulator', stateDir: dir, user: `editor${i}` },
    );
    const ROUNDS = 5;
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        const answers = await pool.round(round, (i) => (i === 0 ? ['system', 'reboot', '--yes'] : ['network', 'edit-settings', '--dns', `10.${round}.${i}.53`, '--yes']));
        for (const answer of answers) expect(answer.exitCode).toBe(0);
      }
    } finally {
      await pool.stop();
    }
    const entries = auditEntries(dir);
    expect(entries).toHaveLength(19 * ROUNDS);
    expectChained(entries, (s) => s.dns, ['10.1.0.2']);
    const after = JSON.parse(readFileSync(sim.statePath, 'utf8'));
    expect(after.pendingSettings ?? after.settings).toEqual(entries.at(-1)!.new);
    cleanup();
  }, 60_000);

  // Concurrent: each case has its own state directory and its own CLI process.
  it.concurrent.each([
    { name: 'otshell --reset-simulator', args: ['--reset-simulator'] },
    { name: 'otshell --power-on', args: ['--power-on'] },
    { name: 'network confirm', args: ['network', 'confirm'] },
    { name: 'system reboot --yes', args: ['system', 'reboot', '--yes'] },
    { name: 'system shutdown --yes', args: ['system', 'shutdown', '--yes'] },
    { name: 'network edit-settings --yes', args: ['network', 'edit-settings', '--dns', '10.1.0.9', '--yes'] },
  ])('$name is refused (75, naming the holder) while another session holds the lock, and changes nothing', async ({ args }) => {
    const { dir, sim, stateBytes, cleanup } = await freshSimulator();
    if (args[0] === '--power-on') {
      await sim.shutdown({ user: 'setup' });
    }
    // Alice's session (this test process: alive) holds the lock; power-on needs it while the sensor is off.
    const { lockPath } = { lockPath: join(dir, 'edit-settings.lock') };
    writeFileSync(lockPath, record({ user: 'alice', tty: undefined, sshClient: '192.0.2.7', pid: process.pid, bootId: bootId(), startTicks: processStartTicks(process.pid) }));
    try {
      const before = stateBytes();
      const result = await runOtshell(args, { stateDir: dir });
      expectNoStackTrace(result.stderr);
      expectExit(result.exitCode, 75);
      expect(result.stderr).toMatch(/being edited by alice from 192\.0\.2\.7 \(pid \d+ on .+\) since \d{4}-/);
      expect(stateBytes()).toEqual(before);
      expect(readdirSync(dir).filter((n) => n.startsWith('simulator.json.bad'))).toEqual([]);
      expect(existsSync(lockPath)).toBe(true);
    } finally {
      cleanup();
    }
  });
});

// Hostile suite, class 5: environment errors are not bugs. A state directory that is
// a file, without permission, full, read-only, or holding a directory where a file
// should be: each is exit 78 with one line naming the path and what is wrong, and
// nothing in the state directory changes. Runs the built bin/otshell.js for real:
// as an unprivileged user (setpriv) and inside private mount namespaces (unshare).
import { execa } from 'execa';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runOtshell } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tool.js';
import { expectExit, expectNoStackTrace } from './helpers.js';
import { EXIT } from '../../src/errors.js';
import { describeFailure } from '../../src/commands/execute.js';
import { saveHistory } from '../../src/cli/history-file.js';
import { LinuxAdapter, parsePendingChange } from '../../src/system/linux/linux-adapter.js';
import type { Runner } from '../../src/system/linux/runner.js';
import { defaultSimulatorState } from '../../src/system/simulator/state.js';

const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

/** Root is needed for setpriv and mount namespaces; locally the suite may skip, in CI it must run. */
function skipUnlessRoot(): boolean {
  if (process.getuid?.() === 0 && !skipWithout('setpriv', ['--version']) && !skipWithout('unshare', ['--version'])) return false;
  if (process.env.CI === 'true') throw new Error('test/hostile/environment-errors.test.ts needs root in CI');
  console.warn('skipping: environment-error cases need root (setpriv, unshare --mount); they run in CI');
  return true;
}
const noRoot = skipUnlessRoot();

const base = mkdtempSync(join(tmpdir(), 'otshell-env-'));
chmodSync(base, 0o755); // nobody must reach the directories below
afterAll(() => rmSync(base, { recursive: true, force: true }));
let counter = 0;
function freshDir(): string {
  const dir = join(base, `case-${counter++}`);
  mkdirSync(dir, { mode: 0o755 });
  return dir;
}

/** Every path under `dir` with its mode and bytes: "nothing changed" means this is equal. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string) => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) {
      out[path] = 'link';
    } else if (st.isDirectory()) {
      out[path] = `dir ${st.mode.toString(8)}`;
      for (const name of readdirSync(path)) walk(join(path, name));
    } else {
      out[path] = `file ${st.mode.toString(8)} ${readFileSync(path).toString('base64')}`;
    }
  };
  walk(dir);
  return out;
}

/** A simulator state file, as a first run writes it. */
function writeState(dir: string, mode = 0o644): string {
  const path = join(dir, 'simulator.json');
  writeFileSync(path, `${JSON.stringify(defaultSimulatorState(), null, 2)}\n`, { mode });
  chmodSync(path, mode);
  return path;
}

async function asNobody(stateDir: string, args: string[]) {
  const r = await execa('setpriv', [...NOBODY, 'node', BIN, '--state-dir', stateDir, ...args], {
    reject: false,
    timeout: 20_000,
    input: '',
    cwd: '/',
    env: { LANG: 'C.UTF-8', NO_COLOR: '1', HOME: '/nonexistent', PATH: process.env.PATH },
    extendEnv: false,
  });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? -1 };
}

/**
 * Runs `setup` (sh, with $D a fresh tmpfs of `size`) then otshell with `args`, all in a
 * private mount namespace that ends with the process. Returns otshell's result and a
 * listing (path, size, mode, sha256) of $D before and after it ran.
 */
async function inPrivateTmpfs(size: string, setup: string, args: string[]) {
  const work = freshDir();
  const mountPoint = join(work, 'mnt');
  mkdirSync(mountPoint);
  const list = `(cd "$D" && find . -printf '%p %s %m\\n' | sort && find . -type f -exec sha256sum {} + | sort)`;
  const script = [
    'set -e',
    `mount -t tmpfs -o size=${size},mode=0755 tmpfs "$D"`,
    setup,
    `${list} > "$W/before"`,
    'set +e',
    `node "$BIN" --state-dir "$D" "$@" > "$W/stdout" 2> "$W/stderr"; echo $? > "$W/code"`,
    `${list} > "$W/after"`,
  ].join('\n');
  const r = await execa('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', ...args], {
    reject: false,
    timeout: 30_000,
    env: { D: mountPoint, W: work, BIN, LANG: 'C.UTF-8', NO_COLOR: '1' },
  });
  expect(r.exitCode, `namespace setup failed: ${r.stderr}`).toBe(0);
  const read = (name: string) => readFileSync(join(work, name), 'utf8');
  return {
    dir: mountPoint,
    exitCode: Number(read('code')),
    stdout: read('stdout').trimEnd(),
    stderr: read('stderr').trimEnd(),
    before: read('before'),
    after: read('after'),
  };
}

/** The one line a user sees, and the code. */
function expectFailure(r: { exitCode: number; stdout: string; stderr: string }, message: string, code: number = EXIT.CONFIG) {
  expectExit(r.exitCode, code);
  expect(r.stderr).toBe(message);
  expect(r.stdout).toBe('');
  expectNoStackTrace(r.stderr);
}

describe.skipIf(noRoot).concurrent('state directory unusable: exit 78 naming the path (class 5)', () => {
  it('--state-dir is a regular file: "is not a directory", no --reset-simulator hint', async () => {
    const file = join(freshDir(), 'plain-file');
    writeFileSync(file, 'not a directory\n');
    const r = await runOtshell(['network', 'list'], { stateDir: file });
    expectFailure(r, `Cannot read ${file}/simulator.json: ${file} is not a directory.`);
    expect(readFileSync(file, 'utf8')).toBe('not a directory\n');
  });

  it('--state-dir below a regular file names the file', async () => {
    const dir = freshDir();
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const before = snapshot(dir);
    const r = await runOtshell(['system', 'sanity'], { stateDir: join(file, 'sub', 'dir') });
    expectFailure(r, `Cannot read ${file}/sub/dir/simulator.json: ${file} is not a directory.`);
    expect(snapshot(dir)).toEqual(before);
  });

  it('edit-settings with the state dir a file: 78 before any question', async () => {
    const file = join(freshDir(), 'plain-file');
    writeFileSync(file, '');
    const r = await runOtshell(['network', 'edit-settings', '--ip', '10.1.0.30', '--yes'], { stateDir: file });
    // The session reads the simulated users (the state file) before any command runs.
    expectFailure(r, `Cannot read ${file}/simulator.json: ${file} is not a directory.`);
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it('--reset-simulator with the state dir a file', async () => {
    const file = join(freshDir(), 'plain-file');
    writeFileSync(file, 'keep');
    const r = await runOtshell(['--reset-simulator'], { stateDir: file });
    // A reset is a state change: it takes the edit lock first.
    expectFailure(r, `Cannot read ${file}/edit-settings.lock: ${file} is not a directory.`);
    expect(readFileSync(file, 'utf8')).toBe('keep');
  });

  it('a symbolic link loop as the state dir', async () => {
    const dir = freshDir();
    const loop = join(dir, 'loop');
    symlinkSync(loop, loop);
    const before = snapshot(dir);
    const r = await runOtshell(['network', 'list'], { stateDir: loop });
    expectFailure(r, `Cannot read ${loop}/simulator.json: too many symbolic links.`);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a directory where the state file should be', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'simulator.json'));
    const before = snapshot(dir);
    const r = await runOtshell(['network', 'list'], { stateDir: dir });
    expectFailure(
      r,
      `The simulator state file ${dir}/simulator.json is a directory. ` +
        `Start a fresh simulated sensor with "otshell --state-dir ${dir} --reset-simulator" (the old file is kept beside it as a .bad copy).`,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('a directory where the audit log should be: system audit', async () => {
    const dir = freshDir();
    writeState(dir);
    mkdirSync(join(dir, 'audit.jsonl'));
    const before = snapshot(dir);
    const r = await runOtshell(['system', 'audit'], { stateDir: dir });
    expectFailure(r, `Cannot read ${dir}/audit.jsonl: is a directory.`);
    expect(snapshot(dir)).toEqual(before);
  });

  it('no permission: a root-only state directory, as nobody', async () => {
    const dir = freshDir();
    writeState(dir);
    chmodSync(dir, 0o700);
    const before = snapshot(dir);
    const r = await asNobody(dir, ['network', 'list']);
    expectFailure(r, `Cannot read ${dir}/simulator.json: permission denied.`);
    expect(snapshot(dir)).toEqual(before);
  });

  it('no permission to create the state file, as nobody', async () => {
    const dir = freshDir();
    const before = snapshot(dir);
    const r = await asNobody(dir, ['network', 'list']);
    expectFailure(r, `Cannot write ${dir}/simulator.json: permission denied.`);
    expect(snapshot(dir)).toEqual(before);
  });

  it('an unreadable state file, as nobody', async () => {
    const dir = freshDir();
    writeState(dir, 0o600);
    const before = snapshot(dir);
    const r = await asNobody(dir, ['system', 'sanity', '--json']);
    expectFailure(r, `Cannot read ${dir}/simulator.json: permission denied.`);
    expect(snapshot(dir)).toEqual(before);
  });

  it('an audit log nobody may read: system audit', async () => {
    const dir = freshDir();
    writeState(dir);
    writeFileSync(join(dir, 'audit.jsonl'), '', { mode: 0o600 });
    const before = snapshot(dir);
    const r = await asNobody(dir, ['system', 'audit', '--last', '3']);
    expectFailure(r, `Cannot read ${dir}/audit.jsonl: permission denied.`);
    expect(snapshot(dir)).toEqual(before);
  });

  it('no permission to take the edit lock, as nobody: nothing applied', async () => {
    const dir = freshDir();
    writeState(dir);
    const before = snapshot(dir);
    const r = await asNobody(dir, ['network', 'edit-settings', '--ip', '10.1.0.30', '--yes']);
    expectFailure(r, `Cannot create ${dir}/edit-settings.lock: permission denied.`);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a state directory whose parent nobody may enter', async () => {
    const dir = freshDir();
    const inner = join(dir, 'inner');
    mkdirSync(inner);
    chmodSync(dir, 0o700);
    const r = await asNobody(inner, ['network', 'list']);
    expectFailure(r, `Cannot read ${inner}/simulator.json: permission denied.`);
    expect(readdirSync(inner)).toEqual([]);
  });

  it('no space left: the first state file cannot be written (ENOSPC), no temp file left', async () => {
    const r = await inPrivateTmpfs('8k', 'dd if=/dev/zero of="$D/filler" bs=4k count=2 2>/dev/null || true', ['network', 'list']);
    expectFailure(r, `Cannot write ${r.dir}/simulator.json: no space left on the device.`);
    expect(r.after).toBe(r.before);
  });

  it('no space left: power-on cannot save the booted sensor', async () => {
    const state = JSON.stringify({ ...defaultSimulatorState(), poweredOff: true }).replace(/'/g, "'\\''");
    const r = await inPrivateTmpfs(
      '8k',
      `printf '%s\\n' '${state}' > "$D/simulator.json"\ndd if=/dev/zero of="$D/filler" bs=4k count=2 2>/dev/null || true`,
      ['--power-on'],
    );
    // Powering on is a state change: the edit lock is taken first, and cannot be written either.
    expectFailure(r, `Cannot create ${r.dir}/edit-settings.lock: no space left on the device.`);
    expect(r.after).toBe(r.before);
  });

  it('read-only file system: a fresh state dir cannot be initialised (EROFS)', async () => {
    const r = await inPrivateTmpfs('64k', 'mount -o remount,ro "$D"', ['system', 'sanity']);
    expectFailure(r, `Cannot write ${r.dir}/simulator.json: read-only file system.`);
    expect(r.after).toBe(r.before);
  });

  it('read-only file system: edit-settings cannot take its lock, nothing applied', async () => {
    const r = await inPrivateTmpfs('64k', 'node "$BIN" --state-dir "$D" network list > /dev/null\nmount -o remount,ro "$D"', [
      'network',
      'edit-settings',
      '--ip',
      '10.1.0.30',
      '--yes',
    ]);
    expectFailure(r, `Cannot create ${r.dir}/edit-settings.lock: read-only file system.`);
    expect(r.after).toBe(r.before);
  });

  it('read-only file system: reading commands still work', async () => {
    const r = await inPrivateTmpfs('64k', 'node "$BIN" --state-dir "$D" network list > /dev/null\nmount -o remount,ro "$D"', [
      'network',
      'list',
      'eth0',
    ]);
    expectExit(r.exitCode, EXIT.OK);
    expect(r.stdout).toMatch(/^eth0: flags=/);
    expect(r.stderr).toBe('');
    expect(r.after).toBe(r.before);
  });
});

describe('environment errors in-process (class 5)', () => {
  it('the history file under a file named "history": 78 naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otshell-hist-'));
    try {
      writeFileSync(join(dir, 'history'), 'a file');
      const error = await saveHistory(join(dir, 'history', 'root'), ['network list']).catch((e: unknown) => e);
      const outcome = describeFailure(error);
      expectExit(outcome.exitCode, EXIT.CONFIG);
      expect(outcome.text).toBe(`Cannot write ${dir}/history/root: ${dir}/history is not a directory.`);
      expect(readFileSync(join(dir, 'history'), 'utf8')).toBe('a file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['not JSON', '{"id": "ab'],
    ['JSON but not the record', '[1,2,3]'],
    ['a field missing', '{"id":"abcd1234","revertAt":"x"}'],
    ['null', 'null'],
  ])('a corrupt confirm marker (%s): 78 naming the file', (_name, text) => {
    const path = '/var/lib/otshell/pending-confirmation.json';
    const outcome = describeFailure(captureThrow(() => parsePendingChange(path, text)));
    expectExit(outcome.exitCode, EXIT.CONFIG);
    expect(outcome.text).toBe(
      `The confirm-or-revert marker ${path} is corrupt (not the record otshell writes). Check the network settings, then remove the file.`,
    );
  });
});

describe('a corrupt confirm marker through the Linux adapter (class 5)', () => {
  const MARKER = '/var/lib/otshell/pending-confirmation.json'; // the default state dir of a real target
  /**
   * A root session on a host whose only file is the marker; records every change it is asked
   * for. Taking and releasing the edit lock is bookkeeping, not a change to the sensor: not recorded.
   */
  function hostWithMarker(text: string) {
    const changes: string[] = [];
    const runner = {
      target: 'local',
      async readFile(path: string) {
        if (path === '/proc/self/status') return 'Name:\tnode\nUid:\t0\t0\t0\t0\nCapEff:\t000001ffffffffff\n';
        return path === MARKER ? text : null;
      },
      async canWrite() {
        return true;
      },
      async run(command: string, args: string[]) {
        changes.push([command, ...args].join(' '));
        return { stdout: '', stderr: '', exitCode: 1 };
      },
      async rename(from: string, to: string) {
        changes.push(`rename ${from} ${to}`);
        return true;
      },
      async remove(path: string) {
        if (!path.endsWith('.lock')) changes.push(`remove ${path}`);
      },
      async writeFileAtomic(path: string) {
        changes.push(`write ${path}`);
      },
      async createExclusive(path: string) {
        if (!path.endsWith('.lock')) changes.push(`create ${path}`);
        return true;
      },
      async ageSeconds() {
        return null;
      },
      async checkAppendable() {},
      async close() {},
    } as unknown as Runner;
    return { adapter: new LinuxAdapter(runner), changes };
  }
  const message = `The confirm-or-revert marker ${MARKER} is corrupt (not the record otshell writes). Check the network settings, then remove the file.`;

  it.each(['{"id": "ab', '[]', '{"revertAt": 5}'])('network confirm with marker %j: 78, nothing touched', async (text) => {
    const { adapter, changes } = hostWithMarker(text);
    const outcome = describeFailure(await adapter.confirmNetworkSettings().catch((e: unknown) => e));
    expectExit(outcome.exitCode, EXIT.CONFIG);
    expect(outcome.text).toBe(message);
    expect(changes).toEqual([]);
  });

  it('edit-settings while a corrupt marker waits: 78, nothing touched', async () => {
    const { adapter, changes } = hostWithMarker('\u0000\u0000garbage');
    const settings = { managementInterface: 'eth0', ip: '10.1.0.30', prefixLength: 24, gateway: '10.1.0.1', dns: ['10.1.0.2'], inputInterfaces: [], bridgeInterface: null };
    const outcome = describeFailure(await adapter.applyNetworkSettings(settings).catch((e: unknown) => e));
    expectExit(outcome.exitCode, EXIT.CONFIG);
    expect(outcome.text).toBe(message);
    expect(changes).toEqual([]);
  });
});

function captureThrow(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

// Issue 12, network capture-check: hostile interface names, durations and
// --save paths. Every refusal is one line, the documented exit code, nothing
// written, and no capture started.
import { describe, expect, it, afterAll } from 'vitest';
import { execa } from 'execa';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, runOtshell, tempStateDir } from '../helpers/cli.js';
import { skipBecause, skipWithout } from '../helpers/tool.js';
import { EXIT } from '../../src/errors.js';
import { dumpcapArgs } from '../../src/system/linux/capture.js';
import { expectExit, expectNoStackTrace, RAW_CONTROL } from './helpers.js';

const state = tempStateDir();
const work = mkdtempSync(join(tmpdir(), 'otshell-save-'));
afterAll(() => {
  state.cleanup();
  rmSync(work, { recursive: true, force: true });
});
const run = (args: string[]) => runOtshell(['network', 'capture-check', ...args], { stateDir: state.dir });

describe('capture-check: hostile interface names', () => {
  it.each([
    ['starting with "-" (after --)', ['--', '-i'], 'No interface named "-i"; interfaces: eth0, eth1, eth2, eth3, lo.'],
    ['an option-like name dumpcap would take', ['--', '-w/tmp/x'], 'No interface named "-w/tmp/x"; interfaces: eth0, eth1, eth2, eth3, lo.'],
    ['path traversal', ['../../etc/passwd'], 'No interface named "../../etc/passwd"; interfaces: eth0, eth1, eth2, eth3, lo.'],
    ['named twice', ['eth1', 'eth1'], 'Interface eth1 is named twice.'],
  ])('%s: refused before any capture, exit 64', async (_what, args, message) => {
    const r = await run([...args, '--seconds', '1']);
    expectExit(r.exitCode, EXIT.USAGE);
    expect(r.stderr).toBe(message);
    expect(r.stdout).toBe('');
  });

  it('control bytes in a name are shown escaped, never raw', async () => {
    const r = await run(['eth1\u001b]0;pwned\u0007\u009b2J', '--seconds', '1']);
    expectExit(r.exitCode, EXIT.USAGE);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toBe('No interface named "eth1\\x1b]0;pwned\\x07\\x9b2J"; interfaces: eth0, eth1, eth2, eth3, lo.');
  });

  it('a 1 MB name (piped: argv cannot hold it) is cut, not echoed', async () => {
    const r = await runOtshell([], { stateDir: state.dir, input: `network capture-check ${'e'.repeat(1_000_000)} --seconds 1\n` });
    expectExit(r.exitCode, EXIT.USAGE);
    expect(r.stderr.length).toBeLessThan(400);
    expect(r.stderr).toMatch(/No interface named "e{40}\.\.\.\[999960 more characters\]"/);
    expectNoStackTrace(r.stderr);
  });

  it('dumpcap never gets a name that could be an option (the real-host path checks again)', () => {
    for (const name of ['-i', '--help', '-w', '', 'a b', 'x'.repeat(16), 'eth1\n']) expect(() => dumpcapArgs(name, 5)).toThrow(/not a valid interface name/);
    expect(dumpcapArgs('eth1', 5)).toEqual(['-q', '-n', '-i', 'eth1', '-a', 'duration:5', '-w', '-']);
  });
});

describe('capture-check: hostile --seconds', () => {
  it.each(['0', '-5', '1e3', '86401', '99999999999', '1.5', ' 5', '0x10'])('--seconds %j: exit 64, one line', async (value) => {
    const r = await run(['eth1', `--seconds=${value}`]);
    expectExit(r.exitCode, EXIT.USAGE);
    expect(r.stderr).toBe(`--seconds must be a whole number from 1 to 86400, not "${value}".`);
  });
});

describe('capture-check: --save into a path it must not write', () => {
  const victim = join(work, 'victim.txt');
  writeFileSync(victim, 'keep me\n');
  const before = () => readdirSync(work).sort();

  it.each([
    ['a symlink to a file', () => {
      const p = join(work, 'link.pcapng');
      symlinkSync(victim, p);
      return p;
    }, 'is a symbolic link'],
    ['a dangling symlink', () => {
      const p = join(work, 'dangling.pcapng');
      symlinkSync(join(work, 'nowhere', 'x'), p);
      return p;
    }, 'is a symbolic link'],
    ['a directory', () => {
      const p = join(work, 'adir');
      mkdirSync(p);
      return p;
    }, 'is a directory'],
    ['an existing file', () => victim, 'exists'],
  ])('%s: refused, nothing written, nothing left behind', async (_what, make, why) => {
    const path = make();
    const listing = before();
    const r = await run(['eth1', '--seconds', '1', '--save', path]);
    expectExit(r.exitCode, EXIT.PROBLEM);
    expect(r.stderr).toBe(`--save ${path}: ${why}; otshell writes a new file only (choose another name).`);
    expect(r.stdout).toBe('');
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(before()).toEqual(listing);
  });

  it('a missing directory: refused', async () => {
    const r = await run(['eth1', '--seconds', '1', '--save', join(work, 'no-such-dir', 'x.pcapng')]);
    expectExit(r.exitCode, EXIT.PROBLEM);
    expect(r.stderr).toBe(`--save ${join(work, 'no-such-dir', 'x.pcapng')}: the directory does not exist.`);
  });

  it('--save with no value and an empty value: one clear line', async () => {
    const empty = await run(['eth1', '--seconds', '1', '--save=']);
    expectExit(empty.exitCode, EXIT.USAGE);
    expect(empty.stderr).toBe('--save needs a file name, not an empty one.');
  });

  // Runs as root and drops to nobody with setpriv; without either it says so (and fails in CI).
  const notRoot = skipBecause(process.getuid?.() === 0 ? null : 'the non-root --save case needs root (it runs otshell as nobody with setpriv)') || skipWithout('setpriv', ['--version']);
  it.skipIf(notRoot)('as a user who is not root: another user\'s file and a directory it cannot write are refused', async () => {
    // a sticky world-writable directory (like /tmp) holding root's file
    const shared = join(work, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const rootsFile = join(shared, 'roots.pcapng');
    writeFileSync(rootsFile, 'root data\n');
    const closed = join(work, 'closed');
    mkdirSync(closed);
    chmodSync(closed, 0o755);
    const nobodyState = mkdtempSync(join(tmpdir(), 'otshell-nobody-'));
    chownSync(nobodyState, 65534, 65534);
    chmodSync(work, 0o755);
    try {
      const asNobody = (save: string) =>
        execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', 'node', BIN, '--state-dir', join(nobodyState, 's'), 'network', 'capture-check', 'eth1', '--seconds', '1', '--save', save], {
          reject: false,
          env: { LANG: 'C.UTF-8', NO_COLOR: '1' },
        });
      const other = await asNobody(rootsFile);
      expect(other.exitCode).toBe(EXIT.PROBLEM);
      expect(other.stderr).toBe(`--save ${rootsFile}: exists; otshell writes a new file only (choose another name).`);
      expect(readFileSync(rootsFile, 'utf8')).toBe('root data\n');
      const notWritable = await asNobody(join(closed, 'x.pcapng'));
      expect(notWritable.exitCode).toBe(EXIT.PROBLEM);
      expect(notWritable.stderr).toBe(`--save ${join(closed, 'x.pcapng')}: the directory is not writable.`);
      expect(readdirSync(closed)).toEqual([]);
    } finally {
      rmSync(nobodyState, { recursive: true, force: true });
    }
  });

  it('a good path: the file appears once, complete, with no temp files beside it', async () => {
    const out = join(work, 'good.pcapng');
    const r = await run(['eth1', '--seconds', '1', '--save', out]);
    expectExit(r.exitCode, EXIT.OK);
    expect(lstatSync(out).isFile()).toBe(true);
    expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(out)).toBe(true);
  });
});

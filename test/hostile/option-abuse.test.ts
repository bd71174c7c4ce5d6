// Hostile suite, class 4 (options run things): as a non-root user (setpriv), and
// as root emulating `sudo otshell` (SUDO_UID=N, in a private mount namespace
// whose /root is a throwaway directory), nothing outside the caller's own
// rights runs or is written. Root-only; locally skipped with the reason, in CI a failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../helpers/cli.js';
import { missingParts } from '../real-host/harness.js';
import { skipWithout } from '../helpers/tool.js';
import { expectExit, expectNoStackTrace } from './helpers.js';
import { ALLOWED_SSH_OPTION_KEYS } from '../../src/system/ssh-options.js';

const skip = missingParts(['root', 'ssh']) ?? (skipWithout('setpriv', ['--version']) || skipWithout('unshare', ['--version']) ? 'setpriv/unshare missing' : null);

/** A user with no passwd entry (numeric uid), and another one that "ran sudo -u". */
const USER = 64_321;
const OTHER = 64_322;
/** A port where nothing listens: if ssh ever ran, it would fail fast, after ProxyCommand had run. */
const TARGET = 'ssh://root@127.0.0.1:9';

type As =
  | { kind: 'root' }
  /** root with SUDO_UID: `sudo otshell` by that user. /root is a throwaway dir (private mount namespace). */
  | { kind: 'sudo'; sudoUid: number }
  /** setpriv --reuid: a plain user, optionally with SUDO_UID (`sudo -u` by another user). */
  | { kind: 'user'; uid: number; sudoUid?: number }
  /** setpriv --ruid only: real uid N, effective uid 0. */
  | { kind: 'ruid'; uid: number };

let work: string;
let rootHome: string;

async function otshell(args: string[], as: As, options: { env?: Record<string, string>; argv0?: string; cwd?: string; internalErrorExpected?: boolean } = {}) {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    HOME: join(work, 'invoker-home'),
    TMPDIR: join(work, 'tmp'),
    ...(as.kind === 'sudo' ? { SUDO_UID: String(as.sudoUid), SUDO_USER: 'support', SUDO_GID: String(as.sudoUid) } : {}),
    ...(as.kind === 'user' && as.sudoUid !== undefined ? { SUDO_UID: String(as.sudoUid), SUDO_USER: 'alice' } : {}),
    ...options.env,
  };
  // bash's exec -a sets argv0 (a login shell is started as "-otshell"); only then, as bash drops a differing euid.
  let command = options.argv0 ? ['bash', '-c', 'exec -a "$0" "$@"', options.argv0, 'node', BIN, ...args] : ['node', BIN, ...args];
  if (as.kind === 'sudo') command = ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$0" /root && exec "$@"', rootHome, ...command];
  if (as.kind === 'user') command = ['setpriv', `--reuid=${as.uid}`, `--regid=${as.uid}`, '--clear-groups', ...command];
  if (as.kind === 'ruid') command = ['setpriv', `--ruid=${as.uid}`, `--rgid=${as.uid}`, '--clear-groups', ...command];
  const result = await execa(command[0]!, command.slice(1), { env, extendEnv: false, reject: false, timeout: 20_000, input: '', cwd: options.cwd ?? work });
  const stderr = String(result.stderr);
  if (options.internalErrorExpected) expect(stderr).not.toMatch(/^\s+at .+[:(]/m);
  else expectNoStackTrace(stderr);
  return { stdout: String(result.stdout), stderr, exitCode: result.exitCode ?? -1 };
}

let counter = 0;
/** A fresh path under the world-writable work dir that must never come to exist. */
const marker = () => join(work, 'markers', `m${counter++}`);

const oneLine = (text: string) => {
  expect(text.trim().split('\n')).toHaveLength(1);
};

describe.skipIf(skip !== null)('hostile: options a caller cannot abuse', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'otshell-abuse-'));
    chmodSync(work, 0o755);
    for (const dir of ['markers', 'tmp', 'invoker-home']) {
      mkdirSync(join(work, dir));
      chmodSync(join(work, dir), 0o1777);
    }
    rootHome = join(work, 'root-home');
    mkdirSync(rootHome, { mode: 0o700 });
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('the probe works: ssh itself runs a ProxyCommand (so the cases below could fail)', async () => {
    const m = marker();
    await execa('ssh', ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', `ProxyCommand=touch ${m}`, 'root@127.0.0.1', 'true'], { reject: false, timeout: 10_000, stdin: 'ignore' });
    expect(existsSync(m)).toBe(true);
  });

  // Each forbidden key or smuggling form, as a plain non-root user (whose own options these are):
  // refused with exit 64 and one line naming the allowed keys; ssh never ran.
  const evilConfig = () => {
    const file = join(work, 'evil.conf');
    writeFileSync(file, `Host *\n  ProxyCommand touch ${join(work, 'markers', 'from-config')}\n`, { mode: 0o644 });
    return file;
  };
  const forbidden: [string, (m: string) => string[]][] = [
    ['ProxyCommand', (m) => [`ProxyCommand=touch ${m}`]],
    ['proxycommand (lower case)', (m) => [`proxycommand=touch ${m}`]],
    ['PROXYCOMMAND (upper case)', (m) => [`PROXYCOMMAND=touch ${m}`]],
    ['ProxyCommand in "Key Value" form', (m) => [`ProxyCommand touch ${m}`]],
    ['ProxyCommand with a blank before "="', (m) => [`ProxyCommand =touch ${m}`]],
    ['ProxyJump', () => ['ProxyJump=root@127.0.0.1:9']],
    ['LocalCommand', (m) => [`LocalCommand=touch ${m}`]],
    ['PermitLocalCommand then LocalCommand', (m) => ['PermitLocalCommand=yes', `LocalCommand=touch ${m}`]],
    ['KnownHostsCommand', (m) => [`KnownHostsCommand=/usr/bin/touch ${m}`]],
    ['Match exec (Key Value)', (m) => [`Match exec "touch ${m}"`]],
    ['Match=exec', (m) => [`Match=exec "touch ${m}"`]],
    ['Include', () => [`Include=${evilConfig()}`]],
    ['RemoteCommand', (m) => [`RemoteCommand=touch ${m}`]],
    ['LocalForward', () => ['LocalForward=127.0.0.1:40999 127.0.0.1:22']],
    ['RemoteForward', () => ['RemoteForward=40999 127.0.0.1:22']],
    ['DynamicForward', () => ['DynamicForward=40998']],
    ['ControlPath (creates a socket where the caller says)', (m) => [`ControlPath=${m}`]],
    ['ControlMaster', () => ['ControlMaster=yes']],
    ['PKCS11Provider', (m) => [`PKCS11Provider=${m}.so`]],
    ['SecurityKeyProvider', (m) => [`SecurityKeyProvider=${m}.so`]],
    ['SetEnv', () => ['SetEnv=LD_PRELOAD=/tmp/x.so']],
    ['SendEnv', () => ['SendEnv=*']],
    ['ForwardAgent', () => ['ForwardAgent=yes']],
    ['BatchMode=no (otshell never prompts)', () => ['BatchMode=no']],
    ['-F smuggled as an option', () => [`-F${evilConfig()}`]],
    ['a second -o smuggled as an option', (m) => [`-oProxyCommand=touch ${m}`]],
    ['a second -o after an allowed value', (m) => [`Port=22 -oProxyCommand=touch ${m}`]],
    ['a newline and a second config line', (m) => [`ConnectTimeout=5\nProxyCommand touch ${m}`]],
    ['a carriage return and a second config line', (m) => [`ConnectTimeout=5\rProxyCommand=touch ${m}`]],
    ['an ESC sequence in the value', () => ['LogLevel=ERROR\u001b]0;pwned\u0007']],
    ['a second key after an allowed list value', (m) => [`Ciphers=aes128-ctr ProxyCommand=touch ${m}`]],
    ['an allowed key with a quoted value', (m) => [`UserKnownHostsFile="${m}"`]],
  ];
  it.concurrent.each(forbidden)('--ssh-option %s: exit 64, one line naming the allowed keys, nothing ran', async (_label, make) => {
    const m = marker();
    const sshOptions = make(m).flatMap((o) => ['--ssh-option', o]);
    const tmp = mkdtempSync(join(work, 'tmp', 'case-'));
    chmodSync(tmp, 0o777);
    const result = await otshell(['--state-dir', join(tmp, 'state'), '--target', TARGET, ...sshOptions, 'network', 'list'], { kind: 'user', uid: USER }, { env: { TMPDIR: tmp } });
    expectExit(result.exitCode, 64);
    oneLine(result.stderr);
    expect(result.stderr).toMatch(/^--ssh-option( #\d)?(:| takes) .*Allowed keys: /);
    expect(result.stderr).toContain(ALLOWED_SSH_OPTION_KEYS.join(', '));
    expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(result.stdout).toBe('');
    expect(existsSync(m)).toBe(false);
    expect(existsSync(join(work, 'markers', 'from-config'))).toBe(false);
    expect(readdirSync(tmp)).toEqual([]); // no control dir, no state
  });

  it('--ssh-option -F... as a separate word: refused by the allow-list too (64, one line), nothing ran', async () => {
    const tmp = mkdtempSync(join(work, 'tmp', 'case-'));
    chmodSync(tmp, 0o777);
    const result = await otshell(['--state-dir', join(tmp, 'state'), '--target', TARGET, '--ssh-option', `-F${evilConfig()}`, 'network', 'list'], { kind: 'user', uid: USER }, { env: { TMPDIR: tmp } });
    expectExit(result.exitCode, 64);
    oneLine(result.stderr);
    expect(result.stderr).toMatch(/^--ssh-option takes Key=Value with one allowed key/);
    expect(existsSync(join(work, 'markers', 'from-config'))).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('--ssh-option ProxyCommand as root with SUDO_UID=0 (root invoker): still refused, 64', async () => {
    const m = marker();
    const result = await otshell(['--target', TARGET, '--ssh-option', `ProxyCommand=touch ${m}`, 'network', 'list'], { kind: 'sudo', sudoUid: 0 });
    expectExit(result.exitCode, 64);
    expect(result.stderr).toMatch(/^--ssh-option: ProxyCommand is not allowed/);
    expect(existsSync(m)).toBe(false);
  });

  // Under sudo as a non-root user: every steering option is refused (77), before anything runs.
  const refusedUnderSudo: [string, (m: string) => string[], string][] = [
    ['--config', (m) => ['--config', m, 'system', 'audit'], '--config'],
    ['--state-dir', (m) => ['--state-dir', m, 'system', 'audit'], '--state-dir'],
    ['--identity-file', (m) => ['--identity-file', m, 'system', 'audit'], '--identity-file'],
    ['--ssh-option (even an allowed key)', (m) => ['--ssh-option', `ProxyCommand=touch ${m}`, 'system', 'audit'], '--ssh-option'],
    ['--target ssh:// (root\'s keys)', () => ['--target', TARGET, 'network', 'list'], '--target ssh://'],
  ];
  it.concurrent.each(refusedUnderSudo)('sudo otshell %s by a non-root user: exit 77, one line, nothing written', async (_label, make, named) => {
    const m = marker();
    const result = await otshell(make(m), { kind: 'sudo', sudoUid: USER });
    expectExit(result.exitCode, 77);
    oneLine(result.stderr);
    expect(result.stderr).toMatch(new RegExp(`^otshell: ${named.replace(/[/]/g, '\\/')} is not allowed under sudo unless the invoking user is root`));
    expect(existsSync(m)).toBe(false);
    expect(result.stdout).toBe('');
  });

  it.concurrent.each([
    ['--state-dir', 'state-dir'],
    ['--config', 'config'],
  ])('sudo -u by another user (uid %s refused), as the non-root target user: exit 77', async (option) => {
    const m = marker();
    const result = await otshell([option, m, 'system', 'audit'], { kind: 'user', uid: USER, sudoUid: OTHER });
    expectExit(result.exitCode, 77);
    expect(result.stderr).toMatch(new RegExp(`^otshell: ${option} is not allowed under sudo`));
    expect(existsSync(m)).toBe(false);
  });

  it('real uid a user, effective uid root: a forged SUDO_UID=0 is not believed, --state-dir refused (77)', async () => {
    const m = marker();
    const result = await otshell(['--state-dir', m, 'system', 'audit'], { kind: 'ruid', uid: USER }, { env: { SUDO_UID: '0' } });
    expectExit(result.exitCode, 77);
    expect(result.stderr).toMatch(/^otshell: --state-dir is not allowed with a different effective user unless the invoking user is root/);
    expect(existsSync(m)).toBe(false);
  });

  it('a login shell (argv0 "-otshell") of a non-root user: --state-dir refused (77)', async () => {
    const m = marker();
    const result = await otshell(['--state-dir', m, 'system', 'audit'], { kind: 'user', uid: USER }, { argv0: '-otshell' });
    expectExit(result.exitCode, 77);
    expect(result.stderr).toMatch(/^otshell: --state-dir is not allowed as a login shell/);
    expect(existsSync(m)).toBe(false);
  });

  it('sudo otshell with OTSHELL_TARGET/OTSHELL_STATE_DIR/OTSHELL_CONFIG set: ignored with one line; the default state dir of root is used', async () => {
    const envDir = marker();
    const result = await otshell(['system', 'audit'], { kind: 'sudo', sudoUid: USER }, {
      env: { OTSHELL_TARGET: TARGET, OTSHELL_STATE_DIR: envDir, OTSHELL_CONFIG: join(envDir, 'c.yaml'), XDG_STATE_HOME: join(envDir, 'xdg') },
    });
    expectExit(result.exitCode, 0);
    expect(result.stderr).toBe('otshell: ignored OTSHELL_CONFIG, OTSHELL_STATE_DIR, OTSHELL_TARGET (the environment cannot steer otshell under sudo).');
    expect(result.stdout).toBe('No network settings changes have been applied yet.');
    expect(existsSync(envDir)).toBe(false);
    // root's own default (passwd home, not $HOME or $XDG_STATE_HOME): /root, here a throwaway bind mount.
    expect(readdirSync(join(rootHome, '.local/state/otshell'))).toContain('simulator.json');
    expect(readdirSync(join(work, 'invoker-home'))).toEqual([]);
  });

  it('sudo otshell with OTSHELL_DEBUG only: ignored, one line', async () => {
    const result = await otshell(['system', 'audit'], { kind: 'sudo', sudoUid: USER }, { env: { OTSHELL_DEBUG: '1' } });
    expectExit(result.exitCode, 0);
    expect(result.stderr).toBe('otshell: ignored OTSHELL_DEBUG (the environment cannot steer otshell under sudo).');
  });

  it('sudo otshell without OTSHELL_* set: nothing said about the environment', async () => {
    const result = await otshell(['system', 'audit'], { kind: 'sudo', sudoUid: USER });
    expectExit(result.exitCode, 0);
    expect(result.stderr).toBe('');
  });

  it('sudo otshell by root (SUDO_UID=0): --state-dir, --config, --ssh-option and OTSHELL_STATE_DIR are allowed', async () => {
    const dir = marker();
    // On the simulator the root-only options also need a simulated root user (--user cyberx): src/cli/session-setup.ts.
    const viaOption = await otshell(['--state-dir', dir, '--user', 'cyberx', '--config', join(dir, 'none.yaml'), '--ssh-option', 'ConnectTimeout=3', 'system', 'audit'], { kind: 'sudo', sudoUid: 0 });
    expectExit(viaOption.exitCode, 0);
    expect(viaOption.stderr).toBe('');
    expect(readdirSync(dir)).toContain('simulator.json');
    const envDir = marker();
    const viaEnv = await otshell(['system', 'audit'], { kind: 'sudo', sudoUid: 0 }, { env: { OTSHELL_STATE_DIR: envDir } });
    expectExit(viaEnv.exitCode, 0);
    expect(viaEnv.stderr).toBe('');
    expect(readdirSync(envDir)).toContain('simulator.json');
  });

  it('a plain non-root user with its own --state-dir: allowed (its own rights), files owned by it', async () => {
    const dir = marker();
    const result = await otshell(['--state-dir', dir, 'system', 'audit'], { kind: 'user', uid: USER });
    expectExit(result.exitCode, 0);
    expect(result.stderr).toBe('');
    expect(statSync(join(dir, 'simulator.json')).uid).toBe(USER);
  });

  it('a plain non-root user pointing --state-dir at a root-owned dir: refused by the kernel, nothing written, no stack trace', async () => {
    const dir = join(work, 'root-owned');
    mkdirSync(dir, { mode: 0o755 });
    const result = await otshell(['--state-dir', dir, 'system', 'audit'], { kind: 'user', uid: USER }, { internalErrorExpected: true });
    expectExit(result.exitCode, 78);
    expect(result.stderr).toMatch(/permission denied/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.concurrent.each(['--state-dir', '--config', '--identity-file'])('%s "" is a usage error (64); nothing is written in the current directory', async (option) => {
    const cwd = mkdtempSync(join(work, 'tmp', 'cwd-'));
    chmodSync(cwd, 0o777);
    const result = await otshell([option, '', 'system', 'audit'], { kind: 'user', uid: USER }, { cwd, env: { HOME: cwd } });
    expectExit(result.exitCode, 64);
    expect(result.stderr).toBe(`otshell: ${option} needs a path, not an empty value.`);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('OTSHELL_STATE_DIR="" is a usage error (64), not the current directory', async () => {
    const cwd = mkdtempSync(join(work, 'tmp', 'cwd-'));
    chmodSync(cwd, 0o777);
    const result = await otshell(['system', 'audit'], { kind: 'user', uid: USER }, { cwd, env: { OTSHELL_STATE_DIR: '', HOME: cwd } });
    expectExit(result.exitCode, 64);
    expect(result.stderr).toBe('otshell: OTSHELL_STATE_DIR is set but empty; give a path or unset it.');
    expect(readdirSync(cwd)).toEqual([]);
  });
});

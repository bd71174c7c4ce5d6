// The privilege policy (src/cli/privilege.ts) and the --ssh-option allow-list (src/system/ssh-options.ts).
import { describe, expect, it } from 'vitest';
import { assessPrivilege, isLoginShell, resolveSettings, type Privilege } from '../../src/cli/privilege.js';
import { ALLOWED_SSH_OPTION_KEYS, validateSshOptions, SshOptionError } from '../../src/system/ssh-options.js';
import { defaultStateDir } from '../../src/cli/environment.js';

const ids = (uid: number, euid = uid, gid = uid, egid = gid) => ({ uid, euid, gid, egid });

describe('assessPrivilege', () => {
  it('a plain user or plain root is not privileged', () => {
    expect(assessPrivilege(ids(1000), {}, 'node')).toEqual({ privileged: false, reason: '', invokerIsRoot: false });
    expect(assessPrivilege(ids(0), {}, 'node')).toEqual({ privileged: false, reason: '', invokerIsRoot: true });
  });
  it('sudo otshell by a user: privileged, the invoker is SUDO_UID', () => {
    expect(assessPrivilege(ids(0), { SUDO_UID: '1000' }, 'node')).toEqual({ privileged: true, reason: 'under sudo', invokerIsRoot: false });
    expect(assessPrivilege(ids(0), { SUDO_UID: '0' }, 'node')).toEqual({ privileged: true, reason: 'under sudo', invokerIsRoot: true });
  });
  it('sudo -u support by another user: privileged; a user sudo-ing to itself is not', () => {
    expect(assessPrivilege(ids(1001), { SUDO_UID: '1000' }, 'node')).toMatchObject({ privileged: true, invokerIsRoot: false });
    expect(assessPrivilege(ids(1000), { SUDO_UID: '1000' }, 'node')).toMatchObject({ privileged: false });
  });
  it('a SUDO_UID that is not a number under sudo: the invoker is not root', () => {
    expect(assessPrivilege(ids(0), { SUDO_UID: 'root' }, 'node')).toMatchObject({ privileged: true, invokerIsRoot: false });
    expect(assessPrivilege(ids(0), { SUDO_UID: '' }, 'node')).toMatchObject({ privileged: true, invokerIsRoot: false });
  });
  it('real and effective ids differ: privileged, the invoker is the real uid, SUDO_UID is not believed', () => {
    expect(assessPrivilege(ids(1000, 0), { SUDO_UID: '0' }, 'node')).toEqual({ privileged: true, reason: 'with a different effective user', invokerIsRoot: false });
    expect(assessPrivilege(ids(1000, 1000, 1000, 0), {}, 'node')).toMatchObject({ privileged: true, invokerIsRoot: false });
  });
  it('a login shell (argv0 "-otshell") is privileged; root logging in keeps its rights', () => {
    expect(isLoginShell('-otshell', {})).toBe(true);
    expect(isLoginShell('otshell', {})).toBe(false);
    expect(assessPrivilege(ids(1000), {}, '-otshell')).toEqual({ privileged: true, reason: 'as a login shell', invokerIsRoot: false });
    expect(assessPrivilege(ids(0), {}, '-otshell')).toMatchObject({ privileged: true, invokerIsRoot: true });
  });
});

const sudoUser: Privilege = { privileged: true, reason: 'under sudo', invokerIsRoot: false };
const sudoRoot: Privilege = { privileged: true, reason: 'under sudo', invokerIsRoot: true };
const plain: Privilege = { privileged: false, reason: '', invokerIsRoot: false };

describe('resolveSettings', () => {
  it.each([
    [{ config: '/tmp/c.yaml' }, '--config'],
    [{ 'state-dir': '/tmp/s' }, '--state-dir'],
    [{ 'identity-file': '/root/.ssh/id_ed25519' }, '--identity-file'],
    [{ 'ssh-option': ['Port=22'] }, '--ssh-option'],
    [{ target: 'ssh://root@10.0.0.1' }, '--target ssh://'],
  ])('under sudo as a user: %o is refused with 77', (globals, named) => {
    const result = resolveSettings(globals, {}, sudoUser);
    expect(result).toEqual({ refusal: expect.stringContaining(`otshell: ${named} is not allowed under sudo unless the invoking user is root`), exitCode: 77 });
    expect((result as { refusal: string }).refusal).not.toContain('\n');
  });
  it('names every refused option in one line', () => {
    expect(resolveSettings({ config: '/c', 'state-dir': '/s' }, {}, sudoUser)).toMatchObject({ refusal: expect.stringMatching(/^otshell: --config, --state-dir are not allowed/) });
  });
  it('under sudo as a user: simulator and local stay allowed', () => {
    expect(resolveSettings({ target: 'local' }, {}, sudoUser)).toMatchObject({ target: 'local', notice: null });
    expect(resolveSettings({ target: 'simulator' }, {}, sudoUser)).toMatchObject({ target: 'simulator', notice: null });
  });
  it('under sudo as a user: OTSHELL_* are ignored, with one line; nothing said when none is set', () => {
    const env = { OTSHELL_TARGET: 'ssh://root@10.0.0.1', OTSHELL_STATE_DIR: '/tmp/evil', OTSHELL_CONFIG: '/tmp/c', OTSHELL_DEBUG: '1', PATH: '/bin' };
    const result = resolveSettings({}, env, sudoUser);
    expect(result).toEqual({
      target: 'simulator',
      stateDir: undefined,
      configPath: undefined,
      sshOptions: [],
      identityFile: undefined,
      env: { PATH: '/bin' },
      notice: 'otshell: ignored OTSHELL_CONFIG, OTSHELL_DEBUG, OTSHELL_STATE_DIR, OTSHELL_TARGET (the environment cannot steer otshell under sudo).',
    });
    expect(resolveSettings({}, { PATH: '/bin' }, sudoUser)).toMatchObject({ notice: null, env: { PATH: '/bin' } });
  });
  it('root under sudo, and a plain user, keep options and environment', () => {
    const globals = { config: '/c', 'state-dir': '/s', 'ssh-option': ['Port=2222'], 'identity-file': '/k', target: 'ssh://root@h' };
    for (const privilege of [sudoRoot, plain]) {
      expect(resolveSettings(globals, {}, privilege)).toMatchObject({ target: 'ssh://root@h', stateDir: '/s', configPath: '/c', sshOptions: ['Port=2222'], identityFile: '/k', notice: null });
      expect(resolveSettings({}, { OTSHELL_TARGET: 'local', OTSHELL_STATE_DIR: '/e' }, privilege)).toMatchObject({ target: 'local', stateDir: '/e', notice: null });
    }
  });
  it.each(['state-dir', 'config', 'identity-file'] as const)('--%s "" is a usage error (64), for everyone', (option) => {
    for (const privilege of [plain, sudoRoot, sudoUser]) {
      expect(resolveSettings({ [option]: '' }, {}, privilege)).toEqual({ refusal: `otshell: --${option} needs a path, not an empty value.`, exitCode: 64 });
    }
  });
  it('an empty OTSHELL_STATE_DIR is a usage error too, not the current directory', () => {
    expect(resolveSettings({}, { OTSHELL_STATE_DIR: '' }, plain)).toMatchObject({ exitCode: 64 });
  });
});

describe('defaultStateDir', () => {
  it('in a privileged context ignores XDG_STATE_HOME and HOME', () => {
    const env = { XDG_STATE_HOME: '/tmp/xdg', HOME: '/tmp/home' };
    expect(defaultStateDir(env)).toBe('/tmp/xdg/otshell');
    expect(defaultStateDir(env, false)).not.toMatch(/^\/tmp\//);
    expect(defaultStateDir(env, false)).toMatch(/\/otshell$/);
  });
});

describe('--ssh-option allow-list', () => {
  it('accepts the allowed keys in any case, giving the canonical spelling', () => {
    expect(validateSshOptions(['port=2222', 'ConnectTimeout=5', 'ciphers=aes128-ctr,aes256-gcm@openssh.com', 'StrictHostKeyChecking=accept-new', 'UserKnownHostsFile=/tmp/kh', 'KexAlgorithms=-diffie-hellman-group1-sha1'])).toEqual([
      'Port=2222',
      'ConnectTimeout=5',
      'Ciphers=aes128-ctr,aes256-gcm@openssh.com',
      'StrictHostKeyChecking=accept-new',
      'UserKnownHostsFile=/tmp/kh',
      'KexAlgorithms=-diffie-hellman-group1-sha1',
    ]);
  });
  it('allows nothing that runs, forwards, loads or is otshell\'s own', () => {
    const lower = ALLOWED_SSH_OPTION_KEYS.map((k) => k.toLowerCase());
    for (const key of ['ProxyCommand', 'ProxyJump', 'LocalCommand', 'PermitLocalCommand', 'KnownHostsCommand', 'Match', 'Include', 'RemoteCommand', 'LocalForward', 'RemoteForward', 'DynamicForward', 'ControlPath', 'ControlMaster', 'ControlPersist', 'PKCS11Provider', 'SecurityKeyProvider', 'SetEnv', 'SendEnv', 'ForwardAgent', 'ForwardX11', 'Tunnel', 'BatchMode', 'IdentityFile', 'Hostname', 'User', 'RequestTTY', 'IdentityAgent', 'CertificateFile']) {
      expect(lower).not.toContain(key.toLowerCase());
    }
  });
  it.each([
    'ProxyCommand=touch /tmp/x',
    'proxycommand=touch /tmp/x',
    'ProxyCommand touch /tmp/x',
    '-oProxyCommand=x',
    '-F/tmp/evil',
    'Port=22 -oProxyCommand=x',
    'Port=22\nProxyCommand x',
    'LogLevel=ERROR\u001b]0;x\u0007',
    'Port=',
    '=22',
    ' Port=22',
    'Port =22',
    'Ciphers=aes128-ctr ProxyCommand=x',
    'UserKnownHostsFile=/a /b',
    'UserKnownHostsFile="/a"',
    'Port=99999',
    'Compression=maybe',
  ])('refuses %j with one line (exit 64) naming the allowed keys', (option) => {
    let error: unknown;
    try {
      validateSshOptions(['Port=22', option]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SshOptionError);
    expect((error as SshOptionError).exitCode).toBe(64);
    const message = (error as Error).message;
    expect(message).toMatch(/^--ssh-option #2(:| takes)/);
    expect(message).toContain(`Allowed keys: ${ALLOWED_SSH_OPTION_KEYS.join(', ')}.`);
    expect(message).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(message).not.toContain('/tmp/x');
  });
});

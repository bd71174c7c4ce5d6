// The privileged helper takes only the SystemAdapter's named operations, each
// with exactly its arguments, checked again with the editor's rules; every
// hostile request is refused with one line and nothing runs. In-process with a
// recording set of operations (so "nothing changed" is exact), then the real
// entry (bin/otshell-priv.js and its sh launcher) for what only a process shows.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { handleRequest, invokerFromSudo, type PrivilegedOperations } from '../../src/system/linux/privileged/helper.js';
import { MAX_REQUEST_BYTES } from '../../src/system/linux/privileged/requests.js';
import { EXIT } from '../../src/errors.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { expectNoStackTrace, RAW_CONTROL } from './helpers.js';

const GOOD_SETTINGS = {
  managementInterface: 'eth0',
  ip: '10.77.0.30',
  prefixLength: 24,
  gateway: '10.77.0.1',
  dns: ['10.77.0.2'],
  inputInterfaces: ['eth1'],
  bridgeInterface: null,
};

function recorder(roles: Record<string, 'viewer' | 'support' | 'root'> = { otsupport: 'support', otviewer: 'viewer' }) {
  const calls: string[] = [];
  const ops: PrivilegedOperations = {
    roleOf: async (user) => roles[user] ?? null,
    applyNetworkSettings: async (settings, by) => {
      calls.push(`apply ${settings.ip} by ${by.user}`);
      return { kind: 'applied' };
    },
    confirmNetworkSettings: async (by) => {
      calls.push(`confirm by ${by.user}`);
      return { confirmed: true, detail: 'confirmed' };
    },
    reboot: async (by) => void calls.push(`reboot by ${by.user}`),
    shutdown: async (by) => void calls.push(`shutdown by ${by.user}`),
    changePassword: async (user, _current, _next, by) => void calls.push(`password ${user} by ${by.user}`),
    recordSession: async (event) => void calls.push(`session ${event.kind} ${event.user} ${event.role} ${event.source}`),
  };
  return { ops, calls };
}

const SUPPORT = { uid: 41001, user: 'otsupport' };
const request = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('privileged helper: hostile requests are refused and nothing runs', () => {
  const cases: [string, Buffer, RegExp, number][] = [
    ['unknown operation', request({ op: 'exec', command: 'id' }), /unknown operation/, EXIT.USAGE],
    ['no operation', request({ settings: GOOD_SETTINGS }), /unknown operation/, EXIT.USAGE],
    ['operation of another type', request({ op: ['reboot'] }), /unknown operation/, EXIT.USAGE],
    ['a field too many', request({ op: 'reboot', force: true }), /"force" is not a field of this operation/, EXIT.USAGE],
    ['a field too many in the settings', request({ op: 'apply-network-settings', settings: { ...GOOD_SETTINGS, hostname: 'x' } }), /hostname/, EXIT.USAGE],
    ['a missing field', request({ op: 'apply-network-settings', settings: { ...GOOD_SETTINGS, gateway: undefined } }), /gateway/, EXIT.USAGE],
    ['__proto__ smuggling', request('{"op":"reboot","__proto__":{"admin":true}}'), /is not a field/, EXIT.USAGE],
    ['the network address as ip', request({ op: 'apply-network-settings', settings: { ...GOOD_SETTINGS, ip: '10.77.0.0' } }), /ip: /, EXIT.USAGE],
    ['a /32 prefix', request({ op: 'apply-network-settings', settings: { ...GOOD_SETTINGS, prefixLength: 32 } }), /prefixLength/, EXIT.USAGE],
    ['four DNS servers', request({ op: 'apply-network-settings', settings: { ...GOOD_SETTINGS, dns: ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4'] } }), /dns/, EXIT.USAGE],
    ['an interface name with a slash', request({ op: 'apply-network-settings', settings: { ...GOOD_SETTINGS, inputInterfaces: ['../eth1'] } }), /interface/, EXIT.USAGE],
    ['an option as interface name', request({ op: 'apply-network-settings', settings: { ...GOOD_SETTINGS, managementInterface: '-eth0' } }), /interface/, EXIT.USAGE],
    ['a confirm timeout out of range', request({ op: 'apply-network-settings', settings: GOOD_SETTINGS, confirmTimeoutSeconds: 1e9 }), /confirmTimeoutSeconds/, EXIT.USAGE],
    ['a password with a newline (a second chpasswd line)', request({ op: 'change-password', user: 'otsupport', current: 'Old#pass1', password: 'Aa1!aaaa\nroot:x' }), /password/, EXIT.USAGE],
    ['a password with a colon', request({ op: 'change-password', user: 'otsupport', current: 'Old#pass1', password: 'Aa1!a:aaaa' }), /password/, EXIT.USAGE],
    ['a user name that is an option', request({ op: 'change-password', user: '-e', current: 'Old#pass1', password: 'Aa1!aaaaaa' }), /user/, EXIT.USAGE],
    ['not JSON', request('reboot'), /not one JSON object/, EXIT.USAGE],
    ['a JSON array', request('[{"op":"reboot"}]'), /not one JSON object/, EXIT.USAGE],
    ['two objects', request('{"op":"reboot"}{"op":"shutdown"}'), /not one JSON object/, EXIT.USAGE],
    ['oversized input', request({ op: 'reboot', pad: 'x'.repeat(MAX_REQUEST_BYTES) }), /larger than/, EXIT.USAGE],
    ['control bytes in a field name', request({ op: 'reboot', '\u001b]0;pwned\u0007': 1 }), /is not a field/, EXIT.USAGE],
  ];

  it.each(cases)('%s', async (_label, bytes, message, exitCode) => {
    const { ops, calls } = recorder();
    const result = await handleRequest(bytes, SUPPORT, ops);
    expect(result.ok).toBe(false);
    expect(result.exitCode).toBe(exitCode);
    expect(result.line).toMatch(message);
    expect(result.line).toMatch(/nothing was changed\.$/);
    expect(result.line).not.toMatch(RAW_CONTROL);
    expect(result.line.split('\n')).toHaveLength(1);
    expect(calls).toEqual([]);
  });

  it('roles: a viewer may not reboot; support may not change another user\'s password; root may not set one for a user outside the roles config', async () => {
    const { ops, calls } = recorder();
    const viewer = await handleRequest(request({ op: 'reboot' }), { uid: 41002, user: 'otviewer' }, ops);
    expect([viewer.exitCode, viewer.line]).toEqual([EXIT.NO_PERMISSION, expect.stringMatching(/reboot needs the support role; otviewer has viewer/)]);
    const unknown = await handleRequest(request({ op: 'reboot' }), { uid: 41999, user: 'stranger' }, ops);
    expect(unknown.exitCode).toBe(EXIT.NO_PERMISSION);
    const other = await handleRequest(request({ op: 'change-password', user: 'otviewer', current: 'Old#pass1', password: 'Aa1!aaaaaa' }), SUPPORT, ops);
    expect([other.exitCode, other.line]).toEqual([EXIT.NO_PERMISSION, expect.stringMatching(/only its own password/)]);
    const outside = await handleRequest(request({ op: 'change-password', user: 'daemon', current: 'Old#pass1', password: 'Aa1!aaaaaa' }), { uid: 0, user: 'root' }, ops);
    expect([outside.exitCode, outside.line]).toEqual([EXIT.NO_PERMISSION, expect.stringMatching(/not an otshell user/)]);
    expect(calls).toEqual([]);
  });

  it('valid requests run exactly their operation, as the invoking user', async () => {
    const { ops, calls } = recorder();
    expect((await handleRequest(request({ op: 'apply-network-settings', settings: GOOD_SETTINGS, confirmTimeoutSeconds: 60 }), SUPPORT, ops)).exitCode).toBe(EXIT.OK);
    expect((await handleRequest(request({ op: 'change-password', user: 'otsupport', current: 'Old#pass1', password: 'Aa1!aaaaaa' }), SUPPORT, ops)).exitCode).toBe(EXIT.OK);
    expect((await handleRequest(request({ op: 'reboot' }), SUPPORT, ops)).exitCode).toBe(EXIT.OK);
    expect(calls).toEqual(['apply 10.77.0.30 by otsupport', 'password otsupport by otsupport', 'reboot by otsupport']);
  });

  it('any JSON value that is not a valid request is refused without running anything (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.constantFrom('exec', 'reboot', 'apply-network-settings', 'change-password'), async (value, op) => {
        const body = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, op, extra: 1 } : value;
        const { ops, calls } = recorder();
        const result = await handleRequest(request(body), SUPPORT, ops);
        expect(result.ok).toBe(false);
        expect(calls).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('the invoker is who sudo says (SUDO_UID, named from passwd), never SUDO_USER; not root or a bad SUDO_UID: no invoker', () => {
    const names = (uid: number) => (uid === 41001 ? 'otsupport' : null);
    expect(invokerFromSudo({ SUDO_UID: '41001', SUDO_USER: 'root' }, 0, names)).toEqual({ uid: 41001, user: 'otsupport' });
    expect(invokerFromSudo({ SUDO_UID: '41001' }, 41001, names)).toBeNull();
    expect(invokerFromSudo({ SUDO_UID: '0x0' }, 0, names)).toBeNull();
    expect(invokerFromSudo({ SUDO_UID: '42000' }, 0, names)).toBeNull();
  });
});

const asRoot = process.getuid?.() === 0;
if (!asRoot) {
  if (process.env.CI === 'true') throw new Error('the privileged helper process tests need root in CI');
  console.warn('skipping: the privileged helper process tests need root (they run in CI)');
}

describe.skipIf(!asRoot)('privileged helper as a process', () => {
  const entry = join(REPO_ROOT, 'bin/otshell-priv.js');

  it.concurrent.each([
    ['unknown operation', '{"op":"exec","command":"id"}', EXIT.USAGE],
    ['oversized input', `{"op":"reboot","pad":"${'x'.repeat(1_000_000)}"}`, EXIT.USAGE],
    ['bad settings', JSON.stringify({ op: 'apply-network-settings', settings: { ...GOOD_SETTINGS, ip: '255.255.255.255' } }), EXIT.USAGE],
  ])('%s: one line on stderr, the exit code, no stack trace', async (_label, input, exitCode) => {
    const result = await execa('node', [entry], { input, reject: false, env: { SUDO_UID: '0' }, timeout: 20_000 });
    expect(result.exitCode).toBe(exitCode);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
    expectNoStackTrace(result.stderr);
  });

  it('not run as root (started directly by a user): refused before reading the request', async () => {
    const result = await execa('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', 'node', entry], { input: '{"op":"reboot"}', reject: false, timeout: 20_000 });
    expect(result.exitCode).toBe(EXIT.NO_PERMISSION);
    expect(result.stderr).toMatch(/must be run by sudo as root/);
  });

  it('the sh launcher starts node with a clean environment: NODE_OPTIONS=--require never runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otshell-priv-'));
    try {
      const launcher = join(dir, 'otshell-priv');
      writeFileSync(
        launcher,
        readFileSync(join(REPO_ROOT, 'bin/otshell-priv'), 'utf8')
          .replace(/^OTSHELL_NODE=.*$/m, `OTSHELL_NODE=${process.execPath}`)
          .replace(/^OTSHELL_PRIV_ENTRY=.*$/m, `OTSHELL_PRIV_ENTRY=${entry}`),
      );
      chmodSync(launcher, 0o755);
      const marker = join(dir, 'PWNED');
      writeFileSync(join(dir, 'payload.cjs'), `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
      const result = await execa(launcher, [], {
        input: '{"op":"exec"}',
        reject: false,
        env: { NODE_OPTIONS: `--require ${join(dir, 'payload.cjs')}`, SUDO_UID: '0' },
        timeout: 20_000,
      });
      expect(result.exitCode).toBe(EXIT.USAGE);
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Hostile cases for network requirements: host names made to be options or shell
// code, control bytes and 1 MB values in the site file, a site file that is a
// secret or a directory, hostile simulated-network state, and a real server
// whose certificate subject carries escape sequences.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOtshell, tempStateDir } from '../helpers/cli.js';
import { EXIT } from '../../src/errors.js';
import { expectExit, expectNoStackTrace, RAW_CONTROL } from './helpers.js';
import { createSensorNamespace, missingParts, removeStaleNamespaces, type Namespace } from '../real-host/harness.js';
import { createSiteNetwork, SITE_ADDRESS, type SiteNetwork } from '../real-host/site-network.js';
import { hasTool, skipBecause } from '../helpers/tool.js';

const state = tempStateDir();
afterAll(() => state.cleanup());

async function requirements(siteText: string | Buffer, extra: string[] = []) {
  const file = join(state.dir, `site-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, siteText);
  return { file, ...(await runOtshell(['network', 'requirements', '--site', file, ...extra], { stateDir: state.dir })) };
}

describe('network requirements: hostile site files', () => {
  const marker = join(state.dir, 'pwned');

  it.each([
    ['an ssh option as a host', `managementConsole: "-oProxyCommand=touch ${marker}"`, 'managementConsole'],
    ['a shell command as a host', `ntp: "$(touch ${marker})"`, 'ntp'],
    ['a semicolon in a host', `syslog: "10.1.0.9;touch ${marker}"`, 'syslog'],
    ['an option as a DNS name to ask for', 'dns:\n  servers: [10.1.0.53]\n  resolve: "-x"', 'dns.resolve'],
    ['a proxy host with a dash', 'proxy: "-p:3128"', 'proxy'],
    ['a CRL URL with a user', 'crl: "http://user:pw@crl.example.com/x"', 'crl'],
    ['a CRL URL with a newline', 'crl: "http://crl.example.com/x\\r\\nHost: evil"', 'crl'],
    ['a cloud endpoint with a space', 'cloud:\n  iotHub: "hub .azure-devices.net"', 'cloud.iotHub'],
  ])('%s: refused by the schema, exit 2, nothing run', async (_name, text, field) => {
    const result = await requirements(`${text}\n`);
    expectExit(result.exitCode, EXIT.INCOMPLETE);
    expect(result.stderr).toMatch(new RegExp(`line \\d+: ${field.replace(/\./g, '\\.')}: `));
    expect(result.stdout).toBe('');
    expectNoStackTrace(result.stderr);
    expect(existsSync(marker)).toBe(false);
  });

  it('control bytes in a field name are shown escaped, never raw', async () => {
    const result = await requirements('ntp: 10.1.0.5\n"evil\\e]0;pwned\\a\\e[2J\\u202e": 1\n');
    expectExit(result.exitCode, EXIT.INCOMPLETE);
    expect(result.stderr).toContain('line 2: evil\\x1b]0;pwned\\x07\\x1b[2J\\u202e: not a site file field');
    expect(result.stderr).not.toMatch(RAW_CONTROL);
  });

  it('control bytes in a value: refused at its line, the value never echoed', async () => {
    const result = await requirements('smtp:\n  host: "mail\\e[31m.example.com"\n');
    expectExit(result.exitCode, EXIT.INCOMPLETE);
    expect(result.stderr).toContain('line 2: smtp.host: expected a host name or an IP address');
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    expect(result.stderr).not.toContain('[31m');
  });

  it('raw control bytes and NUL in the file itself', async () => {
    const result = await requirements(Buffer.from('ntp: 10.1.0.5\x00\x1b[2J\nsyslog: a\x07b\n', 'latin1'));
    expectExit(result.exitCode, EXIT.INCOMPLETE);
    expect(result.stderr).toMatch(/line [12]: /);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    expectNoStackTrace(result.stderr);
  });

  it('a 1 MB host name and a 1 MB field name: refused, the message stays short', async () => {
    const big = 'a'.repeat(1024 * 1024);
    const value = await requirements(`ldap: ${big}\n`);
    expectExit(value.exitCode, EXIT.INCOMPLETE);
    expect(value.stderr).toContain('line 1: ldap: expected a host name or an IP address');
    expect(value.stderr.length).toBeLessThan(400);
    const key = await requirements(`${big}: 1\n`);
    expectExit(key.exitCode, EXIT.INCOMPLETE);
    // The yaml parser refuses a key that long itself; either way one short line.
    expect(key.stderr).toMatch(/not a site file field|at most 1024 chars/);
    expect(key.stderr.length).toBeLessThan(400);
  });

  it('a secret file as the site file: only its key names are shown, never its values', async () => {
    const result = await requirements('password: hunter2\napiKey: s3cr3t-value\n');
    expectExit(result.exitCode, EXIT.INCOMPLETE);
    expect(result.stderr).toContain('line 1: password: not a site file field');
    expect(result.stderr).not.toContain('hunter2');
    expect(result.stderr).not.toContain('s3cr3t');
  });

  it('path traversal and a directory as --site: one line, exit 2', async () => {
    const dir = join(state.dir, 'a-directory');
    mkdirSync(dir, { recursive: true });
    const isDir = await runOtshell(['network', 'requirements', '--site', dir], { stateDir: state.dir });
    expectExit(isDir.exitCode, EXIT.INCOMPLETE);
    expect(isDir.stderr.trim()).toBe(`Cannot read the site file ${dir}: EISDIR.`);
    const traversal = await runOtshell(['network', 'requirements', '--site', `${state.dir}/../../../../nonexistent/../etc/otshell-no-such-site.yaml`], { stateDir: state.dir });
    expectExit(traversal.exitCode, EXIT.INCOMPLETE);
    expect(traversal.stderr).toMatch(/^No site file at .*otshell-no-such-site\.yaml\./);
  });

  it('option-looking values for --site and --timeout: one line each', async () => {
    const dash = await runOtshell(['network', 'requirements', '--site', '--init'], { stateDir: state.dir });
    expect([EXIT.USAGE, EXIT.INCOMPLETE, EXIT.OK]).toContain(dash.exitCode);
    if (dash.exitCode !== EXIT.OK) expect(dash.stderr.trim().split('\n')).toHaveLength(1);
    const timeout = await runOtshell(['network', 'requirements', '--timeout', '-1'], { stateDir: state.dir });
    expectExit(timeout.exitCode, EXIT.USAGE);
    expect(timeout.stderr.trim().split('\n')).toHaveLength(1);
    const hostileTimeout = await runOtshell(['network', 'requirements', '--timeout', '1\u001b[2J'], { stateDir: state.dir });
    expectExit(hostileTimeout.exitCode, EXIT.USAGE);
    expect(hostileTimeout.stderr).not.toMatch(RAW_CONTROL);
  });

  it('a hostile host in the simulated site network state: the state file is refused (exit 78), the value never shown', async () => {
    const own = tempStateDir();
    try {
      await runOtshell(['network', 'list'], { stateDir: own.dir });
      const path = join(own.dir, 'simulator.json');
      const saved = JSON.parse(readFileSync(path, 'utf8'));
      writeFileSync(path, JSON.stringify({ ...saved, siteNetwork: { rules: [{ host: 'x\u001b]0;pwned\u0007', outcome: 'refused' }] } }));
      writeFileSync(join(own.dir, 'site.yaml'), 'ntp: 10.1.0.5\n');
      const result = await runOtshell(['network', 'requirements'], { stateDir: own.dir });
      expectExit(result.exitCode, EXIT.CONFIG);
      expect(result.stderr).toContain('siteNetwork');
      expect(result.stderr).not.toMatch(RAW_CONTROL);
      expect(result.stderr).not.toContain('pwned');
    } finally {
      own.cleanup();
    }
  });
});

const skipReal =
  missingParts(['root', 'ip']) ??
  (skipBecause(hasTool('openssl', ['version']) && hasTool('dnsmasq', ['--version']) && hasTool('chronyd', ['-v']) && hasTool('nft', ['-v']) ? null : 'the certificate case needs openssl, dnsmasq, chronyd and nft')
    ? 'openssl, dnsmasq, chronyd or nft missing'
    : null);
if (skipReal !== null && process.env.CI === 'true') throw new Error(`hostile requirements tests need ${skipReal} in CI`);

describe.skipIf(skipReal !== null)('network requirements: a server certificate whose subject carries escape sequences', () => {
  let sensor: Namespace;
  let site: SiteNetwork;
  let siteFile: string;
  beforeAll(async () => {
    removeStaleNamespaces();
    sensor = await createSensorNamespace();
    // ESC [31m, BEL and an RLO override in the subject (the issuer is the same: self-signed).
    site = await createSiteNetwork(sensor, { tlsSubject: '/CN=evil\u001b[31mred\u0007\u202egnp.exe/O=x' });
    siteFile = join(site.dir, 'hostile-site.yaml');
    writeFileSync(siteFile, `managementConsole: ${SITE_ADDRESS}\nuse:\n  ntp: false\n  tunnelling: false\n`);
  }, 60_000);
  afterAll(async () => {
    await site?.remove();
    await sensor?.remove();
  });

  it('the text table shows the subject escaped', async () => {
    const result = await site.otshell(['--target', 'local', 'network', 'requirements', '--site', siteFile]);
    const line = result.stdout.split('\n').find((l) => l.includes('TLS handshake done') && l.includes('evil'))!;
    expect(line).toBeDefined();
    expect(line).toContain('subject CN=evil\\1B[31mred\\07\\u202egnp.exe, O=x');
    expect(result.stdout).not.toMatch(RAW_CONTROL);
  }, 30_000);

  it('--json keeps the subject exact, with the bidi override written as \\u202e', async () => {
    const result = await site.otshell(['--target', 'local', 'network', 'requirements', '--site', siteFile, '--json']);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stdout).toContain('\\u202e');
    const row = JSON.parse(result.stdout).find((r: any) => r.protocol === 'TLS/SSL');
    expect(row.status).toBe('open');
    expect(row.tls.subject).toBe('CN=evil\\1B[31mred\\07\u202egnp.exe, O=x');
    expect(row.tls.selfSigned).toBe(true);
  }, 30_000);
});

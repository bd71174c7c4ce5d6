// network requirements against the simulator: the simulated site network in the
// state file decides each path, so every status, the exit codes and the site-file
// errors can be shown without a real network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { runOtshell, tempStateDir } from '../helpers/cli.js';
import { RequirementsResultSchema } from '../../src/commands/network/requirements.js';
import { parseSite } from '../../src/net/site.js';

type Row = { table: string; protocol: string; transport: string; port: number; direction: string; destination: string; status: string; detail: string; elapsedMs: number; required: boolean; tls?: any };

const SITE = `managementConsole: 10.1.0.5
dns:
  servers: [10.1.0.53]
  resolve: hub.example.com
smtp:
  host: mail.example.com
crl: http://crl.example.com/ca.crl
syslog: 10.1.0.9
snmp: 10.1.0.10
ldap: dc1.example.com
ldaps: dc1.example.com
wmi: 10.1.0.11
proxy: proxy.example.com:3128
cloud:
  iotHub: hub.example.com
  blob: store.blob.core.windows.net
use:
  tunnelling: false
`;

/** The training scenario: one rule of each kind broken. */
const SITE_NETWORK = {
  default: 'open',
  listening: [443],
  rules: [
    { host: 'mail.example.com', port: 25, outcome: 'refused' },
    { host: 'dc1.example.com', port: 636, outcome: 'dropped' },
    { host: 'store.blob.core.windows.net', outcome: 'unresolved' },
    { host: '10.1.0.11', outcome: 'no-route' },
    { host: '10.1.0.10', transport: 'udp', outcome: 'refused' },
  ],
};

describe('network requirements (simulator)', () => {
  const state = tempStateDir();
  const siteFile = join(state.dir, 'training-site.yaml');
  let rows: Row[];
  let exitCode: number;
  let elapsed: number;

  beforeAll(async () => {
    writeFileSync(siteFile, SITE);
    // A fresh sensor first, then the training scenario in its state file.
    expect((await runOtshell(['network', 'list'], { stateDir: state.dir })).exitCode).toBe(0);
    const path = join(state.dir, 'simulator.json');
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...saved, siteNetwork: SITE_NETWORK }, null, 2));
    const started = Date.now();
    const result = await runOtshell(['network', 'requirements', '--site', siteFile, '--timeout', '0.5', '--json'], { stateDir: state.dir });
    elapsed = Date.now() - started;
    expect(result.stderr).toBe('');
    rows = JSON.parse(result.stdout);
    exitCode = result.exitCode;
  });
  afterAll(() => state.cleanup());

  const status = (protocol: string, destination: string) => rows.find((r) => r.protocol === protocol && r.destination === destination);

  it('shows every status the simulated site network gives', () => {
    expect(status('SSH', '10.1.0.20:22')).toMatchObject({ status: 'refused', detail: expect.stringMatching(/nothing listens/) });
    expect(status('HTTPS', '10.1.0.20:443')).toMatchObject({ status: 'open', tls: { subject: 'CN=D4Iot', selfSigned: true } });
    expect(status('HTTPS', 'hub.example.com:443')).toMatchObject({ status: 'open', tls: { selfSigned: false } });
    expect(status('HTTPS', 'store.blob.core.windows.net:443')?.status).toBe('name not resolved');
    expect(status('HTTPS', '*.servicebus.windows.net')).toMatchObject({ status: 'not configured', required: false });
    expect(status('NTP', '10.1.0.5:123')).toMatchObject({ status: 'open', detail: expect.stringMatching(/stratum 2, offset/) });
    expect(status('SMTP', 'mail.example.com:25')?.status).toBe('refused');
    expect(status('WMI', '10.1.0.11:135')?.status).toBe('no route');
    expect(status('SNMP', '10.1.0.10:161')?.status).toBe('refused');
    expect(status('Syslog', '10.1.0.9:514')).toMatchObject({ status: 'unconfirmed', detail: expect.stringMatching(/UDP cannot confirm delivery/) });
    expect(status('LDAPS', 'dc1.example.com:636')).toMatchObject({ status: 'no answer', detail: expect.stringMatching(/no answer within 0\.5 s/) });
    expect(status('LDAP', 'dc1.example.com:389')?.status).toBe('open');
    expect(status('Tunnelling', '10.1.0.5:9000')).toMatchObject({ status: 'not used', required: false });
    expect(status('Proxy', 'proxy.example.com:3128')).toMatchObject({ status: 'open', detail: 'the proxy answered CONNECT hub.example.com:443: 200' });
    expect(status('HTTP (CRL)', 'http://crl.example.com/ca.crl')).toMatchObject({ status: 'open', detail: 'HTTP 200' });
  });

  it('has one row per rule of the four tables, in the guide order, and the --json rows match the schema', () => {
    expect([...new Set(rows.map((r) => r.table))]).toEqual(['user access', 'sensor to cloud', 'sensor to management console', 'other services']);
    expect(rows.map((r) => `${r.protocol} ${r.transport} ${r.port} ${r.direction}`)).toEqual([
      'SSH tcp 22 in', 'HTTPS tcp 443 in',
      'HTTPS tcp 443 out', 'HTTPS tcp 443 out', 'HTTPS tcp 443 out', 'HTTPS tcp 443 out',
      'NTP udp 123 out', 'TLS/SSL tcp 443 out',
      'SMTP tcp 25 out', 'DNS tcp 53 out', 'DNS udp 53 out', 'HTTP (CRL) tcp 80 out', 'WMI tcp 135 out', 'SNMP udp 161 out',
      'LDAP tcp 389 out', 'Proxy tcp 3128 out', 'Syslog udp 514 out', 'LDAPS tcp 636 out', 'Tunnelling tcp 9000 out',
    ]);
    const parsed = z.safeParse(RequirementsResultSchema, rows);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    for (const row of rows) {
      expect(Object.keys(row).slice(0, 10)).toEqual(['table', 'protocol', 'transport', 'port', 'direction', 'destination', 'status', 'detail', 'elapsedMs', 'required']);
    }
  });

  it('runs the checks concurrently: the whole table in about one timeout, exit 1 when a required rule is not open', () => {
    expect(exitCode).toBe(1);
    expect(status('LDAPS', 'dc1.example.com:636')!.elapsedMs).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(15_000); // node's start on a loaded machine; the concurrency itself is shown below
  });

  it('every path dropped: 12 rules each wait the whole timeout, together in about one', async () => {
    const dropped = tempStateDir();
    try {
      const file = join(dropped.dir, 'site.yaml');
      writeFileSync(file, SITE);
      await runOtshell(['network', 'list'], { stateDir: dropped.dir });
      const path = join(dropped.dir, 'simulator.json');
      const saved = JSON.parse(readFileSync(path, 'utf8'));
      writeFileSync(path, JSON.stringify({ ...saved, siteNetwork: { default: 'dropped' } }));
      const started = Date.now();
      const result = await runOtshell(['network', 'requirements', '--site', file, '--timeout', '1.5', '--json'], { stateDir: dropped.dir });
      const wall = Date.now() - started;
      const waited = (JSON.parse(result.stdout) as Row[]).filter((r) => r.status === 'no answer');
      expect(waited).toHaveLength(12);
      for (const row of waited) expect(row.elapsedMs).toBeGreaterThanOrEqual(1450);
      // One after the other would take 12 x 1.5 s = 18 s.
      expect(wall).toBeLessThan(9000);
      expect(result.exitCode).toBe(1);
    } finally {
      dropped.cleanup();
    }
  });

  it('exit 0 and "Site ready" when every required rule is open', async () => {
    const ok = tempStateDir();
    try {
      const file = join(ok.dir, 'site.yaml');
      writeFileSync(file, SITE);
      const result = await runOtshell(['network', 'check-requirements', '--site', file], { stateDir: ok.dir });
      expect(result.stdout).toMatch(/Site ready: all 16 required rules are open\./);
      expect(result.stdout).toContain('User access to the sensor');
      expect(result.stdout).toMatch(/SMTP\s+TCP 25\s+out open\s+mail\.example\.com:25\n/);
      expect(result.exitCode).toBe(0);
    } finally {
      ok.cleanup();
    }
  });

  it('the text view lists what is not ready', async () => {
    const result = await runOtshell(['network', 'requirements', '--site', siteFile, '--timeout', '0.2'], { stateDir: state.dir });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/Site NOT ready: 6 of 16 required rules are not open: SSH 10\.1\.0\.20:22 \(refused\), HTTPS store\.blob\.core\.windows\.net:443 \(name not resolved\), SMTP mail\.example\.com:25 \(refused\), WMI 10\.1\.0\.11:135 \(no route\), SNMP 10\.1\.0\.10:161 \(refused\), LDAPS dc1\.example\.com:636 \(no answer\)/);
  });

  it('exit 2 when the site file is missing, with what to do', async () => {
    const result = await runOtshell(['network', 'requirements', '--site', join(state.dir, 'nope.yaml')], { stateDir: state.dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`No site file at ${join(state.dir, 'nope.yaml')}`);
    expect(result.stderr).toContain('network requirements --init');
    expect(result.stdout).toBe('');
  });

  it('exit 2 when the site file is invalid, every bad field named with its line', async () => {
    const bad = join(state.dir, 'bad.yaml');
    writeFileSync(bad, 'managementConsole: 10.1.0.5\nsmtp:\n  host: mail.example.com\n  port: 99999\nproxy: nohost\n');
    const result = await runOtshell(['network', 'requirements', '--site', bad], { stateDir: state.dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${bad} line 4: smtp.port: expected a port from 1 to 65535`);
    expect(result.stderr).toContain(`${bad} line 5: proxy: expected host:port`);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(result.stdout).toBe('');
  });

  it('the simulator reads its own site file when --site is not given', async () => {
    const own = tempStateDir();
    try {
      const missing = await runOtshell(['network', 'requirements'], { stateDir: own.dir });
      expect(missing.exitCode).toBe(2);
      expect(missing.stderr).toContain(`No site file at ${join(own.dir, 'site.yaml')}`);
      writeFileSync(join(own.dir, 'site.yaml'), 'ntp: 10.1.0.5\n');
      const result = await runOtshell(['network', 'requirements', '--json'], { stateDir: own.dir });
      expect(result.exitCode).toBe(0);
      expect(JSON.parse(result.stdout).find((r: Row) => r.protocol === 'NTP').status).toBe('open');
    } finally {
      own.cleanup();
    }
  });

  it('--init prints a commented template that parses back', async () => {
    const result = await runOtshell(['network', 'requirements', '--init'], { stateDir: state.dir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('# What is the on-premises management console');
    expect(parseSite(result.stdout)).toEqual({ ok: true, site: {} });
    const json = await runOtshell(['network', 'requirements', '--init', '--json'], { stateDir: state.dir });
    expect(parseSite(JSON.parse(json.stdout).template).ok).toBe(true);
  });

  it('bad options: one line, exit 64', async () => {
    for (const args of [['--timeout', '0'], ['--timeout', 'abc'], ['--timeout', '1e9'], ['--from-workstation']]) {
      const result = await runOtshell(['network', 'requirements', '--site', siteFile, ...args], { stateDir: state.dir });
      expect(result.exitCode, args.join(' ')).toBe(64);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

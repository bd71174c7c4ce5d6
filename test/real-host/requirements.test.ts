// network requirements against a real site: servers in a "site" namespace,
// nftables dropping and rejecting, the sensor namespace running otshell
// (--target local, then --target ssh:// to a private sshd in the sensor namespace).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSensorNamespace, missingParts, removeStaleNamespaces, type Namespace } from './harness.js';
import { createSiteNetwork, SITE_ADDRESS, startSiteSshd, UNROUTED, type SiteNetwork, type SiteSshd } from './site-network.js';
import { hasTool } from '../helpers/tool.js';

function missingSiteTools(): string | null {
  const base = missingParts(['root', 'ip', 'sshd', 'ssh']);
  if (base) return base;
  const tools: [string, string[]][] = [['dnsmasq', ['--version']], ['chronyd', ['-v']], ['nft', ['-v']], ['openssl', ['version']], ['unshare', ['--version']]];
  const missing = tools.filter(([tool, args]) => !hasTool(tool, args)).map(([tool]) => tool);
  if (missing.length === 0) return null;
  const reason = `requirements tests need ${missing.join(', ')}`;
  if (process.env.CI === 'true') throw new Error(`${reason}: install them in .ci/run`);
  console.warn(`skipping: ${reason} (these tests run in CI)`);
  return reason;
}

const skip = missingSiteTools();

const SITE = `# the test site
managementConsole: ${SITE_ADDRESS}
dns:
  servers: [${SITE_ADDRESS}]
  resolve: hub.site.test
ntp: ${SITE_ADDRESS}
smtp:
  host: ${SITE_ADDRESS}
crl: http://crl.site.test/ca.crl
syslog: ${SITE_ADDRESS}
snmp: ${SITE_ADDRESS}
ldap: ${SITE_ADDRESS}
ldaps: ${SITE_ADDRESS}
wmi: ${SITE_ADDRESS}
proxy: ${SITE_ADDRESS}:3128
cloud:
  iotHub: hub.site.test
  blob: missing.invalid
  serviceBus: ${UNROUTED}
use:
  tunnelling: true
`;

type Row = { table: string; protocol: string; transport: string; port: number; direction: string; destination: string; status: string; detail: string; elapsedMs: number; tls?: any };
const key = (r: Row) => `${r.table}|${r.protocol}|${r.transport} ${r.port}|${r.destination}`;

/** What each rule of the test site must show from the sensor. */
const EXPECTED: Record<string, string> = {
  [`user access|SSH|tcp 22|10.77.0.20:22`]: 'refused', // nothing listens on the sensor's 22 (sshd is on 127.0.0.1)
  [`user access|HTTPS|tcp 443|10.77.0.20:443`]: 'open',
  [`sensor to cloud|HTTPS|tcp 443|hub.site.test:443`]: 'open',
  [`sensor to cloud|HTTPS|tcp 443|missing.invalid:443`]: 'name not resolved',
  [`sensor to cloud|HTTPS|tcp 443|${UNROUTED}:443`]: 'no route',
  [`sensor to cloud|HTTPS|tcp 443|download.microsoft.com`]: 'not configured',
  [`sensor to management console|NTP|udp 123|${SITE_ADDRESS}:123`]: 'open',
  [`sensor to management console|TLS/SSL|tcp 443|${SITE_ADDRESS}:443`]: 'open',
  [`other services|SMTP|tcp 25|${SITE_ADDRESS}:25`]: 'open',
  [`other services|DNS|tcp 53|${SITE_ADDRESS}:53`]: 'open',
  [`other services|DNS|udp 53|${SITE_ADDRESS}:53`]: 'open',
  [`other services|HTTP (CRL)|tcp 80|http://crl.site.test/ca.crl`]: 'open',
  [`other services|WMI|tcp 135|${SITE_ADDRESS}:135`]: 'refused', // nft: reject with tcp reset
  [`other services|SNMP|udp 161|${SITE_ADDRESS}:161`]: 'refused', // nft: reject (ICMP port unreachable)
  [`other services|LDAP|tcp 389|${SITE_ADDRESS}:389`]: 'refused', // nothing listens
  [`other services|Proxy|tcp 3128|${SITE_ADDRESS}:3128`]: 'open',
  [`other services|Syslog|udp 514|${SITE_ADDRESS}:514`]: 'unconfirmed',
  [`other services|LDAPS|tcp 636|${SITE_ADDRESS}:636`]: 'no answer', // nft: drop
  [`other services|Tunnelling|tcp 9000|${SITE_ADDRESS}:9000`]: 'no answer', // nft: drop
};

describe.skipIf(skip !== null)('network requirements against a real site (namespaces, nftables, dnsmasq, chronyd)', () => {
  let sensor: Namespace;
  let site: SiteNetwork;
  let sshd: SiteSshd;
  let siteFile: string;
  let localRows: Row[] = [];

  beforeAll(async () => {
    removeStaleNamespaces();
    sensor = await createSensorNamespace();
    site = await createSiteNetwork(sensor);
    sshd = await startSiteSshd(sensor, site.resolvConf);
    siteFile = join(site.dir, 'test-site.yaml');
    writeFileSync(siteFile, SITE);
  }, 60_000);
  afterAll(async () => {
    await sshd?.stop();
    await site?.remove();
    await sensor?.remove();
  });

  it('--target local: every row has the status the site and its firewall give, within 2 x the timeout', async () => {
    // 5 s rather than the default 3: the bound (2 x the timeout) includes node's start in the namespace,
    // which takes seconds on a loaded 2-core machine.
    const result = await site.otshell(['--target', 'local', 'network', 'requirements', '--site', siteFile, '--json', '--timeout', '5']);
    expect(result.stderr).toBe('');
    localRows = JSON.parse(result.stdout) as Row[];
    const got = Object.fromEntries(localRows.map((r) => [key(r), r.status]));
    expect(got).toEqual(EXPECTED);
    console.log(`network requirements --target local: ${localRows.length} rows in ${result.elapsedMs} ms (timeout 5 s)`);
    expect(result.elapsedMs).toBeLessThan(10_000);
    expect(result.exitCode).toBe(1);

    const row = (k: string) => localRows.find((r) => key(r) === k)!;
    // TLS details: the site's self-signed certificate, and the sensor's own "install" certificate on 443.
    const console_ = row(`sensor to management console|TLS/SSL|tcp 443|${SITE_ADDRESS}:443`);
    expect(console_.tls).toMatchObject({ subject: 'CN=console.site.test, O=Site Test', issuer: 'CN=console.site.test, O=Site Test', selfSigned: true });
    expect(Date.parse(console_.tls.validTo) - Date.now()).toBeGreaterThan(28 * 86_400_000);
    expect(console_.detail).toMatch(/self-signed/);
    const own = row('user access|HTTPS|tcp 443|10.77.0.20:443');
    expect(own.tls).toMatchObject({ subject: 'CN=sensor.site.test, O=OT Sensor', selfSigned: true });
    expect(own.detail).toMatch(/listens on 10\.77\.0\.20:443/);
    expect(row(`sensor to management console|NTP|udp 123|${SITE_ADDRESS}:123`).detail).toMatch(/stratum 3, offset -?\d+\.\d ms/);
    expect(row(`other services|SMTP|tcp 25|${SITE_ADDRESS}:25`).detail).toContain('220 mail.site.test ESMTP');
    expect(row(`other services|DNS|udp 53|${SITE_ADDRESS}:53`).detail).toBe(`answered: hub.site.test -> ${SITE_ADDRESS}`);
    expect(row(`other services|DNS|tcp 53|${SITE_ADDRESS}:53`).detail).toBe(`answered: hub.site.test -> ${SITE_ADDRESS}`);
    expect(row('other services|HTTP (CRL)|tcp 80|http://crl.site.test/ca.crl').detail).toBe('HTTP 200');
    expect(row(`other services|Proxy|tcp 3128|${SITE_ADDRESS}:3128`).detail).toMatch(/CONNECT hub\.site\.test:443: 200/);
    expect(row(`other services|Syslog|udp 514|${SITE_ADDRESS}:514`).detail).toMatch(/UDP cannot confirm delivery/);
    // The datagram did arrive, from the management address's side of the sensor.
    expect(existsSync(site.syslogFile) ? readFileSync(site.syslogFile, 'utf8') : '').toContain('otshell: network requirements test message');
    for (const r of localRows) expect(r.elapsedMs).toBeLessThan(7000);
    expect(Math.max(...localRows.map((r) => r.elapsedMs))).toBeGreaterThanOrEqual(4900); // the dropped rules waited the timeout
  }, 30_000);

  it('the text table shows the four tables, the statuses and what is not ready', async () => {
    const result = await site.otshell(['--target', 'local', 'network', 'check-requirements', '--site', siteFile, '--timeout', '1']);
    expect(result.exitCode).toBe(1);
    for (const title of ['User access to the sensor', 'Sensor to the cloud', 'Sensor to the on-premises management console', 'Other firewall rules for external services']) {
      expect(result.stdout).toContain(title);
    }
    expect(result.stdout).toMatch(/LDAPS\s+TCP 636\s+out\s+no answer\s+10\.78\.0\.1:636/);
    expect(result.stdout).toMatch(/Site NOT ready: 8 of 18 required rules are not open: .*WMI 10\.78\.0\.1:135 \(refused\)/);
  }, 30_000);

  it('--target ssh://: the TCP and TLS rows have the same statuses, checked from the sensor through ssh -W', async () => {
    const result = await site.otshell(
      ['--target', `ssh://root@127.0.0.1:${sshd.port}`, ...sshd.clientArgs, 'network', 'requirements', '--site', siteFile, '--json', '--from-workstation'],
      { timeout: 60_000 },
    );
    expect(result.stderr).toBe('');
    const rows = JSON.parse(result.stdout) as Row[];
    const tcp = (list: Row[]) => Object.fromEntries(list.filter((r) => r.transport === 'tcp' && !r.protocol.includes('workstation')).map((r) => [key(r), r.status]));
    for (const r of rows) if (tcp(localRows)[key(r)] !== undefined && tcp(localRows)[key(r)] !== r.status) console.log('differs over ssh:', key(r), r.status, r.detail);
    expect(tcp(rows)).toEqual(tcp(localRows));
    expect(Object.keys(tcp(rows)).length).toBeGreaterThanOrEqual(14);
    const byKey = (k: string) => rows.find((r) => key(r) === k)!;
    expect(byKey(`sensor to management console|TLS/SSL|tcp 443|${SITE_ADDRESS}:443`).tls).toMatchObject({ subject: 'CN=console.site.test, O=Site Test', selfSigned: true });
    // UDP rules use the sensor's own tools over ssh, or say which one is missing.
    const dnsUdp = byKey(`other services|DNS|udp 53|${SITE_ADDRESS}:53`);
    if (hasTool('dig', ['-v'])) expect(dnsUdp.status).toBe('open');
    else expect(dnsUdp).toMatchObject({ status: 'cannot check', detail: 'cannot check over ssh: dig missing on the sensor' });
    expect(byKey(`sensor to management console|NTP|udp 123|${SITE_ADDRESS}:123`)).toMatchObject({ status: 'open', detail: expect.stringMatching(/chronyd -Q on the sensor/) });
    expect(byKey(`other services|Syslog|udp 514|${SITE_ADDRESS}:514`).status).toBe('unconfirmed');
    // From the workstation (this process) to the sensor: its ssh port and its 443.
    expect(byKey(`user access|SSH (from workstation)|tcp ${sshd.port}|127.0.0.1:${sshd.port}`).status).toBe('open');
    expect(byKey('user access|HTTPS (from workstation)|tcp 443|127.0.0.1:443')).toMatchObject({ status: 'open', tls: { subject: 'CN=sensor.site.test, O=OT Sensor', selfSigned: true } });
    console.log(`network requirements --target ssh: ${rows.length} rows in ${result.elapsedMs} ms (timeout 3 s)`);
    expect(result.elapsedMs).toBeLessThan(25_000); // ssh start-up on a loaded machine; the checks themselves are bounded as above
    expect(result.exitCode).toBe(1);
  }, 90_000);
});

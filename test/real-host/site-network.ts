// The real site for the requirements tests: a "site" namespace joined to the
// sensor namespace by a veth pair, with real servers (TLS 443 with a certificate
// generated here, HTTP 80, SMTP 25, an HTTP proxy, dnsmasq on 53, chronyd -x on
// 123, a syslog sink on 514) and nftables rules that drop some ports and reject
// others. Everything lives in temp dirs and the namespaces, and is removed at the end.
import { execa, type ResultPromise } from 'execa';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../helpers/cli.js';
import type { Namespace } from './harness.js';

export const SITE_ADDRESS = '10.78.0.1';
const SENSOR_SIDE = '10.78.0.2';
/** Routed nowhere in the sensor namespace ("unreachable" route): the no-route case. */
export const UNROUTED = '192.0.2.10';

let counter = 0;

export interface SiteNetwork {
  name: string;
  dir: string;
  /** The private resolv.conf (nameserver: the site's dnsmasq) otshell and sshd see. */
  resolvConf: string;
  syslogFile: string;
  /** otshell in the sensor namespace, with the site's DNS as its resolver. */
  otshell(args: string[], options?: { timeout?: number }): Promise<{ stdout: string; stderr: string; exitCode: number; elapsedMs: number }>;
  remove(): Promise<void>;
}

/** A self-signed certificate and key made with openssl. */
export async function selfSigned(dir: string, name: string, subject: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  await execa('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', subject, '-utf8']);
  return { cert, key };
}

async function startServers(nsName: string, config: Record<string, unknown>, children: ResultPromise[]): Promise<void> {
  const child = execa('ip', ['netns', 'exec', nsName, 'node', join(import.meta.dirname, 'fixtures/site-servers.mjs'), JSON.stringify(config)], { reject: false });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    void child.then((result) => reject(new Error(`site servers exited: ${String(result.stderr)}`)));
  });
}

async function waitForFile(path: string, what: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (existsSync(path) && readFileSync(path, 'utf8').trim() !== '') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not start`);
}

/**
 * The site namespace next to `sensor`; `sensorCert` (when given) is served on the
 * sensor's own 443 (its install certificate), `tlsSubject` is the site servers' certificate subject.
 */
export async function createSiteNetwork(sensor: Namespace, options: { tlsSubject?: string } = {}): Promise<SiteNetwork> {
  const name = `${sensor.name}site${counter++}`;
  const dir = mkdtempSync(join(tmpdir(), 'otshell-site-'));
  chmodSync(dir, 0o755);
  const syslogFile = join(dir, 'syslog.txt');
  const children: ResultPromise[] = [];
  const pidFiles: string[] = [];
  const site = (args: string[]) => execa('ip', ['-n', name, ...args]);
  const inSensor = (args: string[]) => execa('ip', ['-n', sensor.name, ...args]);
  await execa('ip', ['netns', 'add', name]);
  const remove = async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.allSettled(children);
    for (const file of pidFiles) {
      const pid = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : NaN;
      if (Number.isInteger(pid) && pid > 1) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
    await execa('ip', ['netns', 'del', name], { reject: false });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await site(['link', 'set', 'lo', 'up']);
    await site(['link', 'add', 'site0', 'type', 'veth', 'peer', 'name', 'sx0', 'netns', sensor.name]);
    await site(['addr', 'add', `${SITE_ADDRESS}/24`, 'dev', 'site0']);
    await site(['link', 'set', 'site0', 'up']);
    await inSensor(['addr', 'add', `${SENSOR_SIDE}/24`, 'dev', 'sx0']);
    await inSensor(['link', 'set', 'sx0', 'up']);
    await inSensor(['route', 'add', 'unreachable', '192.0.2.0/24']);
    // Answers to the sensor's management address (probes are bound to it) go back over the veth.
    await site(['route', 'add', '10.77.0.0/24', 'via', SENSOR_SIDE]);

    // The firewall: WMI 135 rejected with a RST, SNMP 161 with an ICMP port unreachable; LDAPS 636 and tunnelling 9000 dropped.
    const rules = join(dir, 'site.nft');
    writeFileSync(
      rules,
      [
        'table inet otshell_site {',
        '  chain input {',
        '    type filter hook input priority 0; policy accept;',
        '    tcp dport 135 reject with tcp reset',
        '    udp dport 161 reject',
        '    tcp dport { 636, 9000 } drop',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    await execa('ip', ['netns', 'exec', name, 'nft', '-f', rules]);

    // DNS: dnsmasq with only this config; *.site.test is the site, *.invalid does not exist.
    const dnsmasqConf = join(dir, 'dnsmasq.conf');
    const dnsmasqPid = join(dir, 'dnsmasq.pid');
    pidFiles.push(dnsmasqPid);
    writeFileSync(
      dnsmasqConf,
      [
        'no-resolv', 'no-hosts', 'no-poll', `listen-address=${SITE_ADDRESS}`, 'bind-interfaces', 'port=53',
        `address=/site.test/${SITE_ADDRESS}`, 'local=/invalid/', `pid-file=${dnsmasqPid}`, 'user=root', 'group=root', '',
      ].join('\n'),
    );
    children.push(execa('ip', ['netns', 'exec', name, 'dnsmasq', '--keep-in-foreground', `--conf-file=${dnsmasqConf}`], { reject: false }));
    await waitForFile(dnsmasqPid, 'dnsmasq');

    // NTP: chronyd serving its local clock (stratum 3), never touching this machine's clock (-x).
    const chronyConf = join(dir, 'chrony.conf');
    const chronyPid = join(dir, 'chronyd.pid');
    pidFiles.push(chronyPid);
    writeFileSync(
      chronyConf,
      ['local stratum 3', 'allow all', 'port 123', `bindaddress ${SITE_ADDRESS}`, 'cmdport 0', `pidfile ${chronyPid}`, `driftfile ${join(dir, 'drift')}`, ''].join('\n'),
    );
    children.push(execa('ip', ['netns', 'exec', name, 'chronyd', '-x', '-n', '-u', 'root', '-f', chronyConf, '-L', '0', '-l', join(dir, 'chronyd.log')], { reject: false }));
    await waitForFile(chronyPid, 'chronyd');

    const siteCert = await selfSigned(dir, 'site', options.tlsSubject ?? '/CN=console.site.test/O=Site Test');
    await startServers(name, { address: SITE_ADDRESS, tls: [{ port: 443, ...siteCert }], http: 80, smtp: 25, proxy: 3128, plain: [135, 636, 9000], syslog: syslogFile }, children);
    // The sensor's own web console certificate, generated "at install": self-signed, on every address.
    const sensorCert = await selfSigned(dir, 'sensor', '/CN=sensor.site.test/O=OT Sensor');
    await startServers(sensor.name, { address: '0.0.0.0', tls: [{ port: 443, ...sensorCert }] }, children);
  } catch (error) {
    await remove();
    throw error;
  }
  const resolvConf = join(dir, 'resolv.conf');
  writeFileSync(resolvConf, `nameserver ${SITE_ADDRESS}\noptions timeout:1 attempts:1\n`);
  mkdirSync(join(dir, 'cli-state'));
  return {
    name,
    dir,
    resolvConf,
    syslogFile,
    async otshell(args, options = {}) {
      const started = Date.now();
      const result = await execa(
        'ip',
        [
          'netns', 'exec', sensor.name, ...withResolv(resolvConf),
          'node', BIN, '--state-dir', sensor.stateDir, '--config', sensor.configPath, ...args,
        ],
        { reject: false, timeout: options.timeout ?? 30_000, env: { LANG: 'C.UTF-8', NO_COLOR: '1' } },
      );
      const stderr = String(result.stderr) + (result.exitCode === undefined ? `(no exit code: ${result.signal ?? ''} ${result.shortMessage ?? ''})` : '');
      return { stdout: String(result.stdout), stderr, exitCode: result.exitCode ?? -1, elapsedMs: Date.now() - started };
    },
    remove,
  };
}

/** A private mount namespace whose /etc/resolv.conf is the site's (this machine's file is never touched). */
export function withResolv(resolvConf: string): string[] {
  return ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', 'mount --bind "$0" /etc/resolv.conf && exec "$@"', resolvConf];
}

export interface SiteSshd {
  port: number;
  clientArgs: string[];
  stop(): Promise<void>;
}

/**
 * A private sshd on 127.0.0.1 in the sensor namespace (as harness.ts startSshd), whose
 * mount namespace also has the site's resolv.conf: names resolve on the "sensor" as they do for --target local.
 */
export async function startSiteSshd(sensor: Namespace, resolvConf: string): Promise<SiteSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'otshell-site-sshd-'));
  chmodSync(dir, 0o700);
  await execa('mkdir', ['-p', '/run/sshd']);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'user_key')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
  const port = 40000 + ((process.pid * 11 + counter++ * 17) % 20000);
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      'ListenAddress 127.0.0.1', `Port ${port}`, `HostKey ${join(dir, 'host_key')}`, `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no', 'UsePAM no', 'PermitRootLogin prohibit-password', `PidFile ${join(dir, 'sshd.pid')}`, 'MaxSessions 30', '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${readFileSync(join(dir, 'host_key.pub'), 'utf8')}`);
  const home = join(dir, 'home');
  mkdirSync(home, { mode: 0o700 });
  await execa('ip', [
    'netns', 'exec', sensor.name, 'unshare', '--mount', '--propagation', 'private', '--',
    'sh', '-c', 'mount --bind "$0" /root && mount --bind "$1" /etc/resolv.conf && shift && exec "$@"', home, resolvConf,
    '/usr/sbin/sshd', '-f', join(dir, 'sshd_config'), '-E', join(dir, 'sshd.log'),
  ]);
  await waitForFile(join(dir, 'sshd.pid'), 'sshd');
  return {
    port,
    clientArgs: ['--identity-file', join(dir, 'user_key'), '--ssh-option', `UserKnownHostsFile=${join(dir, 'known_hosts')}`, '--ssh-option', 'IdentitiesOnly=yes'],
    async stop() {
      const pid = Number(readFileSync(join(dir, 'sshd.pid'), 'utf8').trim());
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Real parts for the real-host tests: network namespaces with veth pairs (never
// this machine's own interfaces), a private sshd, and the adapter driver.
// Everything is named with the pid so parallel runs never collide, and removed
// at the end even when a test fails.
import { execa, execaSync } from 'execa';
import { build } from 'esbuild';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync, existsSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO_ROOT } from '../helpers/cli.js';
import { hasTool } from '../helpers/tool.js';

/** Why the real-host tests cannot run here, or null. In CI a missing part is a failure, never a skip. */
export function missingParts(needs: ('root' | 'ip' | 'netplan' | 'sshd' | 'ssh')[]): string | null {
  const missing: string[] = [];
  if (needs.includes('root') && process.getuid?.() !== 0) missing.push('root');
  if (needs.includes('ip') && !hasTool('ip', ['-V'])) missing.push('iproute2');
  if (needs.includes('netplan') && !hasTool('netplan', ['--help'])) missing.push('netplan.io');
  if (needs.includes('sshd') && !existsSync('/usr/sbin/sshd')) missing.push('openssh-server');
  if (needs.includes('ssh') && !hasTool('ssh', ['-V'])) missing.push('openssh-client');
  if (missing.length === 0) return null;
  const reason = `real-host tests need ${missing.join(', ')}`;
  if (process.env.CI === 'true') throw new Error(`${reason}: CI must run as root with them installed (.ci/run)`);
  console.warn(`skipping: ${reason} (these tests run in CI)`);
  return reason;
}

let counter = 0;

export interface Namespace {
  name: string;
  dir: string;
  configPath: string;
  netplanFile: string;
  stateDir: string;
  servicesFile: string;
  exec(command: string, args: string[], options?: { env?: Record<string, string>; timeout?: number; input?: string }): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  otshell(args: string[], options?: { env?: Record<string, string>; timeout?: number }): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  ipJson<T = any>(args: string[]): Promise<T>;
  remove(): Promise<void>;
}

/**
 * A namespace holding a sensor: eth0 (management, 10.77.0.20/24, default via
 * 10.77.0.1 on its veth peer gw0), eth1 and eth2 (monitor), eth3 (unused, bridge
 * candidate), each a veth whose peer stays inside the namespace too.
 */
export async function createSensorNamespace(): Promise<Namespace> {
  const name = `otsh${process.pid}n${counter++}`;
  const dir = mkdtempSync(join(tmpdir(), `otshell-rh-${name}-`));
  await execa('ip', ['netns', 'add', name]);
  try {
    const pairs: [string, string][] = [['eth0', 'gw0'], ['eth1', 'span1'], ['eth2', 'span2'], ['eth3', 'peer3']];
    // One ip process for the whole set-up (ip -batch stops at the first failing line): the
    // real-host files create a namespace or more each, and a spawn costs most on a loaded machine.
    const lines = [
      'link set lo up',
      ...pairs.flatMap(([a, b]) => [`link add ${a} type veth peer name ${b}`, `link set ${b} up`]),
      'link set eth0 up',
      'addr add 10.77.0.1/24 dev gw0',
      'addr add 10.77.0.20/24 broadcast 10.77.0.255 dev eth0',
      'route add default via 10.77.0.1 dev eth0',
      'link set eth1 up promisc on',
      'link set eth2 up promisc on',
    ];
    await execa('ip', ['-n', name, '-batch', '-'], { input: `${lines.join('\n')}\n` });
  } catch (error) {
    await execa('ip', ['netns', 'del', name], { reject: false });
    throw error;
  }
  const configPath = join(dir, 'etc/otshell/otshell.yaml');
  const netplanFile = join(dir, 'etc/netplan/50-otshell.yaml');
  const stateDir = join(dir, 'state');
  const servicesFile = join(dir, 'etc/otshell/services.yaml');
  await execa('mkdir', ['-p', join(dir, 'etc/otshell'), join(dir, 'etc/netplan'), stateDir]);
  writeFileSync(
    configPath,
    [
      '# test sensor',
      'roles:',
      '  management: eth0',
      '  monitor: [eth1, eth2]',
      '  bridge: null',
      'netplan:',
      `  file: ${netplanFile}`,
      'services:',
      `  file: ${servicesFile}`,
      `stateDir: ${stateDir}`,
      '',
    ].join('\n'),
  );
  const exec: Namespace['exec'] = async (command, args, options = {}) => {
    const result = await execa('ip', ['netns', 'exec', name, command, ...args], {
      reject: false,
      timeout: options.timeout ?? 30_000,
      input: options.input ?? '',
      env: { LANG: 'C.UTF-8', NO_COLOR: '1', ...options.env },
    });
    return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1 };
  };
  return {
    name,
    dir,
    configPath,
    netplanFile,
    stateDir,
    servicesFile,
    exec,
    otshell: (args, options) => exec('node', [BIN, '--state-dir', stateDir, '--config', configPath, ...args], options),
    async ipJson(args) {
      const result = await execa('ip', ['-n', name, '-j', ...args]);
      return JSON.parse(String(result.stdout));
    },
    async remove() {
      // Stop anything still running in the namespace (revert timers, servers), then remove it.
      const pids = await execa('ip', ['netns', 'pids', name], { reject: false });
      for (const pid of String(pids.stdout).split('\n').filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // gone
        }
      }
      await execa('ip', ['netns', 'del', name], { reject: false });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Removes namespaces of this process left by an aborted run (same pid prefix). */
export function removeStaleNamespaces(): void {
  const list = execaSync('ip', ['netns', 'list'], { reject: false });
  for (const line of String(list.stdout).split('\n')) {
    const ns = line.split(' ')[0];
    if (ns && ns.startsWith(`otsh${process.pid}n`)) execaSync('ip', ['netns', 'del', ns], { reject: false });
  }
}

/** Kernel state of a namespace without counters, for before/after comparisons. */
export async function kernelState(namespace: Namespace): Promise<string> {
  const links = await namespace.ipJson<any[]>(['addr', 'show']);
  const routes = await namespace.ipJson<any[]>(['-4', 'route', 'show', 'table', 'all']);
  const strip = links.map((l) => ({
    ifname: l.ifname,
    flags: [...l.flags].sort(),
    mtu: l.mtu,
    address: l.address,
    addr: (l.addr_info ?? []).map((a: any) => ({ family: a.family, local: a.local, prefixlen: a.prefixlen, broadcast: a.broadcast, scope: a.scope })),
  }));
  return JSON.stringify({ links: strip, routes: routes.map((r) => JSON.stringify(r)).sort() }, null, 1);
}

let driverPath: string | null = null;

/** The adapter driver, bundled once per test file. */
export async function driver(): Promise<string> {
  if (driverPath) return driverPath;
  const out = join(mkdtempSync(join(tmpdir(), 'otshell-driver-')), 'driver.mjs');
  await build({
    entryPoints: [join(REPO_ROOT, 'test/real-host/driver.ts')],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
  });
  chmodSync(join(out, '..'), 0o755); // the "needs root" test runs it as nobody
  driverPath = out;
  return out;
}

export async function drive(namespace: Namespace, request: Record<string, unknown>, options: { env?: Record<string, string>; asUser?: number; timeout?: number } = {}) {
  const path = await driver();
  const argv = ['node', path, JSON.stringify({ configPath: namespace.configPath, ...request })];
  const [command, ...args] = options.asUser === undefined ? argv : ['setpriv', `--reuid=${options.asUser}`, `--regid=${options.asUser}`, '--clear-groups', '--inh-caps=-all', ...argv];
  const result = await namespace.exec(command!, args, { env: options.env, timeout: options.timeout });
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as { ok: boolean; result?: any; name?: string; message?: string };
  } catch {
    throw new Error(`driver printed no JSON (exit ${result.exitCode}): ${result.stdout}\n${result.stderr}`);
  }
}

export const SETTINGS = {
  managementInterface: 'eth0',
  ip: '10.77.0.20',
  prefixLength: 24,
  gateway: '10.77.0.1',
  dns: ['10.77.0.53'],
  inputInterfaces: ['eth1', 'eth2'],
  bridgeInterface: null,
};

export function readText(path: string): string | null {
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

// ---------------------------------------------------------------- sshd

export interface Sshd {
  port: number;
  dir: string;
  /** Global options that make otshell's ssh client use the test key and known_hosts. */
  clientArgs: string[];
  identityFile: string;
  knownHosts: string;
  stop(): Promise<void>;
}

/**
 * A private sshd on 127.0.0.1 (inside the namespace when given): throwaway host
 * key, a test key pair, everything in a temp dir. ssh reads the home directory
 * from passwd, so the client gets its key and known_hosts through options.
 */
export async function startSshd(namespace: Namespace | null): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'otshell-sshd-'));
  chmodSync(dir, 0o700);
  await execa('mkdir', ['-p', '/run/sshd']);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'user_key')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
  const port = 40000 + ((process.pid * 7 + counter++ * 13) % 20000);
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      `PidFile ${join(dir, 'sshd.pid')}`,
      'MaxSessions 20',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${readFileSync(join(dir, 'host_key.pub'), 'utf8')}`);
  // sshd runs in a private mount namespace whose /root is an empty directory: root's own
  // ~/.bashrc (sourced by bash for ssh commands; on this machine it runs `pyenv rehash`,
  // whose lock a killed session can leave behind, stalling every later login) stays out of the tests.
  const home = join(dir, 'home');
  mkdirSync(home, { mode: 0o700 });
  const command = [
    'unshare', '--mount', '--propagation', 'private', '--',
    'sh', '-c', 'mount --bind "$0" /root && exec "$@"', home,
    '/usr/sbin/sshd', '-f', join(dir, 'sshd_config'), '-E', join(dir, 'sshd.log'),
  ];
  if (namespace) await execa('ip', ['netns', 'exec', namespace.name, ...command]);
  else await execa(command[0]!, command.slice(1));
  for (let i = 0; i < 50 && !existsSync(join(dir, 'sshd.pid')); i += 1) await new Promise((r) => setTimeout(r, 50));
  const identityFile = join(dir, 'user_key');
  const knownHosts = join(dir, 'known_hosts');
  return {
    port,
    dir,
    identityFile,
    knownHosts,
    clientArgs: ['--identity-file', identityFile, '--ssh-option', `UserKnownHostsFile=${knownHosts}`, '--ssh-option', 'IdentitiesOnly=yes'],
    async stop() {
      const pid = readText(join(dir, 'sshd.pid'));
      if (pid) {
        try {
          process.kill(Number(pid.trim()), 'SIGTERM');
        } catch {
          // gone
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Real parts for the Ansible fleet test: a controller namespace that Ansible runs in, and
// sensors, each a namespace (harness.ts) whose eth0 peer is moved into the controller, so the
// controller reaches a sensor only through its management address: a new address that the
// controller cannot route to really locks it out. Each sensor runs its own sshd on port 22 of
// its namespace, with OTSHELL_CONFIG in the sessions' environment (sshd SetEnv), since the
// namespaces share this filesystem and every sensor needs its own config.
import { execa } from 'execa';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO_ROOT } from '../helpers/cli.js';
import { createSensorNamespace, readText, type Namespace } from './harness.js';

export interface FleetSensor {
  host: string;
  ns: Namespace;
  /** 10.80.N.20 at the start. */
  address: string;
  subnet: number;
}

export interface Fleet {
  dir: string;
  controller: string;
  sensors: FleetSensor[];
  /** Runs ansible-playbook in the controller namespace; stdout is the ansible.posix.json callback's JSON. */
  playbook(playbook: string, extra?: string[], options?: { timeout?: number }): Promise<{ stdout: string; stderr: string; exitCode: number; json: any; seconds: number }>;
  remove(): Promise<void>;
}

const sshdPids: string[] = [];

async function startSensorSshd(ns: Namespace, dir: string, userKey: string): Promise<string> {
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${userKey}.pub`));
  // The PATH holds an `otshell` that runs this working tree's build (bin/otshell.js).
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      'ListenAddress 0.0.0.0',
      'Port 22',
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      `PidFile ${join(dir, 'sshd.pid')}`,
      'MaxSessions 20',
      // TMPDIR: the settings module's job folders land in this test's directory, removed with it.
      `SetEnv OTSHELL_CONFIG=${ns.configPath} TMPDIR=${join(dir, 'tmp')} PATH=${join(dir, '..', 'bin')}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin`,
      '',
    ].join('\n'),
  );
  // A private mount namespace whose /root is empty: root's own ~/.bashrc (pyenv) stays out (as harness.ts).
  const home = join(dir, 'home');
  mkdirSync(home, { mode: 0o700 });
  mkdirSync(join(dir, 'tmp'), { mode: 0o700 });
  await execa('ip', [
    'netns', 'exec', ns.name, 'unshare', '--mount', '--propagation', 'private', '--',
    'sh', '-c', 'mount --bind "$0" /root && exec "$@"', home,
    '/usr/sbin/sshd', '-f', join(dir, 'sshd_config'), '-E', join(dir, 'sshd.log'),
  ]);
  for (let i = 0; i < 100 && !readText(join(dir, 'sshd.pid')); i += 1) await new Promise((r) => setTimeout(r, 50));
  const pid = readText(join(dir, 'sshd.pid'))?.trim();
  if (!pid) throw new Error(`sshd did not start in ${ns.name}: ${readText(join(dir, 'sshd.log'))}`);
  sshdPids.push(pid);
  return readFileSync(join(dir, 'host_key.pub'), 'utf8').trim();
}

export async function createFleet(count: number, servicesFor: (index: number) => string): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), 'otshell-fleet-'));
  chmodSync(dir, 0o755);
  const controller = `otsh${process.pid}ctl`;
  const sensors: FleetSensor[] = [];
  const cleanup = async () => {
    for (const pid of sshdPids.splice(0)) {
      try {
        process.kill(Number(pid), 'SIGTERM');
      } catch {
        // gone
      }
    }
    for (const sensor of sensors) await sensor.ns.remove();
    await execa('ip', ['netns', 'del', controller], { reject: false });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    mkdirSync(join(dir, 'bin'));
    symlinkSync(BIN, join(dir, 'bin', 'otshell'));
    await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'user_key')]);
    await execa('ip', ['netns', 'add', controller]);
    await execa('ip', ['-n', controller, 'link', 'set', 'lo', 'up']);
    const knownHosts: string[] = [];
    const inventory: string[] = ['sensors:', '  hosts:'];
    for (let i = 1; i <= count; i += 1) {
      const ns = await createSensorNamespace();
      const host = `sensor${i}`;
      const address = `10.80.${i}.20`;
      sensors.push({ host, ns, address, subnet: i });
      // eth0's peer moves to the controller: the sensor's management link.
      const link = `s${i}gw`;
      await execa('ip', ['-n', ns.name, 'link', 'set', 'gw0', 'netns', controller, 'name', link]);
      await execa('ip', ['-n', controller, 'addr', 'add', `10.80.${i}.1/24`, 'dev', link]);
      await execa('ip', ['-n', controller, 'link', 'set', link, 'up']);
      await execa('ip', ['-n', ns.name, 'addr', 'flush', 'dev', 'eth0']);
      await execa('ip', ['-n', ns.name, 'addr', 'add', `${address}/24`, 'broadcast', `10.80.${i}.255`, 'dev', 'eth0']);
      await execa('ip', ['-n', ns.name, 'route', 'replace', 'default', 'via', `10.80.${i}.1`, 'dev', 'eth0']);
      writeFileSync(ns.servicesFile, servicesFor(i));
      const sshdDir = join(dir, host);
      mkdirSync(sshdDir, { mode: 0o700 });
      const hostKey = await startSensorSshd(ns, sshdDir, join(dir, 'user_key'));
      knownHosts.push(`${host} ${hostKey}`);
      inventory.push(`    ${host}:`, `      ansible_host: ${address}`);
    }
    writeFileSync(join(dir, 'known_hosts'), `${knownHosts.join('\n')}\n`);
    inventory.push(
      '  vars:',
      '    ansible_user: root',
      `    ansible_ssh_private_key_file: ${join(dir, 'user_key')}`,
      // HostKeyAlias: the sensor keeps its host key when its address changes.
      `    ansible_ssh_common_args: "-o HostKeyAlias={{ inventory_hostname }} -o UserKnownHostsFile=${join(dir, 'known_hosts')} -o IdentitiesOnly=yes"`,
      '    ansible_python_interpreter: /usr/bin/python3',
      '',
    );
    writeFileSync(join(dir, 'inventory.yml'), inventory.join('\n'));
    // Ansible's start-up is slow: no facts, pipelining, one SSH master per host, JSON callback.
    writeFileSync(
      join(dir, 'ansible.cfg'),
      [
        '[defaults]',
        `inventory = ${join(dir, 'inventory.yml')}`,
        `collections_path = ${join(dir, 'collections')}`,
        'forks = 5',
        'gathering = explicit',
        'stdout_callback = ansible.posix.json',
        'retry_files_enabled = False',
        'interpreter_python = /usr/bin/python3',
        'timeout = 10',
        `local_tmp = ${join(dir, 'ansible-local')}`,
        '[ssh_connection]',
        'pipelining = True',
        'ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o ConnectTimeout=10',
        `control_path_dir = ${join(dir, 'cp')}`,
        '',
      ].join('\n'),
    );
    await execa('ansible-galaxy', ['collection', 'install', join(REPO_ROOT, 'ansible'), '-p', join(dir, 'collections')], {
      env: { HOME: dir, ANSIBLE_CONFIG: join(dir, 'ansible.cfg') },
    });
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    dir,
    controller,
    sensors,
    async playbook(playbook, extra = [], options = {}) {
      const started = Date.now();
      const result = await execa('ip', ['netns', 'exec', controller, 'ansible-playbook', join(REPO_ROOT, 'ansible/playbooks', playbook), ...extra], {
        reject: false,
        timeout: options.timeout ?? 120_000,
        cwd: dir,
        env: { HOME: dir, ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), LANG: 'C.UTF-8', ANSIBLE_NOCOLOR: '1' },
        extendEnv: true,
      });
      const stdout = String(result.stdout);
      let json: any = null;
      try {
        json = JSON.parse(stdout);
      } catch {
        // left null: the assertion shows stdout and stderr
      }
      return { stdout, stderr: String(result.stderr), exitCode: result.exitCode ?? -1, json, seconds: (Date.now() - started) / 1000 };
    },
    remove: cleanup,
  };
}

/** Per host: ok, changed, failures, unreachable from the callback's stats. */
export function stats(json: any): Record<string, { ok: number; changed: number; failures: number; unreachable: number }> {
  return json?.stats ?? {};
}

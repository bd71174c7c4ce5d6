// A private mount namespace in which the privileged helper is installed as the
// README says: overlays over /etc and /usr/local (the real ones are never
// written) carry test users with real password hashes, the README's sudoers
// line in /etc/sudoers.d/otshell, otshell's config (its state directory a temp
// dir) and /usr/local/libexec/otshell-priv. One holder process keeps the
// namespace; each step enters it with nsenter; stopping the holder removes it
// and every test user with it.
import { execa, type ResultPromise } from 'execa';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO_ROOT } from '../helpers/cli.js';

export interface PrivUser {
  name: string;
  uid: number;
  gid: number;
  password: string;
}

export const PRIV_USERS = {
  support: { name: 'otpsup', uid: 41021, gid: 41021, password: 'Old#Pass123' },
  viewer: { name: 'otpview', uid: 41022, gid: 41022, password: 'View#Pass123' },
  outsider: { name: 'otpout', uid: 41023, gid: 41023, password: 'Out#Pass123' },
} satisfies Record<string, PrivUser>;

/** The sudoers line(s) of the README's "Privilege separation" block, exactly as documented. */
export function readmeSudoersLines(): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /# \/etc\/sudoers\.d\/otshell[^\n]*\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README: no /etc/sudoers.d/otshell block');
  return block[1]!.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

// Fixed text; every path arrives as a positional parameter.
const SETUP = [
  'set -e',
  'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/etc-up,workdir=$1/etc-work" /etc',
  'mount -t overlay overlay -o "lowerdir=/usr/local,upperdir=$1/ul-up,workdir=$1/ul-work" /usr/local',
  'echo ready',
  'exec sleep 3600',
].join('\n');

export interface PrivNamespace {
  dir: string;
  stateDir: string;
  /** Runs a command inside the namespace as root, or as the user. */
  exec(command: string, args: string[], options?: { user?: PrivUser; input?: string; env?: Record<string, string> }): ResultPromise<{ reject: false }>;
  /** The argv that runs a command in the namespace as the user (for tmux). */
  argv(user: PrivUser | null, command: string[]): string[];
  shadowLine(user: PrivUser): string;
  sessions(): string;
  stop(): Promise<void>;
}

export async function startPrivNamespace(): Promise<PrivNamespace> {
  const dir = mkdtempSync(join(tmpdir(), 'otshell-priv-'));
  chmodSync(dir, 0o755);
  for (const sub of ['etc-up', 'etc-work', 'ul-up', 'ul-work', 'state']) mkdirSync(join(dir, sub), { recursive: true });
  const stateDir = join(dir, 'state');
  // /etc in the overlay: the users, their groups (otshell-support/-viewer give the roles), real hashes.
  const users = Object.values(PRIV_USERS);
  const hashes = await Promise.all(users.map(async (u) => (await execa('openssl', ['passwd', '-6', '-stdin'], { input: u.password })).stdout.trim()));
  const append = (file: string, lines: string[], mode: number) => {
    writeFileSync(join(dir, 'etc-up', file), `${readFileSync(`/etc/${file}`, 'utf8').replace(/\n?$/, '\n')}${lines.join('\n')}\n`, { mode });
  };
  const home = (u: PrivUser) => join(dir, 'home', u.name);
  append('passwd', users.map((u) => `${u.name}:x:${u.uid}:${u.gid}:otshell test:${home(u)}:/bin/sh`), 0o644);
  append('shadow', users.map((u, i) => `${u.name}:${hashes[i]}:20000:0:99999:7:::`), 0o640);
  const group = readFileSync('/etc/group', 'utf8').replace(/\n?$/, '\n');
  writeFileSync(
    join(dir, 'etc-up', 'group'),
    `${group}otshell-support:x:41021:\notshell-viewer:x:41022:\notpout:x:41023:\n`,
    { mode: 0o644 },
  );
  for (const u of users) mkdirSync(home(u), { recursive: true });
  for (const u of users) await execa('chown', [`${u.uid}:${u.gid}`, home(u)]);
  mkdirSync(join(dir, 'etc-up', 'sudoers.d'), { recursive: true });
  writeFileSync(join(dir, 'etc-up', 'sudoers.d', 'otshell'), `${readmeSudoersLines().join('\n')}\n`, { mode: 0o440 });
  mkdirSync(join(dir, 'etc-up', 'otshell'), { recursive: true });
  writeFileSync(join(dir, 'etc-up', 'otshell', 'otshell.yaml'), `stateDir: ${stateDir}\n`, { mode: 0o644 });
  // The helper as installed, with this checkout's node and entry in place of the install paths.
  mkdirSync(join(dir, 'ul-up', 'libexec'), { recursive: true });
  const helper = readFileSync(join(REPO_ROOT, 'bin/otshell-priv'), 'utf8')
    .replace(/^OTSHELL_NODE=.*$/m, `OTSHELL_NODE=${process.execPath}`)
    .replace(/^OTSHELL_PRIV_ENTRY=.*$/m, `OTSHELL_PRIV_ENTRY=${join(REPO_ROOT, 'bin/otshell-priv.js')}`);
  writeFileSync(join(dir, 'ul-up', 'libexec', 'otshell-priv'), helper, { mode: 0o755 });

  const holder = execa('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', SETUP, 'otshell-priv-ns', dir], { reject: false, buffer: false });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    holder.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('ready')) resolve();
    });
    void holder.then((r) => reject(new Error(`the namespace did not start: exit ${r.exitCode}`)));
  });
  const pid = String(holder.pid);
  const argv = (user: PrivUser | null, command: string[]) => [
    'nsenter', '-t', pid, '-m', '--',
    ...(user ? ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--'] : []),
    ...command,
  ];
  return {
    dir,
    stateDir,
    argv,
    exec(command, args, options = {}) {
      const [program, ...rest] = argv(options.user ?? null, [command, ...args]);
      const env = options.user ? { HOME: home(options.user), USER: options.user.name, LOGNAME: options.user.name, PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' } : {};
      return execa(program!, rest, { reject: false, input: options.input ?? '', env: { ...env, ...options.env }, extendEnv: !options.user, timeout: 60_000 });
    },
    shadowLine: (user) => readFileSync(join(dir, 'etc-up', 'shadow'), 'utf8').split('\n').find((l) => l.startsWith(`${user.name}:`)) ?? '',
    sessions: () => (existsSync(join(stateDir, 'sessions.jsonl')) ? readFileSync(join(stateDir, 'sessions.jsonl'), 'utf8') : ''),
    async stop() {
      holder.kill('SIGKILL');
      await Promise.race([holder, new Promise((r) => setTimeout(r, 3000))]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { BIN };

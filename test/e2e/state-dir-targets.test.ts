// --state-dir on the real targets: on --target local it is where the lock,
// audit and session logs and confirm markers live, unless the config fixes
// stateDir (then naming another is refused with one line); over ssh it names
// a directory on the sensor, so it must be absolute.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOtshell, tempStateDir } from '../helpers/cli.js';
import { skipBecause } from '../helpers/tool.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const SETTINGS = { managementInterface: 'eth0', ip: '10.1.0.20', prefixLength: 24, gateway: '10.1.0.1', dns: ['10.1.0.2'], inputInterfaces: [], bridgeInterface: null };
const entry = (user: string) => JSON.stringify({ time: '2026-11-29T02:46:29.000Z', user, target: 'local', old: SETTINGS, new: { ...SETTINGS, ip: '10.1.0.30' } });

function fixture() {
  const tmp = tempStateDir();
  cleanups.push(tmp.cleanup);
  const mine = join(tmp.dir, 'mine');
  const configured = join(tmp.dir, 'configured');
  for (const dir of [mine, configured]) mkdirSync(dir);
  writeFileSync(join(mine, 'audit.jsonl'), `${entry('from-state-dir')}\n`);
  writeFileSync(join(configured, 'audit.jsonl'), `${entry('from-config')}\n`);
  const bare = join(tmp.dir, 'bare.yaml');
  writeFileSync(bare, 'roles:\n  management: eth0\n');
  const fixed = join(tmp.dir, 'fixed.yaml');
  writeFileSync(fixed, `roles:\n  management: eth0\nstateDir: ${configured}\n`);
  return { tmp, mine, configured, bare, fixed };
}

describe.skipIf(skipBecause(process.platform === 'linux' ? null : '--target local needs Linux'))('--state-dir on real targets', () => {
  it('--target local keeps its audit log in --state-dir when the config does not fix stateDir', async () => {
    const f = fixture();
    const result = await runOtshell(['--target', 'local', '--config', f.bare, 'system', 'audit', '--json'], { stateDir: f.mine });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).entries.map((e: { user: string }) => e.user)).toEqual(['from-state-dir']);
  });

  it('--target local with a config that sets stateDir: the same directory is accepted, another is refused with one line (exit 64)', async () => {
    const f = fixture();
    const same = await runOtshell(['--target', 'local', '--config', f.fixed, 'system', 'audit', '--json'], { stateDir: f.configured });
    expect(same.exitCode, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout).entries.map((e: { user: string }) => e.user)).toEqual(['from-config']);
    const other = await runOtshell(['--target', 'local', '--config', f.fixed, 'system', 'audit'], { stateDir: f.mine });
    expect(other.exitCode).toBe(64);
    expect(other.stdout).toBe('');
    expect(other.stderr.trim().split('\n')).toEqual([
      `--state-dir ${f.mine} is refused: ${f.fixed} sets stateDir ${f.configured}, which every session on this sensor shares (lock, audit log); leave out --state-dir or change stateDir there.`,
    ]);
  });

  it('over ssh a relative --state-dir is refused before anything connects (exit 64)', async () => {
    const f = fixture();
    const result = await runOtshell(['--target', 'ssh://root@sensor.invalid', 'network', 'list'], { stateDir: 'relative/state' });
    void f;
    expect(result.exitCode).toBe(64);
    expect(result.stderr.trim()).toBe('--state-dir over ssh names a directory on the sensor: give an absolute path, not "relative/state".');
  });
});

// system backup / restore with --target local in a network namespace: the
// netplan file otshell writes, services.yaml and chrony's sources file of
// otshell (fed to a private chronyd) are backed up; after the settings change,
// restore brings each back byte-identical, the network settings through the
// edit-settings apply path (the kernel shows the old address again).
// Tampered, other-version and outside-the-folder backups change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa, type ResultPromise } from 'execa';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSensorNamespace, missingParts, removeStaleNamespaces, type Namespace } from './harness.js';
import { hasTool } from '../helpers/tool.js';

function noChrony(): string | null {
  if (hasTool('chronyd', ['--version']) && hasTool('chronyc', ['--version'])) return null;
  const reason = 'the backup tests need chrony (chronyd, chronyc)';
  if (process.env.CI === 'true') throw new Error(`${reason}: CI must have it installed (.ci/run)`);
  console.warn(`skipping: ${reason} (these tests run in CI)`);
  return reason;
}

const skip = missingParts(['root', 'ip']) ?? noChrony();
const VERSION = '22.2.5.9-r-2121448';

describe.skipIf(skip !== null)('system backup and restore with --target local', () => {
  let ns: Namespace;
  let daemon: ResultPromise | null = null;
  let sourcesFile: string;
  let folder: string;
  let versionFile: string;
  const local = (...args: string[]) => ns.otshell(['--target', 'local', ...args]);
  const read = (path: string) => (existsSync(path) ? readFileSync(path) : null);
  const managed = () => ({ netplan: read(ns.netplanFile), services: read(ns.servicesFile), sources: read(sourcesFile) });
  const ipOf = async () => (await ns.ipJson<any[]>(['addr', 'show', 'dev', 'eth0']))[0].addr_info.filter((a: any) => a.family === 'inet').map((a: any) => a.local);

  beforeAll(async () => {
    removeStaleNamespaces();
    ns = await createSensorNamespace();
    const run = join(ns.dir, 'chrony-run');
    mkdirSync(run);
    chmodSync(run, 0o700);
    const sourcesDir = join(ns.dir, 'etc/chrony/sources.d');
    mkdirSync(sourcesDir, { recursive: true });
    sourcesFile = join(sourcesDir, 'otshell.sources');
    writeFileSync(join(ns.dir, 'chrony.conf'), [`sourcedir ${sourcesDir}`, `bindcmdaddress ${run}/chronyd.sock`, 'cmdport 0', 'port 0', `pidfile ${run}/chronyd.pid`, ''].join('\n'));
    daemon = execa('ip', ['netns', 'exec', ns.name, 'chronyd', '-d', '-x', '-u', 'root', '-f', join(ns.dir, 'chrony.conf')], { reject: false });
    for (let i = 0; i < 100 && !existsSync(`${run}/chronyd.sock`); i += 1) await new Promise((r) => setTimeout(r, 100));
    folder = join(ns.dir, 'backups');
    versionFile = join(ns.dir, 'etc/otshell/sensor-version');
    writeFileSync(versionFile, `Version: ${VERSION}\n`);
    appendFileSync(ns.configPath, ['ntp:', `  sourcesFile: ${sourcesFile}`, `  chronycSocket: ${run}/chronyd.sock`, 'backup:', `  folder: ${folder}`, '  keep: 3', 'sensor:', `  versionFile: ${versionFile}`, ''].join('\n'));
    writeFileSync(ns.servicesFile, '# services of the test sensor\nprofile: medium\nservices: []\n');
    writeFileSync(sourcesFile, '# Written by otshell\nserver 10.77.0.1 iburst\n');
    const applied = await local('network', 'edit-settings', '--ip', '10.77.0.30', '--gateway', '10.77.0.1', '--dns', '10.77.0.2', '--yes');
    expect(applied.stderr).toBe('');
  }, 60_000);

  afterAll(async () => {
    daemon?.kill('SIGKILL');
    await daemon?.catch(() => {});
    await ns?.remove();
  });

  let saved: ReturnType<typeof managed>;
  let backupName: string;

  it('system backup create writes one tar with the manifest; backup list shows it', async () => {
    saved = managed();
    const made = await local('cyberx-xsense-system-backup');
    expect(made.stderr).toBe('');
    expect(made.stdout).toMatch(new RegExp(`^Finished backup\\. Backup is stored at ${folder}/[^/]+-backup-version-${VERSION.replace(/\./g, '\\.')}-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ\\.tar$`));
    backupName = readdirSync(folder)[0]!;
    const listed = await local('system', 'backup', 'list');
    expect(listed.stdout).toBe(`backup files:\n    ${backupName}`);
    const json = JSON.parse((await local('system', 'backup-list', '--json')).stdout);
    expect(json.files[0].size).toBe(readFileSync(join(folder, backupName)).length);
    // tar itself reads it: the manifest first, then the managed files.
    const listing = await execa('tar', ['-tf', join(folder, backupName)]);
    expect(String(listing.stdout).split('\n')).toEqual(['manifest.json', 'netplan.yaml', 'services.yaml', 'otshell.yaml', 'ntp.sources', 'audit.jsonl']);
  }, 60_000);

  it('change settings, then restore: the previous files are back byte-identical, the kernel too', async () => {
    const changed = await local('network', 'edit-settings', '--ip', '10.77.0.40', '--gateway', '10.77.0.1', '--yes');
    expect(changed.exitCode).toBe(0);
    writeFileSync(ns.servicesFile, '# edited\nprofile: large\nservices: []\n');
    writeFileSync(sourcesFile, '# Written by otshell\nserver 10.77.0.9 iburst\n');
    expect(await ipOf()).toEqual(['10.77.0.40']);
    const restored = await local('system', 'restore', backupName, '--yes');
    expect(restored.stderr).toBe('');
    expect(restored.exitCode).toBe(0);
    const now = managed();
    expect(now.netplan!.equals(saved.netplan!)).toBe(true);
    expect(now.services!.equals(saved.services!)).toBe(true);
    expect(now.sources!.equals(saved.sources!)).toBe(true);
    expect(await ipOf()).toEqual(['10.77.0.30']);
    const audit = JSON.parse((await local('system', 'audit', '--json')).stdout);
    expect(audit.actions.map((a: { action: string }) => a.action)).toEqual(['backup-create', 'backup-restore']);
  }, 60_000);

  describe('refused with nothing changed', () => {
    async function refused(args: string[], message: RegExp) {
      const before = managed();
      const auditBefore = read(join(ns.stateDir, 'audit.jsonl'));
      const result = await local(...args);
      expect(result.stderr).toMatch(message);
      expect(result.exitCode).toBe(65);
      expect(managed()).toEqual(before);
      expect(read(join(ns.stateDir, 'audit.jsonl'))).toEqual(auditBefore);
    }

    it('a tampered backup', async () => {
      const bytes = readFileSync(join(folder, backupName));
      bytes.write('10.77.0.66', bytes.indexOf('10.77.0.30'));
      writeFileSync(join(folder, 'tampered.tar'), bytes);
      await refused(['system', 'restore', 'tampered.tar', '--yes'], /does not match its checksum/);
    });

    it('a backup of another version', async () => {
      writeFileSync(versionFile, 'Version: 23.1.2.0\n');
      try {
        await refused(['cyberx-xsense-system-restore', '-f', backupName, '--yes'], /was made on sensor version 22\.2\.5\.9-r-2121448; this sensor runs 23\.1\.2\.0/);
      } finally {
        writeFileSync(versionFile, `Version: ${VERSION}\n`);
      }
    });

    it('paths outside the backup folder', async () => {
      const outside = join(ns.dir, 'elsewhere');
      mkdirSync(outside, { recursive: true });
      writeFileSync(join(outside, 'x.tar'), readFileSync(join(folder, backupName)));
      await refused(['system', 'restore', '../elsewhere/x.tar', '--yes'], /must be a file in the backup folder/);
      symlinkSync(join(outside, 'x.tar'), join(folder, 'link.tar'));
      await refused(['system', 'restore', 'link.tar', '--yes'], /is a symbolic link/);
    });
  });
});

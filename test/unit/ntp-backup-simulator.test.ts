// NTP, backup and restore on the simulated sensor: every command and spelling,
// refusals that leave the state file byte-identical, and the audit actions.
import { readFileSync, writeFileSync, readdirSync, symlinkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tar from 'tar-stream';
import { runLine, useSimulators } from '../helpers/command-harness.js';
import { FakePrompter } from './settings-fake-prompter.js';
import { packBackup, unpackBackup } from '../../src/system/backup/archive.js';
import { parseAuditLogDetailed, INTENT_FILE } from '../../src/system/audit-log.js';
import type { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import type { NetworkSettings } from '../../src/system/adapter.js';

const newSim = useSimulators();
const stateBytes = (sim: SimulatorAdapter) => readFileSync(sim.statePath);
const folderOf = async (sim: SimulatorAdapter) => (await sim.backup.settings()).folder;

async function tarOf(entries: { name: string; data?: string; type?: 'file' | 'symlink'; linkname?: string }[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  for (const e of entries) {
    if (e.type === 'symlink') pack.entry({ name: e.name, type: 'symlink', linkname: e.linkname });
    else pack.entry({ name: e.name }, Buffer.from(e.data ?? ''));
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

describe('ntp on the simulator', () => {
  it('enable, status, disable, with the appliance spellings', async () => {
    const sim = newSim();
    expect((await runLine(sim, 'ntp status')).text).toContain('No NTP servers are enabled');
    const on = await runLine(sim, 'ntp enable 10.1.0.4');
    expect(on.exitCode).toBe(0);
    expect(on.text).toContain('NTP server 10.1.0.4 enabled');
    expect((await runLine(sim, 'cyberx-xsense-ntp-enable 10.1.0.5')).exitCode).toBe(0);
    const status = await runLine(sim, 'ntp status');
    expect(status.text).toMatch(/10\.1\.0\.4\s+synchronised stratum 2/);
    expect(status.text).toMatch(/10\.1\.0\.5\s+candidate/);
    expect(status.text).toContain('Clock: synchronised to 10.1.0.4');
    expect((await runLine(sim, 'cyberx-xsense-ntp-disable 10.1.0.4')).text).toContain('NTP server 10.1.0.4 disabled.');
    expect((await sim.ntp.status()).servers.map((s) => s.address)).toEqual(['10.1.0.5']);
    expect((await runLine(sim, 'ntp enable 10.1.0.5')).text).toContain('already enabled');
  });

  it('a server that does not answer is refused with nothing changed (exit 69)', async () => {
    const sim = newSim();
    await sim.ntp.status();
    const before = stateBytes(sim);
    const result = await runLine(sim, 'ntp enable 10.1.0.99');
    expect(result.exitCode).toBe(69);
    expect(result.text).toBe('10.1.0.99 does not answer NTP on UDP port 123 (no reply within 5 s). Nothing was changed.');
    expect(stateBytes(sim).equals(before)).toBe(true);
    expect((await sim.readAudit()).actions).toBeUndefined();
  });

  it.each(['10.1.0', '256.1.1.1', '010.1.0.4', 'ntp.example.com', '224.0.0.1', '0.0.0.0', '255.255.255.255'])('"%s" is not a server address (exit 64)', async (address) => {
    const sim = newSim();
    const result = await runLine(sim, `ntp enable ${address}`);
    expect(result.exitCode).toBe(64);
    expect(result.text).toContain('is not an NTP server address');
  });

  it('every change leaves an audit action, shown by system audit', async () => {
    const sim = newSim();
    await runLine(sim, 'ntp enable 10.1.0.4');
    await runLine(sim, 'ntp disable 10.1.0.4');
    const audit = await runLine(sim, 'system audit');
    expect(audit.text).toContain('ntp-enable 10.1.0.4: [] -> ["10.1.0.4"]');
    expect(audit.text).toContain('ntp-disable 10.1.0.4: ["10.1.0.4"] -> []');
    const last = await runLine(sim, 'system audit --last 1 --json');
    const json = JSON.parse(last.text) as { actions: { action: string }[]; total: number };
    expect(json.total).toBe(2);
    expect(json.actions.map((a) => a.action)).toEqual(['ntp-disable']);
  });
});

describe('audit actions beside settings entries', () => {
  const settings: NetworkSettings = { managementInterface: 'eth0', ip: '10.1.0.20', prefixLength: 24, gateway: '10.1.0.1', dns: ['10.1.0.2'], inputInterfaces: ['eth1'], bridgeInterface: null };
  const entry = { time: '2026-11-29T00:00:00.000Z', user: 'a', target: 'simulator', old: settings, new: { ...settings, ip: '10.1.0.30' } };
  const action = { time: '2026-11-29T00:00:01.000Z', user: 'b', target: 'simulator', action: 'ntp-enable', subject: '10.1.0.4', old: [], new: ['10.1.0.4'] };

  it('a log of settings alone reads exactly as before (no actions key)', () => {
    expect(parseAuditLogDetailed(`${JSON.stringify(entry)}\n`)).toEqual({ entries: [entry], malformedLines: [] });
  });

  it('both kinds are read; a torn action line is skipped, a bad one listed', () => {
    const text = `${JSON.stringify(entry)}\n${JSON.stringify(action)}\n{"action":"ntp-enable"}\n${JSON.stringify(action).slice(0, 30)}`;
    expect(parseAuditLogDetailed(text)).toEqual({ entries: [entry], actions: [action], malformedLines: [3] });
  });

  it('an unknown action name is not an entry', () => {
    expect(parseAuditLogDetailed(`${JSON.stringify({ ...action, action: 'rm-rf' })}\n`).malformedLines).toEqual([1]);
  });

  it('an action cut short after its change is recorded as interrupted at the next lock', async () => {
    const sim = newSim();
    await sim.ntp.status();
    // What a killed `ntp enable` leaves: the change made (state) and its intent, no audit line.
    const state = JSON.parse(readFileSync(sim.statePath, 'utf8'));
    writeFileSync(sim.statePath, JSON.stringify({ ...state, ntp: { servers: ['10.1.0.4'], answering: ['10.1.0.4'] } }));
    const stateDir = join(sim.statePath, '..');
    writeFileSync(join(stateDir, INTENT_FILE), `${JSON.stringify({ id: 'abc', ...action, old: [], new: ['10.1.0.4'] })}\n`);
    const log = await sim.readAudit();
    expect(log.actions).toEqual([expect.objectContaining({ id: 'abc', action: 'ntp-enable', interrupted: true, new: ['10.1.0.4'] })]);
    expect(readdirSync(stateDir)).not.toContain(INTENT_FILE);
  });

  it('an action cut short before its change is dropped', async () => {
    const sim = newSim();
    await sim.ntp.status();
    const stateDir = join(sim.statePath, '..');
    writeFileSync(join(stateDir, INTENT_FILE), `${JSON.stringify({ id: 'abd', ...action, old: [], new: ['10.1.0.4'] })}\n`);
    expect((await sim.readAudit()).actions).toBeUndefined();
    expect(readdirSync(stateDir)).not.toContain(INTENT_FILE);
  });
});

describe('backup and restore on the simulator', () => {
  it('create, list (all spellings), path', async () => {
    const sim = newSim();
    const made = await runLine(sim, 'system backup create');
    expect(made.exitCode).toBe(0);
    expect(made.text).toMatch(/^Finished backup\. Backup is stored at \/.*\/backups\/D4Iot-backup-version-22\.2\.5\.9-r-2121448-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.tar$/);
    for (const spelling of ['system backup list', 'system backup-list', 'cyberx-xsense-system-backup-list']) {
      const listed = await runLine(sim, spelling);
      expect(listed.text).toMatch(/^backup files:\n {4}D4Iot-backup-version-.*\.tar$/);
    }
    expect((await runLine(sim, 'system backup path')).text).toBe(`Backup folder: ${await folderOf(sim)} (the newest 10 backups are kept)`);
    const archive = readFileSync(join(await folderOf(sim), readdirSync(await folderOf(sim))[0]!));
    const { manifest, files } = await unpackBackup(archive, 'test');
    expect(manifest).toMatchObject({ format: 'otshell-backup', sensorVersion: '22.2.5.9-r-2121448', hostname: 'D4Iot' });
    expect([...files.keys()]).toEqual(['network-settings.json', 'ntp-servers.json']);
  });

  it('keeps the newest N', async () => {
    let now = Date.parse('2026-11-29T03:00:00Z');
    const sim = newSim(() => now);
    await runLine(sim, 'system backup path --keep 2');
    mkdirSync(await folderOf(sim), { recursive: true });
    writeFileSync(join(await folderOf(sim), 'site-copy.tar'), 'not ours');
    for (let i = 0; i < 4; i += 1) {
      now += 60_000;
      await runLine(sim, i % 2 ? 'system backup' : 'cyberx-xsense-system-backup');
    }
    // Another .tar in the folder is listed but never pruned.
    expect((await sim.backup.list()).map((f) => f.name.slice(-24))).toEqual(['site-copy.tar', '2026-11-29T03-03-00Z.tar', '2026-11-29T03-04-00Z.tar']);
  });

  it('backup, change settings and NTP, restore: the previous ones are back, byte-identical', async () => {
    const sim = newSim();
    await runLine(sim, 'ntp enable 10.1.0.4');
    await runLine(sim, 'system backup create');
    const [file] = await sim.backup.list();
    const before = await unpackBackup(readFileSync(join(await folderOf(sim), file!.name)), 'b');
    const { current } = await sim.getNetworkSettings();
    await sim.applyNetworkSettings({ ...current, ip: '10.1.0.77', dns: ['10.1.0.9'] });
    await runLine(sim, 'ntp disable 10.1.0.4');
    const prompter = new FakePrompter([
      { text: ['y'], expect: `Use backup file as "${file!.name}" ? [Y/n]` },
      { text: ['y'], expect: 'WARNING - the following procedure will restore data. do not stop or power off the server machine while this procedure is running. Are you sure you wish to proceed? [Y/n]' },
    ]);
    const restored = await runLine(sim, 'system restore', prompter);
    expect(restored.exitCode).toBe(0);
    // The backed-up settings are the ones running: the pending edit is withdrawn.
    expect(restored.text).toContain('The restored network settings are in effect.');
    expect(prompter.said.join('\n')).toMatch(/network-settings\.json\s+will be restored \(differs from now\)/);
    await runLine(sim, 'system backup create');
    const files = (await sim.backup.list()).map((f) => f.name);
    const after = await unpackBackup(readFileSync(join(await folderOf(sim), files.at(-1)!)), 'a');
    expect(after.files.get('network-settings.json')!.equals(before.files.get('network-settings.json')!)).toBe(true);
    expect(after.files.get('ntp-servers.json')!.equals(before.files.get('ntp-servers.json')!)).toBe(true);
    expect(await sim.getNetworkSettings()).toEqual({ current, pending: null });
    expect((await sim.readAudit()).actions?.map((a) => a.action)).toContain('backup-restore');
  });

  it('settings other than the running ones are restored pending until restart, as edit-settings leaves them', async () => {
    let now = Date.parse('2026-11-29T03:00:00Z');
    const sim = newSim(() => now);
    const { current } = await sim.getNetworkSettings();
    const edited = { ...current, ip: '10.1.0.55' };
    await sim.applyNetworkSettings(edited);
    await sim.reboot();
    now += 3_600_000;
    await runLine(sim, 'system backup');
    await sim.applyNetworkSettings({ ...edited, ip: '10.1.0.66' });
    await sim.reboot();
    now += 3_600_000;
    const result = await runLine(sim, 'system restore --yes');
    expect(result.text).toContain('take effect at the next restart');
    expect(await sim.getNetworkSettings()).toEqual({ current: { ...edited, ip: '10.1.0.66' }, pending: edited });
  });

  it('declining either question restores nothing', async () => {
    const sim = newSim();
    await runLine(sim, 'system backup');
    await runLine(sim, 'ntp enable 10.1.0.4');
    const before = stateBytes(sim);
    expect((await runLine(sim, 'system restore', new FakePrompter([{ text: ['n'] }]))).text).toBe('Nothing was restored.');
    expect((await runLine(sim, 'system restore', new FakePrompter([{ text: ['y'] }, { text: ['no'] }]))).text).toBe('Nothing was restored.');
    expect(stateBytes(sim).equals(before)).toBe(true);
  });

  it('--json needs --yes; cyberx-xsense-system-restore -f FILE --yes restores', async () => {
    const sim = newSim();
    await runLine(sim, 'system backup');
    const [file] = await sim.backup.list();
    expect((await runLine(sim, 'system restore --json')).exitCode).toBe(64);
    const result = await runLine(sim, `cyberx-xsense-system-restore -f ${file!.name} --yes --json`);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.text)).toMatchObject({ restored: true, cancelled: null });
  });

  describe('refused with state unchanged', () => {
    async function refused(sim: SimulatorAdapter, line: string, message: RegExp, exitCode = 65) {
      const before = stateBytes(sim);
      const auditBefore = await sim.readAudit();
      const result = await runLine(sim, line);
      expect(result.text).toMatch(message);
      expect(result.exitCode).toBe(exitCode);
      expect(stateBytes(sim).equals(before)).toBe(true);
      expect(await sim.readAudit()).toEqual(auditBefore);
    }

    async function withBackup() {
      const sim = newSim();
      await runLine(sim, 'system backup');
      const folder = await folderOf(sim);
      const [file] = await sim.backup.list();
      return { sim, folder, path: join(folder, file!.name), name: file!.name };
    }

    it('a tampered file (checksum)', async () => {
      const { sim, path, name } = await withBackup();
      const bytes = readFileSync(path);
      const at = bytes.indexOf('10.1.0.20');
      bytes.write('10.1.0.66', at);
      writeFileSync(path, bytes);
      await refused(sim, `system restore ${name} --yes`, /network-settings\.json does not match its checksum in the manifest.*Nothing was changed\.$/);
    });

    it('another sensor version', async () => {
      const { sim, folder, path } = await withBackup();
      const { manifest, files } = await unpackBackup(readFileSync(path), 'x');
      const other = await packBackup({ ...manifest, sensorVersion: '23.1.0.1' }, [...files.entries()].map(([name, data]) => ({ name, data })));
      writeFileSync(join(folder, 'other.tar'), other.archive);
      await refused(sim, 'system restore other.tar --yes', /was made on sensor version 23\.1\.0\.1; this sensor runs 22\.2\.5\.9-r-2121448/);
    });

    it('a path outside the backup folder (../, absolute, symlink)', async () => {
      const { sim, folder, path } = await withBackup();
      const outside = join(folder, '..', 'outside');
      mkdirSync(outside);
      writeFileSync(join(outside, 'x.tar'), readFileSync(path));
      await refused(sim, 'system restore ../outside/x.tar --yes', /must be a file in the backup folder/);
      await refused(sim, `system restore ${join(outside, 'x.tar')} --yes`, /must be a file in the backup folder/);
      symlinkSync(join(outside, 'x.tar'), join(folder, 'link.tar'));
      await refused(sim, 'system restore link.tar --yes', /is a symbolic link/);
    });

    it('archive entries with traversal names, absolute names, links or unknown names', async () => {
      const { sim, folder } = await withBackup();
      const cases: [Parameters<typeof tarOf>[0], RegExp][] = [
        [[{ name: '../../etc/passwd', data: 'x' }], /holds a file outside the backup/],
        [[{ name: '/etc/passwd', data: 'x' }], /holds a file outside the backup/],
        [[{ name: 'network-settings.json', type: 'symlink', linkname: '/etc/shadow' }], /holds a link/],
        [[{ name: 'manifest.json', data: '{}' }], /manifest is not an otshell backup manifest/],
        [[{ name: 'ntp-servers.json', data: '[]' }], /has no manifest\.json/],
      ];
      for (const [entries, message] of cases) {
        writeFileSync(join(folder, 'evil.tar'), await tarOf(entries));
        await refused(sim, 'system restore evil.tar --yes', message);
      }
      writeFileSync(join(folder, 'junk.tar'), Buffer.alloc(3000, 7));
      await refused(sim, 'system restore junk.tar --yes', /not a readable tar file|no manifest/);
    });

    it('no such backup (exit 1)', async () => {
      const { sim } = await withBackup();
      await refused(sim, 'system restore nope.tar --yes', /There is no backup nope\.tar/, 1);
    });
  });

  it('backup path sets the folder, refuses a relative one', async () => {
    const sim = newSim();
    const base = join(sim.statePath, '..', 'elsewhere');
    expect((await runLine(sim, `system backup path ${base}`)).text).toContain(`Backup folder set to ${base}`);
    await runLine(sim, 'system backup');
    expect(readdirSync(base)).toHaveLength(1);
    expect((await runLine(sim, 'system backup path relative/dir')).exitCode).toBe(64);
    expect((await runLine(sim, 'system backup path --keep 0')).exitCode).toBe(64);
  });

  it('at system>, "backup list" is system backup list', async () => {
    const { resolveLine } = await import('../../src/commands/resolve.js');
    const r = resolveLine('backup list', 'system');
    expect(r.kind === 'command' && r.command.name).toBe('backup-list');
    const p = resolveLine('backup path /x', 'system');
    expect(p.kind === 'command' && p.command.name).toBe('backup-path');
  });
});

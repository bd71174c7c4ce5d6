// Backups on a real sensor, through the runner (so over ssh too): otshell's
// netplan file, services.yaml, otshell's config, chrony's sources file of
// otshell and the audit log, in one tar in the backup folder (`backup.folder`
// in the config, /var/cyberx/backups by default). The runner moves text, so
// a backup holds text files (it refuses, saying so, a managed file that is not
// UTF-8). A restore writes services.yaml and the NTP sources atomically (all
// put back if one step fails), then applies the backed-up network settings
// through the edit-settings path (confirm-or-revert when the session uses them).
import { sensorVersionOf } from './diagnostics.js';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';
import type { Actor, ApplyOutcome, EditLock, NetworkSettings } from '../adapter.js';
import { applyAuditedAction } from '../audit-log.js';
import { actionFields } from '../audit-action.js';
import { AUDIT_FILE } from '../audit-log.js';
import {
  BackupRefusedError,
  BackupUsageError,
  type BackupFileInfo,
  type BackupManifest,
  type BackupPort,
  type BackupSettings,
  type RestoreOutcome,
  type RestorePlan,
} from '../backup-port.js';
import { backupFileName, isBackupFileName, packBackup, sha256, unpackBackup, type ManagedName } from '../backup/archive.js';
import { checkFolderText, checkKeep, planChanges, resolveInFolder } from '../backup/folder.js';
import { VERSION } from '../../version.js';
import { parseConfig, type OtshellConfig } from './config.js';
import { parseNetplan } from './netplan.js';
import type { LinuxFeatureDeps } from './ntp.js';
import { EXIT, OtshellError } from '../../errors.js';

export interface LinuxBackupDeps extends LinuxFeatureDeps {
  /** The edit-settings apply path. */
  applySettings(next: NetworkSettings, by: Actor | undefined, lock: EditLock): Promise<ApplyOutcome>;
  currentSettings(): Promise<NetworkSettings>;
}

/** Files a restore writes as they are (the network files go through the apply path; the audit log is never rewound). */
const WRITTEN: ManagedName[] = ['services.yaml', 'ntp.sources'];

export class LinuxBackup implements BackupPort {
  constructor(private readonly deps: LinuxBackupDeps) {}

  private paths(config: OtshellConfig): [ManagedName, string][] {
    return [
      ['netplan.yaml', config.netplanFile],
      ['services.yaml', config.servicesFile],
      ['otshell.yaml', config.path],
      ['ntp.sources', config.ntp.sourcesFile],
      ['audit.jsonl', join(config.stateDir, AUDIT_FILE)],
    ];
  }

  async settings(): Promise<BackupSettings> {
    const config = await this.deps.config();
    return { folder: config.backup.folder, keep: config.backup.keep };
  }

  private async sensorVersion(config: OtshellConfig): Promise<string> {
    const text = await this.deps.runner.readFile(config.sensorVersionFile).catch(() => null);
    return sensorVersionOf(text) ?? 'unknown';
  }

  async configure(change: { folder?: string; keep?: number }, by?: Actor): Promise<{ old: BackupSettings; new: BackupSettings }> {
    if (change.folder !== undefined) checkFolderText(change.folder);
    checkKeep(change.keep);
    const config = await this.deps.config();
    await this.deps.requireWritable('Changing the backup folder', [dirOf(config.path), config.stateDir]);
    return this.deps.locked(by, config, async () => {
      const fresh = parseConfig(config.path, await this.deps.runner.readFile(config.path));
      const old = { folder: fresh.backup.folder, keep: fresh.backup.keep };
      const next = { folder: change.folder ?? old.folder, keep: change.keep ?? old.keep };
      if (isDeepStrictEqual(old, next)) return { old, new: next };
      const doc = fresh.text !== null ? YAML.parseDocument(fresh.text) : new YAML.Document({});
      if (!doc.contents || !YAML.isMap(doc.contents)) doc.contents = doc.createNode({}) as never;
      doc.setIn(['backup', 'folder'], next.folder);
      doc.setIn(['backup', 'keep'], next.keep);
      await applyAuditedAction(this.deps.runner, this.deps.auditPaths(config), actionFields(by, this.deps.target, 'backup-path', next.folder, old, next), async () => {
        const made = await this.deps.runner.run('mkdir', ['-p', '-m', '750', '--', next.folder]);
        if (made.exitCode !== 0) throw new BackupUsageError(`The backup folder ${next.folder} cannot be created (${made.stderr.trim()}). Nothing was changed.`);
        await this.deps.runner.writeFileAtomic(config.path, doc.toString(), 0o644);
      });
      return { old, new: next };
    });
  }

  private async readManaged(config: OtshellConfig, names?: ManagedName[]): Promise<{ name: ManagedName; data: Buffer }[]> {
    const out: { name: ManagedName; data: Buffer }[] = [];
    for (const [name, path] of this.paths(config)) {
      if (names && !names.includes(name)) continue;
      const text = await this.deps.runner.readFile(path);
      if (text !== null) out.push({ name, data: Buffer.from(text, 'utf8') });
    }
    return out;
  }

  async create(by?: Actor): Promise<{ path: string; manifest: BackupManifest; removed: string[] }> {
    const config = await this.deps.config();
    const folder = config.backup.folder;
    await this.deps.requireWritable('Making a backup', [config.stateDir]);
    return this.deps.locked(by, config, async () => {
      const hostname = ((await this.deps.runner.readFile('/proc/sys/kernel/hostname')) ?? 'sensor').trim() || 'sensor';
      const sensorVersion = await this.sensorVersion(config);
      const now = new Date();
      const name = backupFileName(hostname, sensorVersion, now);
      const path = join(folder, name);
      const { archive, manifest } = await packBackup(
        { format: 'otshell-backup', formatVersion: 1, otshellVersion: VERSION, sensorVersion, hostname, target: this.deps.target, created: now.toISOString() },
        await this.readManaged(config),
      );
      const text = archive.toString('utf8');
      if (!Buffer.from(text, 'utf8').equals(archive)) throw new OtshellError('A managed file is not UTF-8 text; otshell backs up text files only. Nothing was written.', EXIT.DATA);
      let removed: string[] = [];
      await applyAuditedAction(this.deps.runner, this.deps.auditPaths(config), actionFields(by, this.deps.target, 'backup-create', name, null, { path, sha256: sha256(archive) }), async () => {
        const made = await this.deps.runner.run('mkdir', ['-p', '-m', '750', '--', folder]);
        if (made.exitCode !== 0) throw new BackupUsageError(`The backup folder ${folder} cannot be created (${made.stderr.trim()}).`);
        await this.deps.runner.writeFileAtomic(path, text, 0o600);
        // Only files named as otshell names backups: a .tar someone put there is never removed.
        const names = (await this.listIn(folder)).map((f) => f.name).filter(isBackupFileName);
        removed = names.slice(0, Math.max(0, names.length - config.backup.keep));
        for (const old of removed) await this.deps.runner.remove(join(folder, old));
      });
      return { path, manifest, removed };
    });
  }

  async list(): Promise<BackupFileInfo[]> {
    return this.listIn((await this.deps.config()).backup.folder);
  }

  private async listIn(folder: string): Promise<BackupFileInfo[]> {
    const names = (await this.deps.runner.listDir(folder).catch(() => [] as string[])).filter((n) => n.endsWith('.tar') && !n.includes('\n'));
    if (names.length === 0) return [];
    const stat = await this.deps.runner.run('stat', ['-c', '%s\t%Y\t%F', '--', ...names.map((n) => join(folder, n))]);
    const rows = stat.stdout.split('\n');
    const files: BackupFileInfo[] = [];
    names.forEach((name, i) => {
      const [size, mtime, kind] = (rows[i] ?? '').split('\t');
      if (kind === 'regular file' || kind === 'regular empty file') files.push({ name, size: Number(size), modified: new Date(Number(mtime) * 1000).toISOString() });
    });
    const timeOf = (n: string) => /(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)\.tar$/.exec(n)?.[1] ?? '';
    return files.sort((a, b) => timeOf(a.name).localeCompare(timeOf(b.name)) || a.name.localeCompare(b.name));
  }

  async plan(file: string): Promise<RestorePlan> {
    const config = await this.deps.config();
    const folder = config.backup.folder;
    const runner = this.deps.runner;
    const path = await resolveInFolder(folder, file, {
      realpath: async (p) => {
        const r = await runner.run('realpath', ['-e', '--', p]);
        if (r.exitCode !== 0) throw new Error(r.stderr);
        return r.stdout.replace(/\n$/, '');
      },
      lstat: async (p) => {
        const r = await runner.run('stat', ['-c', '%F\t%s', '--', p]);
        if (r.exitCode !== 0) throw new Error(r.stderr);
        const [kind, size] = r.stdout.trim().split('\t');
        return { file: kind === 'regular file' || kind === 'regular empty file', symlink: kind === 'symbolic link', size: Number(size) };
      },
    });
    const archive = Buffer.from((await runner.readFile(path)) ?? '', 'utf8');
    const label = `The backup ${basename(path)}`;
    const { manifest, files } = await unpackBackup(archive, label);
    const version = await this.sensorVersion(config);
    if (manifest.sensorVersion !== version) {
      throw new BackupRefusedError(`${label} was made on sensor version ${manifest.sensorVersion}; this sensor runs ${version}, and backups restore only on the same version.`);
    }
    networkOf(files, label);
    const current = await this.readManaged(config);
    const restorable = [...files.entries()].filter(([name]) => name !== 'audit.jsonl').map(([name, data]) => ({ name, data }));
    return { file: path, manifest, changes: planChanges(current, restorable), archiveSha256: sha256(archive) };
  }

  async restore(plan: RestorePlan, by?: Actor): Promise<RestoreOutcome> {
    const config = await this.deps.config();
    const runner = this.deps.runner;
    await this.deps.requireWritable('Restoring a backup', [dirOf(config.servicesFile), dirOf(config.ntp.sourcesFile), config.stateDir]);
    const label = `The backup ${basename(plan.file)}`;
    const written: string[] = [];
    let network: NetworkSettings | null = null;
    let before: Map<ManagedName, string | null> = new Map();
    // One lock from the first read to the network apply: nobody changes anything in between.
    const lock = await this.deps.acquireLock(by ?? { user: 'unknown' });
    try {
      await this.deps.locked(by, config, async () => {
        const archive = Buffer.from((await runner.readFile(plan.file)) ?? '', 'utf8');
        if (sha256(archive) !== plan.archiveSha256) throw new BackupRefusedError(`${label} changed since it was checked.`);
        const { files } = await unpackBackup(archive, label);
        network = networkOf(files, label);
        const paths = new Map(this.paths(config));
        const targets = WRITTEN.filter((name) => files.has(name));
        before = new Map(await Promise.all(targets.map(async (name) => [name, await runner.readFile(paths.get(name)!)] as const)));
        const changed = targets.filter((name) => before.get(name) !== files.get(name)!.toString('utf8'));
        if (changed.length === 0) return;
        const old = Object.fromEntries(changed.map((n) => [n, sha256(before.get(n) ?? '')]));
        const next = Object.fromEntries(changed.map((n) => [n, sha256(files.get(n)!)]));
        await applyAuditedAction(runner, this.deps.auditPaths(config), actionFields(by, this.deps.target, 'backup-restore', basename(plan.file), old, next), async () => {
          try {
            for (const name of changed) {
              await runner.writeFileAtomic(paths.get(name)!, files.get(name)!.toString('utf8'), 0o644);
              written.push(name);
            }
            if (changed.includes('ntp.sources')) {
              const socket = config.ntp.chronycSocket ? ['-h', config.ntp.chronycSocket] : [];
              const reload = await runner.run('chronyc', [...socket, 'reload', 'sources'], { timeoutMs: 10_000 }).catch((e: Error) => ({ exitCode: -1, stderr: e.message, stdout: '' }));
              if (reload.exitCode !== 0) throw new OtshellError(`chronyc reload sources failed (${(reload.stderr || reload.stdout).trim().split('\n')[0]}).`, EXIT.PROBLEM);
            }
          } catch (error) {
            await this.putBack(config, before, written);
            throw new OtshellError(`${label} could not be restored: ${(error as Error).message.replace(/\.$/, '')}. Every file was put back; nothing was changed.`, EXIT.PROBLEM);
          }
        });
      }, lock);
      let outcome: ApplyOutcome | null = null;
      const settings = network as NetworkSettings | null;
      if (settings && !isDeepStrictEqual(settings, await this.deps.currentSettings())) {
        try {
          outcome = await this.deps.applySettings(settings, by, lock);
        } catch (error) {
          // The apply rolled itself back; undo the files too, audited, so the restore is all or nothing.
          if (written.length > 0) {
            await this.deps.locked(by, config, () =>
              applyAuditedAction(runner, this.deps.auditPaths(config), actionFields(by, this.deps.target, 'backup-restore', `${basename(plan.file)} (undone)`, written, []), () => this.putBack(config, before, written)),
            lock);
          }
          throw new OtshellError(`${label}: its network settings could not be applied (${(error as Error).message.replace(/\.$/, '')}). Every restored file was put back.`, EXIT.PROBLEM);
        }
      }
      return { file: plan.file, restored: [...written, ...(outcome ? ['netplan.yaml', 'otshell.yaml'] : [])], network: outcome };
    } finally {
      await lock.release();
    }
  }

  private async putBack(config: OtshellConfig, before: Map<ManagedName, string | null>, written: string[]): Promise<void> {
    const paths = new Map(this.paths(config));
    for (const name of written as ManagedName[]) {
      const text = before.get(name) ?? null;
      if (text === null) await this.deps.runner.remove(paths.get(name)!);
      else await this.deps.runner.writeFileAtomic(paths.get(name)!, text, 0o644);
    }
    if (written.includes('ntp.sources')) {
      // chrony back to the file as it was (best effort: a daemon that did not reload before will not now either).
      const socket = config.ntp.chronycSocket ? ['-h', config.ntp.chronycSocket] : [];
      await this.deps.runner.run('chronyc', [...socket, 'reload', 'sources'], { timeoutMs: 10_000 }).catch(() => {});
    }
  }
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

/** The network settings a backup holds (its netplan file and the roles of its config), or null when it holds none. */
function networkOf(files: Map<ManagedName, Buffer>, label: string): NetworkSettings | null {
  const netplan = files.get('netplan.yaml');
  const configText = files.get('otshell.yaml');
  if (!netplan || !configText) return null;
  let roles: OtshellConfig['roles'];
  try {
    roles = parseConfig('otshell.yaml', configText.toString('utf8')).roles;
  } catch {
    throw new BackupRefusedError(`${label}: its otshell.yaml is not a valid otshell config.`);
  }
  if (!roles.management) throw new BackupRefusedError(`${label}: its otshell.yaml names no management interface.`);
  const values = parseNetplan(netplan.toString('utf8'), roles.management);
  if (values.ip === null || values.prefixLength === null || values.gateway === null || values.dns === null) {
    throw new BackupRefusedError(`${label}: its netplan file does not hold the management address, gateway and DNS.`);
  }
  return { managementInterface: roles.management, ip: values.ip, prefixLength: values.prefixLength, gateway: values.gateway, dns: values.dns, inputInterfaces: roles.monitor, bridgeInterface: roles.bridge };
}

// The simulated sensor's backups: real tar files in a folder of the state
// directory (movable with `system backup path`). A backup holds the network
// settings, the NTP servers and the audit log. A restore is one atomic write
// of the state file (network settings pending until restart, exactly as
// edit-settings leaves them), so it happens entirely or not at all.
import { lstat, mkdir, readdir, readFile, realpath, stat, unlink } from '../../lazy-fs.js';
import { basename, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Actor } from '../adapter.js';
import { writeFileAtomic } from '../atomic-write.js';
import { applyAuditedAction, LOCAL_AUDIT_FILES } from '../audit-log.js';
import { actionFields } from '../audit-action.js';
import {
  BackupRefusedError,
  BackupUsageError,
  DEFAULT_BACKUP_KEEP,
  type BackupFileInfo,
  type BackupManifest,
  type BackupPort,
  type BackupSettings,
  type FileChange,
  type RestoreOutcome,
  type RestorePlan,
} from '../backup-port.js';
import { backupFileName, isBackupFileName, packBackup, sha256, unpackBackup, type ManagedName } from '../backup/archive.js';
import { checkFolderText, checkKeep, planChanges, resolveInFolder } from '../backup/folder.js';
import { VERSION } from '../../version.js';
import { EXIT, OtshellError } from '../../errors.js';
import type { SimulatorState } from './state.js';
import { checkSettings } from './state-shape.js';
import { ShapeError } from './shape-check.js';
import { ntpServersSchema, ntpStateOf } from './ntp.js';
import type { SimulatorFeatureDeps } from './feature-deps.js';
// The version `system version` reports: backups record it, restore compares it.
import { diagnosticsOf } from './diagnostics.js';


export class SimulatorBackup implements BackupPort {
  constructor(private readonly deps: SimulatorFeatureDeps) {}

  private settingsOf(state: SimulatorState): BackupSettings & { sensorVersion: string } {
    return {
      folder: state.backup?.folder ?? join(this.deps.stateDir, 'backups'),
      keep: state.backup?.keep ?? DEFAULT_BACKUP_KEEP,
      sensorVersion: diagnosticsOf(state).sensorVersion,
    };
  }

  async settings(): Promise<BackupSettings> {
    const { folder, keep } = this.settingsOf(await this.deps.load());
    return { folder, keep };
  }

  async configure(change: { folder?: string; keep?: number }, by?: Actor): Promise<{ old: BackupSettings; new: BackupSettings }> {
    if (change.folder !== undefined) checkFolderText(change.folder);
    checkKeep(change.keep);
    return this.deps.locked(by, async () => {
      const state = await this.deps.load();
      const current = this.settingsOf(state);
      const old = { folder: current.folder, keep: current.keep };
      const next = { folder: change.folder === undefined ? old.folder : resolve(change.folder), keep: change.keep ?? old.keep };
      if (isDeepStrictEqual(old, next)) return { old, new: next };
      await applyAuditedAction(LOCAL_AUDIT_FILES, this.deps.auditPaths, actionFields(by, this.deps.target, 'backup-path', next.folder, old, next), async () => {
        try {
          await mkdir(next.folder, { recursive: true, mode: 0o750 });
          if (!(await stat(next.folder)).isDirectory()) throw new Error('not a folder');
        } catch (error) {
          throw new BackupUsageError(`The backup folder ${next.folder} cannot be used (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Nothing was changed.`);
        }
        // Another folder is another disk: a full one (training's fault) is left behind.
        const disk = state.disk && next.folder !== old.folder ? { disk: { ...state.disk, backupFolderFull: false } } : {};
        await this.deps.store.save({ ...state, ...disk, backup: { ...state.backup, ...next } });
      });
      return { old, new: next };
    });
  }

  private managedFiles(state: SimulatorState, audit: Buffer | null): { name: ManagedName; data: Buffer }[] {
    const settings = state.pendingSettings ?? state.settings;
    return [
      { name: 'network-settings.json', data: Buffer.from(`${JSON.stringify(settings, null, 2)}\n`) },
      { name: 'ntp-servers.json', data: Buffer.from(`${JSON.stringify(ntpStateOf(state).servers)}\n`) },
      ...(audit ? [{ name: 'audit.jsonl' as const, data: audit }] : []),
    ];
  }

  async create(by?: Actor): Promise<{ path: string; manifest: BackupManifest; removed: string[] }> {
    return this.deps.locked(by, async () => {
      const state = await this.deps.load();
      const { folder, keep, sensorVersion } = this.settingsOf(state);
      if (state.disk?.backupFolderFull) {
        throw new OtshellError(`No space left on the disk of the backup folder ${folder} (ENOSPC). Nothing was written; free space there or choose another folder with "system backup-path DIR".`, EXIT.IO);
      }
      const now = new Date(this.deps.clock());
      const name = backupFileName(state.hostname, sensorVersion, now);
      const path = join(folder, name);
      const audit = await readFile(this.deps.auditPaths.log).catch(() => null);
      const { archive, manifest } = await packBackup(
        { format: 'otshell-backup', formatVersion: 1, otshellVersion: VERSION, sensorVersion, hostname: state.hostname, target: this.deps.target, created: now.toISOString() },
        this.managedFiles(state, audit),
      );
      let removed: string[] = [];
      await applyAuditedAction(LOCAL_AUDIT_FILES, this.deps.auditPaths, actionFields(by, this.deps.target, 'backup-create', name, null, { path, sha256: sha256(archive) }), async () => {
        await mkdir(folder, { recursive: true, mode: 0o750 });
        await writeFileAtomic(path, archive, 0o600);
        removed = await this.prune(folder, keep);
      });
      return { path, manifest, removed };
    });
  }

  /** Keeps the newest `keep` backups (by the UTC time in their names), removes the rest. */
  private async prune(folder: string, keep: number): Promise<string[]> {
    // Only files named as otshell names backups: a .tar someone put there is never removed.
    const names = (await this.listIn(folder)).map((f) => f.name).filter(isBackupFileName);
    const old = names.slice(0, Math.max(0, names.length - keep));
    for (const name of old) await unlink(join(folder, name)).catch(() => {});
    return old;
  }

  async list(): Promise<BackupFileInfo[]> {
    return this.listIn(this.settingsOf(await this.deps.load()).folder);
  }

  private async listIn(folder: string): Promise<BackupFileInfo[]> {
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const files: BackupFileInfo[] = [];
    for (const name of names.filter((n) => n.endsWith('.tar'))) {
      const info = await lstat(join(folder, name)).catch(() => null);
      if (info?.isFile()) files.push({ name, size: info.size, modified: info.mtime.toISOString() });
    }
    // Names end in their UTC time: the time order, whatever the clock of the file system says.
    return files.sort((a, b) => timeOf(a.name).localeCompare(timeOf(b.name)) || a.name.localeCompare(b.name));
  }

  async plan(file: string): Promise<RestorePlan> {
    const state = await this.deps.load();
    const { folder, sensorVersion } = this.settingsOf(state);
    const path = await resolveInFolder(folder, file, {
      realpath: (p) => realpath(p),
      lstat: async (p) => {
        const info = await lstat(p);
        return { file: info.isFile(), symlink: info.isSymbolicLink(), size: info.size };
      },
    });
    const archive = await readFile(path);
    const label = `The backup ${basename(path)}`;
    const { manifest, files } = await unpackBackup(archive, label);
    if (manifest.sensorVersion !== sensorVersion) {
      throw new BackupRefusedError(`${label} was made on sensor version ${manifest.sensorVersion}; this sensor runs ${sensorVersion}, and backups restore only on the same version.`);
    }
    parseRestored(files, label); // refuses settings or servers the simulator would not load
    const current = this.managedFiles(state, null);
    const changes: { name: string; change: FileChange }[] = planChanges(
      current.map((f) => ({ name: f.name, data: f.data })),
      [...files.entries()].filter(([name]) => name !== 'audit.jsonl').map(([name, data]) => ({ name, data })),
    );
    return { file: path, manifest, changes, archiveSha256: sha256(archive) };
  }

  async restore(plan: RestorePlan, by?: Actor): Promise<RestoreOutcome> {
    return this.deps.locked(by, async () => {
      // Read and checked again under the lock: the file may have changed since the plan was shown.
      const archive = await readFile(plan.file).catch(() => null);
      if (!archive || sha256(archive) !== plan.archiveSha256) throw new BackupRefusedError(`The backup ${basename(plan.file)} changed since it was checked.`);
      const { files } = await unpackBackup(archive, `The backup ${basename(plan.file)}`);
      const restored = parseRestored(files, `The backup ${basename(plan.file)}`);
      const state = await this.deps.load();
      const ntp = ntpStateOf(state);
      const oldSettings = state.pendingSettings ?? state.settings;
      const nextSettings = restored.settings ?? oldSettings;
      const nextServers = restored.servers ?? ntp.servers;
      const settingsChange = !isDeepStrictEqual(oldSettings, nextSettings);
      const next: SimulatorState = {
        ...state,
        // As edit-settings: pending until the restart (or nothing pending when they are what runs now).
        pendingSettings: isDeepStrictEqual(nextSettings, state.settings) ? null : nextSettings,
        ntp: { ...ntp, servers: nextServers },
      };
      const old = { settings: oldSettings, ntpServers: ntp.servers };
      const fresh = { settings: nextSettings, ntpServers: nextServers };
      await applyAuditedAction(LOCAL_AUDIT_FILES, this.deps.auditPaths, actionFields(by, this.deps.target, 'backup-restore', basename(plan.file), old, fresh), async () => {
        await this.deps.store.save(next);
      });
      return {
        file: plan.file,
        restored: [...files.keys()].filter((n) => n !== 'audit.jsonl'),
        // Back to the settings that run now: the pending change is withdrawn, nothing waits for a restart.
        network: settingsChange ? (next.pendingSettings ? { kind: 'pending-restart' } : { kind: 'applied' }) : null,
      };
    });
  }
}

function timeOf(name: string): string {
  return /(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)\.tar$/.exec(name)?.[1] ?? '';
}


function parseRestored(files: Map<ManagedName, Buffer>, label: string): { settings: SimulatorState['settings'] | null; servers: string[] | null } {
  const json = (name: ManagedName): unknown => {
    const data = files.get(name);
    if (!data) return undefined;
    try {
      return JSON.parse(data.toString('utf8'));
    } catch {
      throw new BackupRefusedError(`${label}: ${name} is not valid JSON.`);
    }
  };
  const rawSettings = json('network-settings.json');
  const rawServers = json('ntp-servers.json');
  const settings = rawSettings === undefined ? null : checkedSettings(rawSettings);
  if (settings === 'invalid') throw new BackupRefusedError(`${label}: network-settings.json holds invalid settings.`);
  const servers = rawServers === undefined ? null : ntpServersSchema.safeParse(rawServers);
  if (servers && !servers.success) throw new BackupRefusedError(`${label}: ntp-servers.json holds invalid servers.`);
  return { settings, servers: servers ? servers.data : null };
}

function checkedSettings(raw: unknown): SimulatorState['settings'] | 'invalid' {
  try {
    return checkSettings(raw, []);
  } catch (error) {
    if (error instanceof ShapeError) return 'invalid';
    throw error;
  }
}

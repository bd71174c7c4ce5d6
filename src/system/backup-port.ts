// Backups of what otshell manages on the sensor (`system backup create|list|path`,
// `system restore`). One tar file per backup with a manifest (backup/archive.ts);
// restore checks version, checksums and names before anything changes, writes
// each file atomically and undoes every step if one fails.
import type { Actor, ApplyOutcome } from './adapter.js';
import { EXIT, OtshellError } from '../errors.js';

export interface BackupManifestFile {
  /** The name inside the archive (a fixed name per managed file: backup/archive.ts MANAGED_NAMES). */
  name: string;
  size: number;
  sha256: string;
}

export interface BackupManifest {
  format: 'otshell-backup';
  formatVersion: 1;
  otshellVersion: string;
  sensorVersion: string;
  hostname: string;
  target: string;
  created: string;
  files: BackupManifestFile[];
}

export interface BackupFileInfo {
  /** The file name in the backup folder. */
  name: string;
  size: number;
  /** Modification time (ISO). */
  modified: string;
}

export interface BackupSettings {
  folder: string;
  /** The newest N backups are kept; older ones are removed after each new backup. */
  keep: number;
}

export type FileChange = 'changed' | 'unchanged' | 'added' | 'removed';

export interface RestorePlan {
  /** The backup file, as a path in the backup folder. */
  file: string;
  manifest: BackupManifest;
  /** What restoring would do to each managed file. */
  changes: { name: string; change: FileChange }[];
  /** SHA-256 of the whole archive as checked: restore refuses if the file changed since. */
  archiveSha256: string;
}

export interface RestoreOutcome {
  file: string;
  restored: string[];
  /** How restored network settings take effect (the edit-settings apply path); null when they did not change. */
  network: ApplyOutcome | null;
}

export interface BackupPort {
  settings(): Promise<BackupSettings>;
  /** Sets the backup folder (created when missing; an absolute path) and/or how many to keep, under the edit lock, audited. */
  configure(change: { folder?: string; keep?: number }, by?: Actor): Promise<{ old: BackupSettings; new: BackupSettings }>;
  /** Writes a new backup (under the edit lock, audited) and prunes to the newest N. */
  create(by?: Actor): Promise<{ path: string; manifest: BackupManifest; removed: string[] }>;
  /** Backups in the folder, oldest first. */
  list(): Promise<BackupFileInfo[]>;
  /** Reads and checks a backup (a name in the folder, or a path inside it); throws BackupRefusedError. Changes nothing. */
  plan(file: string): Promise<RestorePlan>;
  /** Restores a checked backup: every file atomically, all undone if a step fails; audited, under the edit lock. */
  restore(plan: RestorePlan, by?: Actor): Promise<RestoreOutcome>;
}

/** A backup that must not be restored (other version, tampered, outside the folder): nothing changed (EX_DATAERR). */
export class BackupRefusedError extends OtshellError {
  constructor(message: string) {
    super(`${message} Nothing was changed.`, EXIT.DATA);
  }
}

/** No such backup, or no backups at all. */
export class BackupNotFoundError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.PROBLEM);
  }
}

/** A bad folder or file argument: EX_USAGE. */
export class BackupUsageError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
  }
}

export const DEFAULT_BACKUP_KEEP = 10;
export const MAX_BACKUP_KEEP = 1000;

// The backup tar: manifest.json first, then one entry per managed file under
// a fixed name. Reading checks everything before anything is used: only plain
// files with known names (no paths, links or devices), sizes and SHA-256 as
// the manifest says, nothing missing or extra, bounded sizes.
import { nodeCrypto } from '../node-crypto.js';
import type { BackupManifest } from '../backup-port.js';
import { BackupRefusedError } from '../backup-port.js';

/** tar-stream loads with the first backup or restore, not with every command (dist/vendor-tar.cjs). */
const tarStream = () => import('tar-stream');

export const MANIFEST_NAME = 'manifest.json';
/** A backup holds configuration, never megabytes; a bigger file is refused unread. */
export const MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;
const MAX_ENTRY_BYTES = 32 * 1024 * 1024;

/**
 * The names a backup may hold, one per managed file. To back up a new file
 * (e.g. the site file of the requirements check), add its name here and its
 * path to each adapter's managed-file list (simulator/backup.ts, linux/backup.ts).
 */
export const MANAGED_NAMES = [
  'network-settings.json', // simulator: the configured network settings
  'netplan.yaml', // real host: the netplan file otshell writes
  'services.yaml',
  'otshell.yaml', // real host: otshell's config (interface roles)
  'ntp-servers.json', // simulator: NTP servers
  'ntp.sources', // real host: chrony sources file of otshell
  'audit.jsonl',
] as const;

export type ManagedName = (typeof MANAGED_NAMES)[number];

export function sha256(data: Buffer | string): string {
  return nodeCrypto().createHash('sha256').update(data).digest('hex');
}

export async function packBackup(manifest: Omit<BackupManifest, 'files'>, files: { name: ManagedName; data: Buffer }[]): Promise<{ archive: Buffer; manifest: BackupManifest }> {
  const full: BackupManifest = { ...manifest, files: files.map((f) => ({ name: f.name, size: f.data.length, sha256: sha256(f.data) })) };
  const pack = (await tarStream()).pack();
  const mtime = new Date(manifest.created);
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  pack.entry({ name: MANIFEST_NAME, mode: 0o600, mtime }, Buffer.from(`${JSON.stringify(full, null, 2)}\n`));
  for (const file of files) pack.entry({ name: file.name, mode: 0o600, mtime }, file.data);
  pack.finalize();
  await done;
  return { archive: Buffer.concat(chunks), manifest: full };
}

/** Reads and checks a backup; throws BackupRefusedError naming what is wrong. */
export async function unpackBackup(archive: Buffer, label: string): Promise<{ manifest: BackupManifest; files: Map<ManagedName, Buffer> }> {
  if (archive.length > MAX_ARCHIVE_BYTES) throw new BackupRefusedError(`${label} is larger than ${MAX_ARCHIVE_BYTES / 1024 / 1024} MB: not an otshell backup.`);
  const entries = new Map<string, Buffer>();
  const extract = (await tarStream()).extract();
  const reading = (async () => {
    for await (const entry of extract) {
      const { name, type, size } = entry.header;
      if (type !== 'file') {
        entry.resume();
        throw new BackupRefusedError(`${label} holds ${type === 'symlink' || type === 'link' ? 'a link' : `a ${type ?? 'special'} entry`} (${shown(name)}); a backup holds plain files only.`);
      }
      if (!isSafeName(name)) {
        entry.resume();
        throw new BackupRefusedError(`${label} holds a file outside the backup (${shown(name)}); a backup holds only its own file names.`);
      }
      if ((size ?? 0) > MAX_ENTRY_BYTES) throw new BackupRefusedError(`${label}: ${shown(name)} is too large.`);
      if (entries.has(name)) throw new BackupRefusedError(`${label} holds ${shown(name)} twice.`);
      const parts: Buffer[] = [];
      for await (const chunk of entry) parts.push(chunk as Buffer);
      entries.set(name, Buffer.concat(parts));
    }
  })();
  extract.end(archive);
  try {
    await reading;
  } catch (error) {
    extract.destroy();
    if (error instanceof BackupRefusedError) throw error;
    throw new BackupRefusedError(`${label} is not a readable tar file (${(error as Error).message}).`);
  }
  const manifestData = entries.get(MANIFEST_NAME);
  if (!manifestData) throw new BackupRefusedError(`${label} has no ${MANIFEST_NAME}: not an otshell backup.`);
  const manifest = parseManifest(manifestData, label);
  const files = new Map<ManagedName, Buffer>();
  for (const listed of manifest.files) {
    const data = entries.get(listed.name);
    if (!data) throw new BackupRefusedError(`${label}: ${listed.name} is listed in the manifest but missing.`);
    if (data.length !== listed.size || sha256(data) !== listed.sha256) {
      throw new BackupRefusedError(`${label}: ${listed.name} does not match its checksum in the manifest (the backup was changed or damaged).`);
    }
    files.set(listed.name as ManagedName, data);
  }
  for (const name of entries.keys()) {
    if (name !== MANIFEST_NAME && !files.has(name as ManagedName)) throw new BackupRefusedError(`${label} holds ${shown(name)}, which its manifest does not list.`);
  }
  return { manifest, files };
}

function isSafeName(name: string): boolean {
  return name === MANIFEST_NAME || (MANAGED_NAMES as readonly string[]).includes(name);
}

/** A name from the archive, shown safely (JSON quoting; the output layer escapes again). */
function shown(name: string | undefined): string {
  const text = JSON.stringify(String(name ?? ''));
  return text.length > 80 ? `${text.slice(0, 77)}..."` : text;
}

function parseManifest(data: Buffer, label: string): BackupManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString('utf8'));
  } catch {
    throw new BackupRefusedError(`${label}: its manifest is not valid JSON.`);
  }
  const m = raw as BackupManifest;
  const text = (v: unknown) => typeof v === 'string' && v.length <= 256;
  const ok =
    typeof m === 'object' && m !== null && m.format === 'otshell-backup' && m.formatVersion === 1 &&
    text(m.otshellVersion) && text(m.sensorVersion) && text(m.hostname) && text(m.target) && text(m.created) &&
    Array.isArray(m.files) && m.files.length <= MANAGED_NAMES.length &&
    m.files.every((f) => typeof f === 'object' && f !== null && isSafeName(f.name) && f.name !== MANIFEST_NAME && Number.isSafeInteger(f.size) && f.size >= 0 && typeof f.sha256 === 'string' && /^[0-9a-f]{64}$/.test(f.sha256)) &&
    new Set(m.files.map((f) => f.name)).size === m.files.length;
  if (!ok) throw new BackupRefusedError(`${label}: its manifest is not an otshell backup manifest (format 1).`);
  return m;
}

/** `<hostname>-backup-version-<version>-<UTC time>.tar`, the time as 2026-11-29T03-15-02Z (no ":" for other file systems). */
export function backupFileName(hostname: string, version: string, at: Date): string {
  const time = at.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  return `${safePart(hostname)}-backup-version-${safePart(version)}-${time}.tar`;
}

function safePart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64) || 'unknown';
}

export function isBackupFileName(name: string): boolean {
  return /^[A-Za-z0-9._-]+-backup-version-[A-Za-z0-9._-]+-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.tar$/.test(name);
}

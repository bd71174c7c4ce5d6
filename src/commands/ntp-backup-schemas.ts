// The --json results of the ntp and backup commands (docs/schemas/ntp-*.json, system-backup*.json, system-restore.json).
import * as z from 'zod/mini';

export const NtpChangeResultSchema = z.strictObject({
  address: z.string(),
  changed: z.boolean(),
  servers: z.array(z.string()),
});

export const NtpStatusResultSchema = z.strictObject({
  servers: z.array(z.strictObject({ address: z.string(), state: z.enum(['synchronised', 'candidate', 'unreachable', 'unknown']), stratum: z.nullable(z.number()) })),
  synchronised: z.boolean(),
  reference: z.nullable(z.string()),
  stratum: z.nullable(z.number()),
  offsetSeconds: z.nullable(z.number()),
});

const manifest = z.strictObject({
  format: z.literal('otshell-backup'),
  formatVersion: z.literal(1),
  otshellVersion: z.string(),
  sensorVersion: z.string(),
  hostname: z.string(),
  target: z.string(),
  created: z.string(),
  files: z.array(z.strictObject({ name: z.string(), size: z.number(), sha256: z.string() })),
});

export const BackupCreateResultSchema = z.strictObject({ path: z.string(), manifest, removed: z.array(z.string()) });

export const BackupListResultSchema = z.strictObject({
  folder: z.string(),
  keep: z.number(),
  files: z.array(z.strictObject({ name: z.string(), size: z.number(), modified: z.string() })),
});

export const BackupPathResultSchema = z.strictObject({ folder: z.string(), keep: z.number(), changed: z.boolean(), previous: z.nullable(z.string()) });

export const RestoreResultSchema = z.strictObject({
  file: z.nullable(z.string()),
  restored: z.boolean(),
  changes: z.array(z.strictObject({ name: z.string(), change: z.enum(['changed', 'unchanged', 'added', 'removed']) })),
  files: z.array(z.string()),
  network: z.nullable(z.enum(['pending-restart', 'applied', 'awaiting-confirmation'])),
  cancelled: z.nullable(z.enum(['interrupt', 'eof', 'attempts', 'declined'])),
});

// The simulated sensor's disk (an optional section "disk" of the state file):
// training's "full disk for backups". Absent (older files): room for everything.
import * as z from 'zod/mini';

// Built on first use: see section() in state-shape.ts.
export const simulatorDiskSchema = z.lazy(() =>
  z.object({
    /** The disk of the backup folder is full: "system backup" fails until the folder is moved. */
    backupFolderFull: z._default(z.boolean(), false),
  }),
);

// The `backup` section of the simulator state, apart from simulator/backup.ts
// so state.ts can import it without a cycle.
import { isAbsolute } from 'node:path';
import * as z from 'zod/mini';

/** The `backup` section of the simulator state (absent: the folder "backups" in the state directory, newest 10 kept). */
// Built on first use: see section() in state-shape.ts.
export const simulatorBackupSchema = z.lazy(() =>
  z.object({
    folder: z.string().check(z.refine((v) => isAbsolute(v) && v.length <= 4096 && !/[\p{C}]/u.test(v), { error: 'expected an absolute folder path' })),
    keep: z.int().check(z.minimum(1), z.maximum(1000)),
  }),
);


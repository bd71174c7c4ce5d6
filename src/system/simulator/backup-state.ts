// The `backup` section of the simulator state, apart from simulator/backup.ts
// so state.ts can import it without a cycle.
import { isAbsolute } from 'node:path';
import * as z from 'zod/mini';

/** The sensor software version the simulated appliance reports (backups record it; restore compares it). */
export const SIMULATED_SENSOR_VERSION = '22.2.5.9-r-2121448';

/** The `backup` section of the simulator state (absent: the folder "backups" in the state directory, newest 10 kept). */
export const simulatorBackupSchema = z.object({
  folder: z.string().check(z.refine((v) => isAbsolute(v) && v.length <= 4096 && !/[\p{C}]/u.test(v), { error: 'expected an absolute folder path' })),
  keep: z.int().check(z.minimum(1), z.maximum(1000)),
  /** The sensor version this simulated appliance runs (trainers may change it to practise a refused restore). */
  sensorVersion: z.optional(z.string().check(z.refine((v) => /^[A-Za-z0-9._-]{1,64}$/.test(v), { error: 'expected a version such as 22.2.5.9-r-2121448' }))),
});


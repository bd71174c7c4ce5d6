// `network capture-check --json`: the live check's result, each report the
// same shape as validate-capture's (src/commands/shared-schemas.ts CaptureReportSchema).
import * as z from 'zod/mini';
import type { CaptureCheckResult } from '../../capture/index.js';
import { CaptureReportSchema } from '../shared-schemas.js';

export const CaptureCheckResultSchema: z.ZodMiniType<CaptureCheckResult> = z.strictObject({
  seconds: z.number().check(z.minimum(1)),
  elapsedSeconds: z.number().check(z.minimum(0)),
  interrupted: z.boolean(),
  saved: z.nullable(z.string()),
  interfaces: z.array(CaptureReportSchema),
  overall: CaptureReportSchema,
});

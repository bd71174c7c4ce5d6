// Public API of the capture analysis library (`network validate-capture`).

export type {
  CaptureReport,
  CaptureCheck,
  CheckStatus,
  HierarchyNode,
  OtProtocolReport,
  TopTalker,
  AnalyzeOptions,
  CaptureDetails,
} from './types.js';
export { analyzeCapture, analyzeBuffer } from './analyze.js';
export { renderCaptureReport } from './render.js';
export { captureDetails } from './report.js';
export { OT_PROTOCOLS, protocols, type Protocol } from './protocols/index.js';
export { sniffFormat } from './sniff.js';
export { completePath } from './complete-path.js';
export { runCaptureCheck, parseSeconds, DEFAULT_SECONDS, type CaptureCheckResult, type CaptureCheckOptions, type CaptureProgress } from './live-check.js';

import type { CaptureReport } from './types.js';
import { EXIT, type ExitCode } from '../errors.js';

/** 0 when every file passes, 1 when any warns or fails, 2 when any is unreadable. */
export function captureExitCode(reports: CaptureReport[]): ExitCode {
  if (reports.some((r) => r.error !== null)) return EXIT.INCOMPLETE;
  if (reports.some((r) => r.verdict.status !== 'pass')) return EXIT.PROBLEM;
  return EXIT.OK;
}

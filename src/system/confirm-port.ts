// Whether a change applied with confirm-or-revert is waiting for `network
// confirm` (real sensors; the simulator applies at restart and has none).
// `network validate` uses it to say why the interfaces and the saved settings differ.
import type { NetworkSettings } from './adapter.js';

export interface PendingConfirmation {
  /** ISO 8601 UTC: when the previous settings come back unless confirmed. */
  revertAt: string;
  /** What the interfaces carry now, and what confirming saves. */
  settings: NetworkSettings;
}

export interface ConfirmPort {
  /** The change waiting for `network confirm`, or null. */
  pendingConfirmation(): Promise<PendingConfirmation | null>;
}

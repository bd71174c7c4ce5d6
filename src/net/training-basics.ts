// What the training commands and the simulator need of a scenario without its
// parser (yaml and the schema load only when a scenario file is read).

/** Scenario files larger than this are refused before parsing (a 1 MB title is no story). */
export const MAX_SCENARIO_BYTES = 64 * 1024;

/** A safe slug: what a run id and a report file name are made of. */
export const SCENARIO_ID = /^[a-z0-9][a-z0-9-]{0,47}$/;

/** Time left in minutes:seconds ("12:05"), never negative. */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

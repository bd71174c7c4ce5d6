// How a time reads in text output: "2026-11-29 02:46:29 UTC", not the raw ISO
// string the state and audit files keep (--json stays ISO). A leaf: the audit
// and session renderers, the edit-lock refusal and the confirm countdown use it.

/** An ISO 8601 time as "YYYY-MM-DD HH:MM:SS UTC"; anything that is not a time comes back unchanged (the caller escapes it). */
export function readableTime(iso: string): string {
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d\d-\d\dT/.test(iso) || Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

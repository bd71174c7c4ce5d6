// The old -> new summary of a settings change: shown before "Apply the
// settings?" and printed by --dry-run.
import type { NetworkSettings } from '../../system/adapter.js';
import { formatMask, printable } from '../../net/settings-rules.js';

export interface SettingsChange {
  field: keyof NetworkSettings;
  label: string;
  old: string;
  new: string;
}

const list = (values: readonly string[]) => (values.length === 0 ? 'none' : values.map(printable).join(', '));

/** Each field in the wizard's order, with how to show it and when it counts as changed. */
const FIELDS: {
  field: keyof NetworkSettings;
  label: string;
  show(s: NetworkSettings): string;
  same?(a: NetworkSettings, b: NetworkSettings): boolean;
}[] = [
  { field: 'managementInterface', label: 'Management interface', show: (s) => printable(s.managementInterface) },
  { field: 'ip', label: 'Management IP', show: (s) => printable(s.ip) },
  { field: 'prefixLength', label: 'Subnet mask', show: (s) => formatMask(s.prefixLength) },
  // DNS order matters (the first server is asked first).
  { field: 'dns', label: 'DNS servers', show: (s) => list(s.dns) },
  { field: 'gateway', label: 'Default gateway', show: (s) => printable(s.gateway) },
  {
    field: 'inputInterfaces',
    label: 'Input interfaces',
    show: (s) => list(s.inputInterfaces),
    // A set: choosing the same interfaces in another order is no change.
    same: (a, b) => JSON.stringify([...a.inputInterfaces].sort()) === JSON.stringify([...b.inputInterfaces].sort()),
  },
  { field: 'bridgeInterface', label: 'Bridge interface', show: (s) => printable(s.bridgeInterface ?? 'none') },
];

export function diffSettings(old: NetworkSettings, next: NetworkSettings): SettingsChange[] {
  // Compared on the raw values: two different values may print alike once escaped.
  const same = (a: NetworkSettings, b: NetworkSettings, field: keyof NetworkSettings) =>
    JSON.stringify(a[field]) === JSON.stringify(b[field]);
  return FIELDS.filter((f) => !(f.same ? f.same(old, next) : same(old, next, f.field))).map((f) => ({
    field: f.field,
    label: f.label,
    old: f.show(old),
    new: f.show(next),
  }));
}

/** One aligned line per change, e.g. "  Management IP   10.1.0.20 -> 10.1.0.30". */
export function renderDiff(diff: readonly SettingsChange[]): string {
  const width = Math.max(0, ...diff.map((c) => c.label.length));
  return diff.map((c) => `  ${c.label.padEnd(width)}   ${c.old} -> ${c.new}`).join('\n');
}

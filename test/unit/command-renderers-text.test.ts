// The commands' human text, whole, for every branch of each renderer (issue 17: mutation testing
// of the renderers): network list (loopback, IPv6, LED, no gateway/DNS), validate, confirm,
// edit-settings, sanity, audit (settings changes, actions, sessions, malformed lines). A tagging
// style marks each tone and each untrusted value, so a lost colour or escape shows in the text.
import { describe, expect, it } from 'vitest';
import audit, { type AuditResult } from '../../src/commands/system/audit.js';
import { renderConfirm } from '../../src/commands/network/confirm.js';
import { renderEditSettings, type EditSettingsResult } from '../../src/commands/network/edit-settings.js';
import { renderNetworkList, type ListedSnapshot } from '../../src/commands/network/list.js';
import { renderDiff } from '../../src/commands/network/settings-diff.js';
import { renderValidate, type ValidateResult } from '../../src/commands/network/validate.js';
import { renderSanity } from '../../src/commands/system/sanity.js';
import type { RenderStyle } from '../../src/commands/types.js';
import type { AuditEntry, NetworkSettings } from '../../src/system/adapter.js';

const TAG = (ascii = false): RenderStyle => ({
  ascii,
  color: true,
  width: 80,
  paint: (tone, text) => `<${tone}>${text}</${tone}>`,
  untrusted: (text) => `{${text}}`,
  format: { ifconfigBytes: (n) => `${n}b`, uptimeClock: (s) => `${s}s` },
});

const eth = (over: Partial<ListedSnapshot['interfaces'][number]> = {}): ListedSnapshot['interfaces'][number] => ({
  name: 'eth1', role: 'monitor', mac: '02:00:00:00:00:01', mtu: 9000, up: true, running: true, promisc: true,
  flags: ['UP', 'PROMISC'], flagsValue: 4419, txqueuelen: 500,
  ipv4: [],
  rx: { packets: 11, bytes: 12, errors: 13, dropped: 14, overruns: 15, frame: 16 },
  tx: { packets: 21, bytes: 22, errors: 23, dropped: 24, carrier: 25, collisions: 26 },
  ...over,
});

const SETTINGS: NetworkSettings = {
  managementInterface: 'eth0', ip: '10.1.0.20', prefixLength: 24, gateway: '10.1.0.1', dns: ['10.1.0.2'], inputInterfaces: ['eth1'], bridgeInterface: null,
};
const NEXT: NetworkSettings = { ...SETTINGS, ip: '10.1.0.30', dns: ['10.1.0.2', '10.1.0.3'], bridgeInterface: 'br0' };

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  time: '2026-11-28T10:00:00.000Z', user: 'admin', tty: '/dev/pts/1', target: 'simulator', old: SETTINGS, new: NEXT, ...over,
});

const validateSettings: ValidateResult['settings'] = {
  interface: 'eth0', ip: '10.1.0.20', prefixLength: 24, subnet: '255.255.255.0', gateway: '10.1.0.1', dns: [], monitorInterfaces: ['eth1', 'eth2'], bridgeInterface: null,
};

const edit = (over: Partial<EditSettingsResult>): EditSettingsResult => ({
  status: 'applied', applied: false, dryRun: false, outcome: null, changes: [], old: SETTINGS, new: NEXT, editedPending: false, cancelled: null, ...over,
});
const CHANGES = [
  { field: 'ip' as const, label: 'Management IP', old: '10.1.0.20', new: '10.1.0.30' },
  { field: 'dns' as const, label: 'DNS', old: '10.1.0.2', new: '10.1.0.2, 10.1.0.3' },
];

const auditText = (result: AuditResult, ascii = false) => audit.render(result, TAG(ascii));

/** Every case: a name and the text it renders. */
const CASES: Record<string, () => string> = {
  'list: loopback (no broadcast), monitor with IPv6 and LED, no gateway, no DNS, restart pending': () =>
    renderNetworkList(
      {
        interfaces: [
          eth({ name: 'lo', role: 'loopback', flags: ['UP', 'LOOPBACK', 'RUNNING'], flagsValue: 73, mtu: 65536, txqueuelen: 1000, ipv4: [{ address: '127.0.0.1', prefixLength: 8, netmask: '255.0.0.0', broadcast: '127.255.255.255' }] }),
          eth({ led: 'blinking', ipv6: [{ address: 'fe80::1', prefixLength: 64, scope: 'link' }], ipv4: [{ address: '192.0.2.1', prefixLength: 24, netmask: '255.255.255.0', broadcast: '192.0.2.255' }] }),
          eth({ name: 'eth2', rx: { packets: 1, bytes: 2, errors: 3, dropped: 4 }, tx: { packets: 5, bytes: 6, errors: 7, dropped: 8 } }),
        ],
        gateway: null,
        dns: [],
        pendingRestart: true,
      } as ListedSnapshot,
      TAG(),
    ),
  'validate: match': () => renderValidate({ match: true, mismatches: [], settings: validateSettings, pending: null }, TAG()),
  'validate: one mismatch of two lines, bridge set': () =>
    renderValidate(
      { match: false, mismatches: [{ check: 'dns', message: 'first line\nsecond line' }], settings: { ...validateSettings, dns: ['1.1.1.1', '9.9.9.9'], monitorInterfaces: [], bridgeInterface: 'br0' }, pending: null },
      TAG(),
    ),
  'validate: two mismatches, ASCII bullets': () =>
    renderValidate(
      { match: false, mismatches: [{ check: 'gateway', message: 'gw' }, { check: 'monitor', message: 'mon' }], settings: validateSettings, pending: null },
      TAG(true),
    ),
  'confirm: confirmed': () => renderConfirm({ confirmed: true, detail: 'Confirmed.' }, TAG()),
  'confirm: nothing to confirm': () => renderConfirm({ confirmed: false, detail: 'Nothing waits.' }, TAG()),
  'diff: aligned labels': () => renderDiff(CHANGES),
  'diff: none': () => renderDiff([]),
  'edit: applied, pending restart': () => renderEditSettings(edit({ outcome: { kind: 'pending-restart' } })),
  'edit: applied now': () => renderEditSettings(edit({ outcome: { kind: 'applied' } })),
  'edit: awaiting confirmation': () => renderEditSettings(edit({ outcome: { kind: 'awaiting-confirmation', revertAt: '2026-11-28T10:05:00.000Z' } })),
  'edit: dry run': () => renderEditSettings(edit({ status: 'dry-run', dryRun: true, changes: CHANGES })),
  'edit: dry run of pending settings': () => renderEditSettings(edit({ status: 'dry-run', dryRun: true, changes: CHANGES, editedPending: true })),
  'edit: unchanged': () => renderEditSettings(edit({ status: 'unchanged' })),
  'edit: declined': () => renderEditSettings(edit({ status: 'declined' })),
  'edit: cancelled by end of input': () => renderEditSettings(edit({ status: 'cancelled', cancelled: 'eof' })),
  'edit: cancelled without a reason': () => renderEditSettings(edit({ status: 'cancelled', cancelled: null })),
  'sanity: starting, with a stopped and a silent service without detail': () =>
    renderSanity(
      {
        status: 'starting',
        profile: 'small',
        services: [
          { name: 'A', status: 'starting' },
          { name: 'B', status: 'running' },
          { name: 'C', status: 'starting' },
        ],
      },
      TAG(),
    ),
  'sanity: down': () =>
    renderSanity(
      {
        status: 'down',
        profile: 'small',
        services: [
          { name: 'A', status: 'stopped' },
          { name: 'B', status: 'not-responding' },
          { name: 'C', status: 'running', uptimeSeconds: 5 },
          { name: 'D', status: 'stopped', detail: 'why' },
        ],
      },
      TAG(),
    ),
  'sanity: up': () => renderSanity({ status: 'up', profile: 'large', services: [{ name: 'A', status: 'running', uptimeSeconds: 7 }] }, TAG()),
  'audit: empty log': () => auditText({ entries: [], total: 0, malformedLines: [] }),
  'audit: empty log with one unreadable line': () => auditText({ entries: [], total: 0, malformedLines: [3] }),
  'audit: entries and actions by time, eleven unreadable lines': () =>
    auditText({
      entries: [
        entry({ time: '2026-11-28T10:02:00.000Z' }),
        entry({ time: '2026-11-28T10:00:00.000Z', tty: undefined, sshClient: '192.0.2.9 50000', new: SETTINGS }),
      ],
      actions: [
        { time: '2026-11-28T10:01:00.000Z', user: 'root', target: 'simulator', action: 'ntp-enable', subject: 'pool.ntp.org', old: false, new: true, interrupted: true } as never,
      ],
      total: 2,
      malformedLines: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    }),
  'audit: interrupted, reverted, unknown terminal, two unreadable lines': () =>
    auditText({
      entries: [
        entry({ tty: undefined, interrupted: true, intended: NEXT }),
        entry({ time: '2026-11-28T11:00:00.000Z', interrupted: true }),
        entry({ time: '2026-11-28T12:00:00.000Z', reverted: true, revertedAt: '2026-11-28T12:05:00.000Z' }),
        entry({ time: '2026-11-28T13:00:00.000Z', reverted: true }),
      ],
      total: 4,
      malformedLines: [7, 9],
    }),
  'audit: sessions': () =>
    auditText({
      entries: [],
      total: 0,
      malformedLines: [],
      sessions: [
        { time: '2026-11-28T10:00:00.000Z', kind: 'sign-in', user: 'admin', role: 'support', source: 'console' },
        { time: '2026-11-28T10:01:00.000Z', kind: 'failure', user: 'eve', source: '192.0.2.7', detail: 'bad password' },
      ],
    }),
  'audit: no sessions': () => auditText({ entries: [], total: 0, malformedLines: [], sessions: [] }),
};

/** What each case shows, line by line (checked by hand against docs and the appliance reference). */
const EXPECTED: Record<string, string[]> = {
  "list: loopback (no broadcast), monitor with IPv6 and LED, no gateway, no DNS, restart pending": [
    "<bold>{lo}</bold>: flags=73<{UP},{LOOPBACK},{RUNNING}>  mtu 65536",
    "        inet {127.0.0.1}  netmask {255.0.0.0}",
    "        loop  txqueuelen 1000  (Local Loopback)",
    "        RX packets 11  bytes 12 (12b)",
    "        RX errors 13  dropped 14  overruns 15  frame 16",
    "        TX packets 21  bytes 22 (22b)",
    "        TX errors 23  dropped 24 overruns 0  carrier 25  collisions 26",
    "        role {loopback}",
    "",
    "<bold>{eth1}</bold>: flags=4419<{UP},{PROMISC}>  mtu 9000",
    "        inet {192.0.2.1}  netmask {255.255.255.0}  broadcast {192.0.2.255}",
    "        inet6 {fe80::1}  prefixlen 64  scopeid <{link}>",
    "        ether {02:00:00:00:00:01}  txqueuelen 500  (Ethernet)",
    "        RX packets 11  bytes 12 (12b)",
    "        RX errors 13  dropped 14  overruns 15  frame 16",
    "        TX packets 21  bytes 22 (22b)",
    "        TX errors 23  dropped 24 overruns 0  carrier 25  collisions 26",
    "        role {monitor}",
    "        <yellow>led blinking</yellow>",
    "",
    "<bold>{eth2}</bold>: flags=4419<{UP},{PROMISC}>  mtu 9000",
    "        ether {02:00:00:00:00:01}  txqueuelen 500  (Ethernet)",
    "        RX packets 1  bytes 2 (2b)",
    "        RX errors 3  dropped 4  overruns 0  frame 0",
    "        TX packets 5  bytes 6 (6b)",
    "        TX errors 7  dropped 8 overruns 0  carrier 0  collisions 0",
    "        role {monitor}",
    "",
    "Default gateway: {none}",
    "DNS: none",
    "<yellow>Restart pending: new network settings take effect after \"system reboot\".</yellow>",
  ],
  "validate: match": [
    "<green>Success! (Appliance configuration matches the network settings)</green>",
    "",
    "Current Network Settings:",
    "  interface: eth0",
    "  ip: 10.1.0.20",
    "  subnet: 255.255.255.0",
    "  default gateway: 10.1.0.1",
    "  dns: none",
    "  monitor interfaces: eth1, eth2",
    "  bridge interface: none",
  ],
  "validate: one mismatch of two lines, bridge set": [
    "<red>The appliance configuration does not match the network settings (1 mismatch):</red>",
    "  • first line",
    "    second line",
    "",
    "Current Network Settings:",
    "  interface: eth0",
    "  ip: 10.1.0.20",
    "  subnet: 255.255.255.0",
    "  default gateway: 10.1.0.1",
    "  dns: 1.1.1.1, 9.9.9.9",
    "  monitor interfaces: none",
    "  bridge interface: br0",
  ],
  "validate: two mismatches, ASCII bullets": [
    "<red>The appliance configuration does not match the network settings (2 mismatches):</red>",
    "  - gw",
    "  - mon",
    "",
    "Current Network Settings:",
    "  interface: eth0",
    "  ip: 10.1.0.20",
    "  subnet: 255.255.255.0",
    "  default gateway: 10.1.0.1",
    "  dns: none",
    "  monitor interfaces: eth1, eth2",
    "  bridge interface: none",
  ],
  "confirm: confirmed": [
    "<green>Confirmed.</green>",
  ],
  "confirm: nothing to confirm": [
    "<yellow>Nothing waits.</yellow>",
  ],
  "diff: aligned labels": [
    "  Management IP   10.1.0.20 -> 10.1.0.30",
    "  DNS             10.1.0.2 -> 10.1.0.2, 10.1.0.3",
  ],
  "diff: none": [
    "",
  ],
  "edit: applied, pending restart": [
    "Settings saved. They take effect after a restart: run \"system reboot\".",
  ],
  "edit: applied now": [
    "Settings applied. They are in effect now.",
  ],
  "edit: awaiting confirmation": [
    "Settings applied. They are in effect now and revert at 2026-11-28 10:05:00 UTC unless you run \"network confirm\".",
  ],
  "edit: dry run": [
    "Dry run: these changes would be made:",
    "  Management IP   10.1.0.20 -> 10.1.0.30",
    "  DNS             10.1.0.2 -> 10.1.0.2, 10.1.0.3",
    "Nothing was changed.",
  ],
  "edit: dry run of pending settings": [
    "Dry run: these changes would be made:",
    "  Management IP   10.1.0.20 -> 10.1.0.30",
    "  DNS             10.1.0.2 -> 10.1.0.2, 10.1.0.3",
    "Settings applied earlier are waiting for a restart; the values shown are those.",
    "Nothing was changed.",
  ],
  "edit: unchanged": [
    "The settings already have these values. No changes were made.",
  ],
  "edit: declined": [
    "No changes were made.",
  ],
  "edit: cancelled by end of input": [
    "Input closed: cancelled. No changes were made.",
  ],
  "edit: cancelled without a reason": [
    "Cancelled. No changes were made.",
  ],
  "sanity: starting, with a stopped and a silent service without detail": [
    "<yellow>[~]</yellow> {A} | Starting",
    "<green>[+]</green> {B} | Running for 0s",
    "<yellow>[~]</yellow> {C} | Starting",
    "<yellow>System is STARTING ({small}): 2 of 3 services still starting</yellow>",
  ],
  "sanity: down": [
    "<red>[-]</red> {A} | Stopped",
    "<red>[?]</red> {B} | Not responding",
    "<green>[+]</green> {C} | Running for 5s",
    "<red>[-]</red> {D} | Stopped ({why})",
    "<red>System is DOWN! ({small}) Failed: {A}, {B}, {D}</red>",
  ],
  "sanity: up": [
    "<green>[+]</green> {A} | Running for 7s",
    "<green>System is UP! ({large})</green>",
  ],
  "audit: empty log": [
    "No network settings changes have been applied yet.",
  ],
  "audit: empty log with one unreadable line": [
    "No network settings changes have been applied yet.",
    "Note: 1 line of the audit log could not be read and was skipped (line 3).",
  ],
  "audit: entries and actions by time, eleven unreadable lines": [
    "{2026-11-28 10:00:00 UTC}  <bold>{admin}</bold> (ssh from 192.0.2.9 50000) on {simulator}",
    "  (no field changed)",
    "",
    "{2026-11-28T10:01:00.000Z}  <bold>{root}</bold> (unknown terminal) on {simulator}  [interrupted]",
    "  {ntp-enable} {pool.ntp.org}: {false} -> {true}",
    "  The change was cut short; it was recorded at the next start.",
    "",
    "{2026-11-28 10:02:00 UTC}  <bold>{admin}</bold> (/dev/pts/1) on {simulator}",
    "  Management IP      10.1.0.20 -> 10.1.0.30",
    "  DNS servers        10.1.0.2 -> 10.1.0.2, 10.1.0.3",
    "  Bridge interface   none -> br0",
    "",
    "Note: 11 lines of the audit log could not be read and were skipped (line 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ...).",
  ],
  "audit: interrupted, reverted, unknown terminal, two unreadable lines": [
    "{2026-11-28 10:00:00 UTC}  <bold>{admin}</bold> (unknown terminal) on {simulator}  [interrupted]",
    "  Management IP      10.1.0.20 -> 10.1.0.30",
    "  DNS servers        10.1.0.2 -> 10.1.0.2, 10.1.0.3",
    "  Bridge interface   none -> br0",
    "  The change was cut short; the values shown are what the sensor showed at the next start, not all that was asked for.",
    "",
    "{2026-11-28 11:00:00 UTC}  <bold>{admin}</bold> (/dev/pts/1) on {simulator}  [interrupted]",
    "  Management IP      10.1.0.20 -> 10.1.0.30",
    "  DNS servers        10.1.0.2 -> 10.1.0.2, 10.1.0.3",
    "  Bridge interface   none -> br0",
    "  The change was cut short after it was applied; it was recorded at the next start.",
    "",
    "{2026-11-28 12:00:00 UTC}  <bold>{admin}</bold> (/dev/pts/1) on {simulator}  [reverted]",
    "  Management IP      10.1.0.20 -> 10.1.0.30",
    "  DNS servers        10.1.0.2 -> 10.1.0.2, 10.1.0.3",
    "  Bridge interface   none -> br0",
    "  Not confirmed in time: the previous settings came back at {2026-11-28 12:05:00 UTC}.",
    "",
    "{2026-11-28 13:00:00 UTC}  <bold>{admin}</bold> (/dev/pts/1) on {simulator}  [reverted]",
    "  Management IP      10.1.0.20 -> 10.1.0.30",
    "  DNS servers        10.1.0.2 -> 10.1.0.2, 10.1.0.3",
    "  Bridge interface   none -> br0",
    "  Not confirmed in time: the previous settings came back.",
    "",
    "Note: 2 lines of the audit log could not be read and were skipped (line 7, 9).",
  ],
  "audit: sessions": [
    "{2026-11-28 10:00:00 UTC}  {sign-in}        <bold>{admin}</bold> ({support}) from {console}",
    "{2026-11-28 10:01:00 UTC}  {failure}        <bold>{eve}</bold> from {192.0.2.7}  {bad password}",
  ],
  "audit: no sessions": [
    "No sign-ins have been recorded yet.",
  ],
};

describe('command renderers, whole text', () => {
  it('every case has its expected text', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(CASES).sort());
  });
  it.each(Object.keys(CASES))('%s', (name) => {
    expect(CASES[name]!().split('\n')).toEqual(EXPECTED[name]);
  });
});

describe('audit text: the branches the first mutation run showed unchecked', () => {
  it('ten unreadable lines are all named, without "..."', () => {
    const text = auditText({ entries: [], total: 0, malformedLines: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    expect(text.split('\n')[1]).toBe('Note: 10 lines of the audit log could not be read and were skipped (line 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).');
  });

  it('an action that was not cut short: no mark, no note', () => {
    const text = auditText({
      entries: [],
      actions: [{ time: '2026-11-28T10:01:00.000Z', user: 'root', tty: 'console', target: 'simulator', action: 'ntp-disable', subject: 'pool.ntp.org', old: true, new: false } as never],
      total: 1,
      malformedLines: [],
    });
    expect(text.split('\n')).toEqual(['{2026-11-28T10:01:00.000Z}  <bold>{root}</bold> (console) on {simulator}', '  {ntp-disable} {pool.ntp.org}: {true} -> {false}']);
  });
});

// The netplan file beyond the stanzas (issue 17, mutation survivors): which values are refused
// with which name, parseNetplan on partial or odd files, and the numbered backups.
import { describe, expect, it } from 'vitest';
import { backupNumbered, KEEP_BACKUPS, parseNetplan, renderNetplan } from '../../src/system/linux/netplan.js';
import type { NetworkSettings } from '../../src/system/adapter.js';
import type { Runner } from '../../src/system/linux/runner.js';

const settings: NetworkSettings = {
  managementInterface: 'eth0', ip: '10.1.0.20', prefixLength: 24, gateway: '10.1.0.1', dns: ['10.1.0.2'], inputInterfaces: [], bridgeInterface: null,
};
const none = { ip: null, prefixLength: null, gateway: null, dns: null };

describe('renderNetplan names the value it refuses', () => {
  it.each([
    [{ ip: '1.2.3' }, '"1.2.3" is not a valid IPv4 address.'],
    [{ gateway: '1.2.3' }, '"1.2.3" is not a valid IPv4 gateway.'],
    [{ dns: ['10.1.0.2', '1.2.3'] }, '"1.2.3" is not a valid IPv4 DNS server.'],
    [{ managementInterface: 'eth 0' }, '"eth 0" is not a valid interface name.'],
  ])('%o', (patch, message) => {
    expect(() => renderNetplan({ ...settings, ...patch } as NetworkSettings, '/etc/netplan/50-otshell.yaml')).toThrow(message);
  });
});

describe('parseNetplan on partial and odd files', () => {
  it.each([
    ['no network key', 'foo: 1'],
    ['a network without ethernets or bridges', 'network: {version: 2}'],
    ['the interface set to null', 'network: {ethernets: {eth0: null}}'],
    ['the interface null in both ethernets and bridges', 'network: {ethernets: {eth0: null}, bridges: {eth0: null}}'],
    ['the interface a string', 'network: {ethernets: {eth0: "x"}}'],
    ['a YAML list', '- 1\n- 2'],
    ['null document', '~'],
  ])('%s: nothing', (_what, text) => {
    expect(parseNetplan(text, 'eth0')).toEqual(none);
  });

  it('takes the first address that is exactly dotted-quad/prefix', () => {
    const text = 'network: {ethernets: {eth0: {addresses: ["10.0.0.6/24x", "a10.0.0.5/16", "10.0.0.7/", 5, "10.100.200.7/8"]}}}';
    expect(parseNetplan(text, 'eth0')).toEqual({ ...none, ip: '10.100.200.7', prefixLength: 8 });
  });

  it('keeps only DNS servers that are exactly dotted quads', () => {
    const text = 'network: {ethernets: {eth0: {nameservers: {addresses: ["x10.0.0.2", "10.0.0.2x", "10.100.200.2", "10.0.0.25", "::1"]}}}}';
    expect(parseNetplan(text, 'eth0').dns).toEqual(['10.100.200.2', '10.0.0.25']);
  });

  it('a default route needs a string via; else gateway4; else none', () => {
    expect(parseNetplan('network: {ethernets: {eth0: {routes: [{to: default, via: 5}]}}}', 'eth0').gateway).toBeNull();
    expect(parseNetplan('network: {ethernets: {eth0: {routes: [{to: default}], gateway4: 10.0.0.1}}}', 'eth0').gateway).toBe('10.0.0.1');
    expect(parseNetplan('network: {ethernets: {eth0: {gateway4: 5}}}', 'eth0').gateway).toBeNull();
    expect(parseNetplan('network: {ethernets: {eth0: {routes: [null, {to: default, via: 10.0.0.9}]}}}', 'eth0').gateway).toBe('10.0.0.9');
  });
});

describe('backupNumbered', () => {
  function runner(files: string[]) {
    const written: [string, string, number][] = [];
    const removed: string[] = [];
    const r = {
      listDir: async () => files,
      writeFileAtomic: async (path: string, data: string, mode: number) => void written.push([path, data, mode]),
      remove: async (path: string) => void removed.push(path),
    } as unknown as Runner;
    return { r, written, removed };
  }

  it('the first backup is .~1~, mode 0600, with the content', async () => {
    const { r, written, removed } = runner(['50-otshell.yaml', 'other.yaml']);
    expect(await backupNumbered(r, '/etc/netplan/50-otshell.yaml', 'old')).toBe('/etc/netplan/50-otshell.yaml.~1~');
    expect(written).toEqual([['/etc/netplan/50-otshell.yaml.~1~', 'old', 0o600]]);
    expect(removed).toEqual([]);
  });

  it('numbers after the highest (numerically), ignoring look-alikes', async () => {
    const { r } = runner(['50-otshell.yaml.~2~', '50-otshell.yaml.~10~', '50-otshell.yaml.~9~', '50-otshellXyaml.~40~', '50-otshell.yaml.~x~', 'a50-otshell.yaml.~50~', '50-otshell.yaml.~60~.bak']);
    expect(await backupNumbered(r, '/n/50-otshell.yaml', 'c')).toBe('/n/50-otshell.yaml.~11~');
  });

  it(`keeps the last ${KEEP_BACKUPS}: removes the oldest beyond that`, async () => {
    const names = Array.from({ length: KEEP_BACKUPS }, (_, i) => `50-otshell.yaml.~${i + 1}~`);
    const { r, removed, written } = runner(names);
    await backupNumbered(r, '/n/50-otshell.yaml', 'c');
    expect(written[0]![0]).toBe(`/n/50-otshell.yaml.~${KEEP_BACKUPS + 1}~`);
    expect(removed).toEqual(['/n/50-otshell.yaml.~1~']);
    const more = runner([...names, `50-otshell.yaml.~${KEEP_BACKUPS + 1}~`, `50-otshell.yaml.~${KEEP_BACKUPS + 2}~`]);
    await backupNumbered(more.r, '/n/50-otshell.yaml', 'c');
    expect(more.removed).toEqual(['/n/50-otshell.yaml.~1~', '/n/50-otshell.yaml.~2~', '/n/50-otshell.yaml.~3~']);
    const fewer = runner(names.slice(1));
    await backupNumbered(fewer.r, '/n/50-otshell.yaml', 'c');
    expect(fewer.removed).toEqual([]);
  });
});

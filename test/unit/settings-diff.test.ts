import { describe, expect, it } from 'vitest';
import { diffSettings, renderDiff } from '../../src/commands/network/settings-diff.js';
import type { NetworkSettings } from '../../src/system/adapter.js';
import { SENSOR_SETTINGS } from '../helpers/settings-fixture.js';

const old: NetworkSettings = { ...SENSOR_SETTINGS };

describe('diffSettings', () => {
  it('is empty when nothing changed', () => {
    expect(diffSettings(old, { ...old, dns: [...old.dns] })).toEqual([]);
  });

  it('lists each changed field, old and new, in the wizard order', () => {
    const next = {
      ...old,
      ip: '10.1.0.30',
      prefixLength: 23,
      gateway: '10.1.1.1',
      dns: ['10.1.0.2', '8.8.8.8'],
      inputInterfaces: ['eth3'],
      bridgeInterface: 'eth2',
    };
    expect(diffSettings(old, next)).toEqual([
      { field: 'ip', label: 'Management IP', old: '10.1.0.20', new: '10.1.0.30' },
      { field: 'prefixLength', label: 'Subnet mask', old: '255.255.255.0 (/24)', new: '255.255.254.0 (/23)' },
      { field: 'dns', label: 'DNS servers', old: '10.1.0.2', new: '10.1.0.2, 8.8.8.8' },
      { field: 'gateway', label: 'Default gateway', old: '10.1.0.1', new: '10.1.1.1' },
      { field: 'inputInterfaces', label: 'Input interfaces', old: 'eth1, eth2', new: 'eth3' },
      { field: 'bridgeInterface', label: 'Bridge interface', old: 'none', new: 'eth2' },
    ]);
  });

  it('treats input interfaces as a set but DNS order as meaningful', () => {
    expect(diffSettings(old, { ...old, inputInterfaces: ['eth2', 'eth1'] })).toEqual([]);
    const swapped = diffSettings({ ...old, dns: ['1.1.1.1', '8.8.8.8'] }, { ...old, dns: ['8.8.8.8', '1.1.1.1'] });
    expect(swapped.map((c) => c.field)).toEqual(['dns']);
  });

  it('shows a removed bridge as none, and escapes control characters in names', () => {
    expect(diffSettings({ ...old, bridgeInterface: 'eth\x1b3' }, old)).toEqual([
      { field: 'bridgeInterface', label: 'Bridge interface', old: 'eth\\x1b3', new: 'none' },
    ]);
  });
});

describe('renderDiff', () => {
  it('renders one change like the guide', () => {
    expect(renderDiff(diffSettings(old, { ...old, ip: '10.1.0.30' }))).toBe('  Management IP   10.1.0.20 -> 10.1.0.30');
  });

  it('aligns the values after the longest label', () => {
    const text = renderDiff(diffSettings(old, { ...old, ip: '10.1.0.30', bridgeInterface: 'eth3' }));
    expect(text.split('\n')).toEqual([
      '  Management IP      10.1.0.20 -> 10.1.0.30',
      '  Bridge interface   none -> eth3',
    ]);
  });

  it('renders nothing for no changes', () => {
    expect(renderDiff([])).toBe('');
  });
});

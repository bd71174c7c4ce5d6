import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../helpers/property-runs.js';
import { settingsFromFlags } from '../../src/commands/network/settings-flags.js';
import { addressValidator } from '../../src/commands/network/settings-validators.js';
import type { NetworkSettings } from '../../src/system/adapter.js';
import { SENSOR_SETTINGS } from '../helpers/settings-fixture.js';

const interfaces = [
  { name: 'eth0', role: 'management' },
  { name: 'eth1', role: 'monitor' },
  { name: 'eth2', role: 'monitor' },
  { name: 'eth3', role: 'bridge' },
  { name: 'lo', role: 'loopback' },
];
const current: NetworkSettings = Object.freeze({ ...SENSOR_SETTINGS, bridgeInterface: 'eth3' });

describe('settingsFromFlags: valid input', () => {
  it("takes the guide's full command line", () => {
    const result = settingsFromFlags(
      current,
      { ip: '10.1.0.30', mask: '255.255.255.0', gateway: '10.1.0.254', dns: '10.1.0.2 8.8.8.8', inputInterfaces: 'eth1,eth2' },
      interfaces,
    );
    expect(result).toEqual({
      ok: true,
      next: { ...current, ip: '10.1.0.30', gateway: '10.1.0.254', dns: ['10.1.0.2', '8.8.8.8'] },
    });
  });

  it('changes nothing without flags', () => {
    expect(settingsFromFlags(current, {}, interfaces)).toEqual({ ok: true, next: current });
  });

  it('accepts the mask as /prefix or a bare number', () => {
    for (const mask of ['/23', '23', ' 255.255.254.0 ']) {
      const result = settingsFromFlags(current, { mask }, interfaces);
      expect(result).toEqual({ ok: true, next: { ...current, prefixLength: 23 } });
    }
  });

  it('checks the address against the new mask, not the old one', () => {
    // 10.1.0.255 is the broadcast address of a /24 but a host of 10.1.0.0/23.
    expect(settingsFromFlags(current, { ip: '10.1.0.255' }, interfaces).ok).toBe(false);
    const result = settingsFromFlags(current, { ip: '10.1.0.255', mask: '/23' }, interfaces);
    expect(result).toEqual({ ok: true, next: { ...current, ip: '10.1.0.255', prefixLength: 23 } });
  });

  it('moves to another subnet when the gateway moves with it', () => {
    const result = settingsFromFlags(current, { ip: '192.168.5.10', gateway: '192.168.5.1' }, interfaces);
    expect(result).toEqual({ ok: true, next: { ...current, ip: '192.168.5.10', gateway: '192.168.5.1' } });
  });

  it('takes input interfaces as a list or an array, and "none" (any case) for no bridge', () => {
    expect(settingsFromFlags(current, { inputInterfaces: ['eth2'], bridge: 'NONE' }, interfaces)).toEqual({
      ok: true,
      next: { ...current, inputInterfaces: ['eth2'], bridgeInterface: null },
    });
    expect(settingsFromFlags(current, { inputInterfaces: 'eth1 eth3', bridge: 'eth2' }, interfaces)).toEqual({
      ok: true,
      next: { ...current, inputInterfaces: ['eth1', 'eth3'], bridgeInterface: 'eth2' },
    });
  });
});

describe('settingsFromFlags: invalid input', () => {
  it('reports every bad flag at once, each with its reason', () => {
    const result = settingsFromFlags(current, { ip: '256.1.1.1', dns: '', inputInterfaces: 'eth0' }, interfaces);
    expect(result).toEqual({
      ok: false,
      errors: [
        '--ip: "256.1.1.1" is not a valid IPv4 address: each part must be 0-255.',
        '--dns: Enter one to three DNS server addresses, separated by commas or spaces.',
        '--input-interfaces: eth0 is the management interface; it cannot be an input interface.',
      ],
    });
  });

  it('refuses a new address on another subnet when the current gateway would be left outside', () => {
    const result = settingsFromFlags(current, { ip: '10.2.0.20' }, interfaces);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(/^--gateway: the current default gateway no longer fits: /);
      expect(result.errors[0]).toContain('outside the management subnet 10.2.0.0/24');
      expect(result.errors[0]).toContain('Pass --gateway.');
    }
  });

  it('refuses a gateway outside the new subnet', () => {
    const result = settingsFromFlags(current, { mask: '/25', gateway: '10.1.0.200' }, interfaces);
    expect(result).toEqual({
      ok: false,
      errors: [
        '--gateway: "10.1.0.200" is outside the management subnet 10.1.0.0/25; the default gateway must be on that subnet.',
      ],
    });
  });

  it('refuses a mask alone that turns the current address into a network address', () => {
    const at128 = { ...current, ip: '10.1.0.128' };
    const result = settingsFromFlags(at128, { mask: '/25' }, interfaces);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors[0]).toContain('--mask: the current management IP address no longer fits');
      expect(result.errors[0]).toContain('"10.1.0.128" is the network address of 10.1.0.128/25');
      expect(result.errors[0]).toContain('Pass --ip too.');
    }
  });

  it('with a bad mask, reports the mask only: no guessed subnet errors for the address or gateway', () => {
    const result = settingsFromFlags(current, { ip: '10.1.0.255', mask: '/31', gateway: '10.9.9.9' }, interfaces);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(/^--mask: "\/31" is refused/);
    }
  });

  it('refuses input interfaces that take the current bridge, unless --bridge changes it', () => {
    const result = settingsFromFlags(current, { inputInterfaces: 'eth1,eth3' }, interfaces);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors[0]).toContain('--bridge: the current bridge interface no longer fits');
      expect(result.errors[0]).toContain('eth3 is an input (monitor) interface');
    }
    expect(settingsFromFlags(current, { inputInterfaces: 'eth1,eth3', bridge: 'none' }, interfaces).ok).toBe(true);
    expect(settingsFromFlags(current, { inputInterfaces: 'eth1,eth3', bridge: 'eth1' }, interfaces)).toEqual({
      ok: false,
      errors: ['--bridge: eth1 is an input (monitor) interface; the bridge must be a different interface.'],
    });
  });

  it('refuses an empty list of input interfaces and unknown names', () => {
    expect(settingsFromFlags(current, { inputInterfaces: ' ' }, interfaces)).toEqual({
      ok: false,
      errors: ['--input-interfaces: Choose at least one input interface.'],
    });
    const unknown = settingsFromFlags(current, { inputInterfaces: 'eth1,wlan0' }, interfaces);
    expect(unknown.ok ? [] : unknown.errors).toEqual([
      '--input-interfaces: "wlan0" is not an interface on this sensor (available: eth1, eth2, eth3).',
    ]);
  });

  it('leaves the current settings object untouched', () => {
    const before = JSON.stringify(current);
    settingsFromFlags(current, { ip: '10.1.0.30', dns: '1.1.1.1', inputInterfaces: 'eth2' }, interfaces);
    expect(JSON.stringify(current)).toBe(before);
  });
});

describe('settingsFromFlags agrees with the wizard (property)', () => {
  it('--ip on the current subnet is refused exactly when the wizard validator refuses it, with its words', () => {
    const hostOctet = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(0, 1, 20, 254, 255));
    const address = fc.oneof(
      hostOctet.map((h) => `10.1.0.${h}`),
      fc.string({ unit: fc.constantFrom(...'0123456789.;$ '.split('')), maxLength: 16 }),
    );
    const validate = addressValidator(current.prefixLength);
    fc.assert(
      fc.property(address, (ip) => {
        const message = validate(ip);
        const result = settingsFromFlags(current, { ip }, interfaces);
        // Moving to another subnet also needs --gateway; stay on 10.1.0.0/24 or expect that error.
        const onSubnet = message === null && ip.trim().startsWith('10.1.0.');
        if (message !== null) expect(result).toEqual({ ok: false, errors: [`--ip: ${message}`] });
        else if (onSubnet && ip.trim() !== current.gateway) expect(result.ok).toBe(true);
        else expect(result.ok ? [] : result.errors[0]).toMatch(/^--gateway: /);
      }),
      propertyRuns(2000),
    );
  });
});

// The factory sensor's network settings, shared by the settings tests.
import type { NetworkSettings } from '../../src/system/adapter.js';

export const SENSOR_SETTINGS: Readonly<NetworkSettings> = Object.freeze({
  managementInterface: 'eth0',
  ip: '10.1.0.20',
  prefixLength: 24,
  gateway: '10.1.0.1',
  dns: ['10.1.0.2'],
  inputInterfaces: ['eth1', 'eth2'],
  bridgeInterface: null,
});

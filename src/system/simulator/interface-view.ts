// One simulated interface as `network list` and ifconfig show it: role, flags
// (the Linux IFF_* bits, so the flags word matches ifconfig), carrier, the
// management address and counters that grow with the sensor's uptime. Pure:
// the adapter passes the state and the time.
import type { InterfaceRole, NetworkInterface, NetworkSettings } from '../adapter.js';
import { ipv4Entry } from '../../net/ipv4.js';
import { diagnosticsOf } from './diagnostics.js';
import type { SimulatedInterface, SimulatorState } from './state.js';

// Linux IFF_* bits, so the flags word matches what ifconfig prints.
const IFF = { UP: 0x1, BROADCAST: 0x2, LOOPBACK: 0x8, RUNNING: 0x40, PROMISC: 0x100, MULTICAST: 0x1000 } as const;

/** The interface at `now` (ms since the epoch), under the settings in effect. */
export function describeInterface(iface: SimulatedInterface, settings: NetworkSettings, state: SimulatorState, now: number): NetworkInterface {
  const role = roleOf(iface.name, settings);
  const up = role !== 'unused';
  // The management port has carrier only with the GUI cable in it (training's "cable in the wrong port").
  const carrier = role !== 'management' || diagnosticsOf(state).site.cabledInterface === iface.name;
  const flagNames: string[] = [];
  let flagsValue = 0;
  const add = (name: keyof typeof IFF, on: boolean) => {
    if (on) {
      flagNames.push(name);
      flagsValue |= IFF[name];
    }
  };
  const loopback = role === 'loopback';
  add('UP', up);
  add('BROADCAST', !loopback);
  add('LOOPBACK', loopback);
  add('RUNNING', up && carrier);
  add('PROMISC', role === 'monitor');
  add('MULTICAST', !loopback);

  const elapsed = up ? Math.max(0, (now - Date.parse(state.createdAt)) / 1000) : 0;
  const rxPackets = iface.rxPacketsBase + Math.floor(iface.rxPacketsPerSecond * elapsed);
  const txPackets = iface.txPacketsBase + Math.floor(iface.txPacketsPerSecond * elapsed);
  const ipv4 =
    role === 'management'
      ? [ipv4Entry(settings.ip, settings.prefixLength)]
      : loopback
        ? [ipv4Entry('127.0.0.1', 8)]
        : [];
  return {
    name: iface.name,
    role,
    mac: iface.mac,
    mtu: iface.mtu,
    up,
    running: up && carrier,
    promisc: role === 'monitor',
    flags: flagNames,
    flagsValue,
    txqueuelen: iface.txqueuelen,
    ipv4,
    rx: {
      packets: rxPackets,
      bytes: iface.rxBytesBase + (rxPackets - iface.rxPacketsBase) * iface.rxBytesPerPacket,
      errors: 0,
      dropped: iface.rxDropped,
      overruns: 0,
      frame: 0,
    },
    tx: {
      packets: txPackets,
      bytes: iface.txBytesBase + (txPackets - iface.txPacketsBase) * iface.txBytesPerPacket,
      errors: 0,
      dropped: 0,
      carrier: 0,
      collisions: 0,
    },
  };
}

export function roleOf(name: string, settings: NetworkSettings): InterfaceRole {
  if (name === 'lo') return 'loopback';
  if (name === settings.managementInterface) return 'management';
  if (settings.inputInterfaces.includes(name)) return 'monitor';
  if (settings.bridgeInterface === name) return 'bridge';
  return 'unused';
}

// Loads every protocol file once; each registers itself in ./table.ts on load.
// This list is the only one: test/capture/protocol-files.test.ts fails when a
// file in this directory that calls defineProtocol is missing here or listed
// twice, or when two files declare the same name. Order matters only where
// heuristics share a first byte (tried in load order).
import './iso-on-tcp.js';
import './modbus.js';
import './s7comm.js';
import './s7comm-plus.js';
import './dnp3.js';
import './bacnet.js';
import './enip.js';
import './iec104.js';
import './goose.js';
import './sv.js';
import './mms.js';
import './profinet-rt.js';
import './hart-ip.js';
import './omron-fins.js';
import './opcua.js';
import './synphasor.js';
import './ads-ams.js';
import './ethercat.js';
import './powerlink.js';
import './fox.js';
import './opcua-tls.js';
import './mqtt-tls.js';

import { protocols } from './table.js';
export { protocols, protocolById, type Protocol } from './table.js';

/** The registered industrial protocols' names, in load order. */
export const OT_PROTOCOLS: readonly string[] = protocols()
  .filter((p) => p.ot)
  .map((p) => p.name);

// MQTT over TLS (IANA secure-mqtt, TCP 8883): encrypted, so known by its port only.
import { bytes } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 'mqtt_tls',
  ot: true,
  bindings: [{ on: 'tcp', values: [8883] }],
  example: () => bytes([0x16, 0x03, 0x03, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00]),
});
